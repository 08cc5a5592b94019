"""Heap memory handed back to the system (a worker's after a large page, the crawl process's every
few dozen pages) and the crawl process's garbage collector set for a long run.

The workers import this module too: it needs no Scrapy until a crawler builds the extension.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

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


class CrawlProcessMemory:
    """The crawl process's heap and collector over a crawl of page-sized buffers.

    When the engine starts, what the imports and the crawler's set-up made (it lives as long as the
    run) is frozen out of the collector's sight, and the youngest generation is collected every
    :attr:`GC_ALLOCATIONS` new objects rather than Python's 700 (a page makes and drops a few
    hundred): 0.12 s of the crawl process's CPU per 400 pages.

    Every :attr:`TRIM_EVERY` responses the heap's free pages go back to the system. The response
    bodies and their copies for the workers are carved from the heap; glibc reuses their blocks
    but keeps what a burst of large pages left free. Making each such block an ``mmap`` of its own
    instead (a fixed 128 KiB threshold) cost 0.3 s of system CPU per 400 pages in page faults.
    """

    GC_ALLOCATIONS = 10_000
    TRIM_EVERY = 50

    def __init__(self) -> None:
        self.responses = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProcessMemory:
        from scrapy import signals  # here: the workers import this module, and no Scrapy

        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def engine_started(self) -> None:
        gc.freeze()
        gc.set_threshold(self.GC_ALLOCATIONS, *gc.get_threshold()[1:])

    def response_received(self) -> None:
        self.responses += 1
        if self.responses % self.TRIM_EVERY == 0:
            trim_heap()
