"""Heap memory handed back to the system: large blocks as soon as they are freed, a worker's heap after a large page."""

from __future__ import annotations

import ctypes
from collections.abc import Callable

_M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number for the mmap threshold (``malloc.h``)."""
MMAP_THRESHOLD = 128 * 1024


def return_large_blocks() -> None:
    """Keep glibc allocating blocks of 128 KiB and more with ``mmap``, so freeing one returns it.

    glibc raises that threshold each time such a block is freed, up to 32 MiB; after a few pages
    have come and gone, page-sized buffers (response bodies) are carved from the heap and leave
    it fragmented: ~30 MiB of the crawl process's peak over 400 pages. A no-op without glibc.
    """
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


TRIM_AFTER_BYTES = 512 * 1024
"""A worker gives its free heap back after a page this large (a tenth of news pages)."""


def trim_heap() -> None:
    """Give the heap's free pages back (``malloc_trim``): a large page's parse trees leave many
    megabytes free but fragmented, kept for good otherwise. A no-op without glibc."""
    malloc_trim = _glibc("malloc_trim")
    if malloc_trim is not None:
        malloc_trim(0)


def _glibc(name: str) -> Callable[..., int] | None:
    """glibc's function ``name`` in this process; None elsewhere (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
