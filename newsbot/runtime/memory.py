"""The crawl process's heap: large blocks handed back to the system as soon as they are freed."""

from __future__ import annotations

import ctypes

_M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number for the mmap threshold (``malloc.h``)."""
MMAP_THRESHOLD = 128 * 1024


def return_large_blocks() -> None:
    """Keep glibc allocating blocks of 128 KiB and more with ``mmap``, so freeing one returns it.

    glibc raises that threshold each time such a block is freed, up to 32 MiB; after a few pages
    have come and gone, page-sized buffers (response bodies) are carved from the heap and leave
    it fragmented: ~30 MiB of the crawl process's peak over 400 pages. A no-op without glibc.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
