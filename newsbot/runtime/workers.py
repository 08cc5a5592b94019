"""A process pool for the CPU-heavy work (extraction, summaries), off the Twisted reactor.

Parsing a page, running trafilatura or loading the Korean tokenizer takes
tens of milliseconds to seconds of CPU with the GIL held; done on the reactor
thread it stalls every download (and trips their timeouts). The pool runs it in
``NEWSBOT_WORKERS`` processes instead, so a crawl uses every core.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

Result = TypeVar("Result")


def _exit_with(crawl_pid: int) -> None:
    """In each worker: leave as soon as the crawl process is gone (``kill -9`` leaves no orphans)."""

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(crawl_pid, 0)
            except ProcessLookupError:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="newsbot-parent-watch").start()


# Imported once by the fork server, so every worker starts with them, warmed up (copy-on-write,
# no import per worker); and instead of the default ``__main__``, which would give each worker Scrapy too.
_PRELOAD = ["newsbot.extract.article", "newsbot.finish", "newsbot.runtime.warmup"]


def _main_script_modules() -> list[str]:
    """The modules whose functions the script that started the process imports (a console script:
    ``scrapy.cmdline`` for ``scrapy``, ``newsbot.cli`` for ``newsbot``).

    Each worker runs that script again as ``__mp_main__`` (multiprocessing's ``__main__`` preload
    never reaches a fork server in Python 3.11). Imported by the fork server first, its imports are
    shared instead of each worker importing and keeping its own Scrapy: 30 MiB of private memory
    per worker under ``scrapy crawl``. Started with ``python -m``, no script: none.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        return []
    return sorted({
        value.__module__ for value in vars(main).values()
        if inspect.isfunction(value) and value.__module__ not in ("__main__", "__mp_main__")
    })


# One worker per core already: numpy's BLAS threads (TextRank's matrix products start them) would
# only spin on the other workers' cores, burning CPU the crawl needs.
_SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _worker_context() -> multiprocessing.context.ForkServerContext:
    for name, value in _SINGLE_THREADED.items():
        os.environ.setdefault(name, value)  # the fork server, started from here, passes it to every worker
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*_main_script_modules(), *_PRELOAD])
    return context


def start_fork_server() -> None:
    """Start the workers' fork server now: its imports and warm-up (over a second of CPU) then run
    on another core while this process is still loading Scrapy or fetching feeds.

    It only spawns the process and returns; the first worker waits for it to be ready. Needs no
    Scrapy, so ``newsbot crawl`` calls it before importing Scrapy.
    """
    _worker_context()  # sets the modules the server preloads
    multiprocessing.forkserver.ensure_running()


class WorkerPool:
    """Runs functions in worker processes; ``NEWSBOT_WORKERS=0`` runs them inline.

    A worker process that dies (the OOM killer, a crash) breaks a ``ProcessPoolExecutor`` for good:
    the pool is then replaced and each task it held is retried once (``newsbot/workers/*`` stats).
    """

    def __init__(self, workers: int, stats: StatsCollector | None = None) -> None:
        self.workers = workers
        self.stats = stats
        self.started = False
        self.executor = self._new_executor() if workers > 0 else None
        self._spawned: ProcessPoolExecutor | None = None
        """The executor whose worker processes have all started: a submit to it starts none, so it
        is made from the reactor, not through a thread (one thread hand-off fewer per article)."""

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_worker_context(), initializer=_exit_with, initargs=(os.getpid(),)
        )

    def start_fork_server(self) -> None:
        """Start the fork server unless this pool runs everything inline (a no-op if already running)."""
        if self.executor is not None:
            start_fork_server()

    def start(self) -> None:
        """Start the worker processes now (without waiting for them), not on the first task."""
        if self.executor is not None and not self.started:
            self.started = True
            # In a thread: the first fork waits for the fork server's imports, which would stall the reactor.
            threading.Thread(target=self._spawn_workers, args=(self.executor,), daemon=True, name="newsbot-pool-start").start()

    def _spawn_workers(self, executor: ProcessPoolExecutor) -> None:
        try:
            for _ in range(self.workers):
                executor.submit(os.getpid)
        except RuntimeError:  # the crawl closed the pool meanwhile
            return
        self._spawned = executor

    async def run(self, function: Callable[..., Result], *args: Any) -> Result:
        """``function(*args)`` in a worker process (it and its arguments must pickle)."""
        if self.executor is None:
            return function(*args)
        executor = self.executor
        try:
            return await self._run_in(executor, function, *args)
        except BrokenProcessPool:
            self._replace(executor)
            self._count("retried")
            logger.warning("retrying %s once in the new worker pool", getattr(function, "__name__", function))
            return await self._run_in(self.executor, function, *args)

    async def _run_in(self, executor: ProcessPoolExecutor | None, function: Callable[..., Result], *args: Any) -> Result:
        if executor is None:
            raise BrokenProcessPool("the worker pool is closed")
        if executor is self._spawned:
            future = executor.submit(function, *args)
        else:  # from a thread: a submit that has to start a worker waits for the fork server
            future = await asyncio.to_thread(executor.submit, function, *args)
        return await asyncio.wrap_future(future)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for the rest of the run, once per broken pool (all its tasks fail at the same time)."""
        if self.executor is not broken:
            return
        logger.warning("a worker process died (killed or crashed): starting a new worker pool")
        broken.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new_executor()
        self._count("replaced")

    def _count(self, event: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newsbot/workers/{event}")

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


class WorkerPools:
    """Scrapy extension holding the crawl's pool of ``NEWSBOT_WORKERS`` processes, shut down when its
    engine stops.

    Components reach it with :meth:`pool_of`, i.e. ``crawler.get_extension(WorkerPools)``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.workers: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerPools:
        from scrapy import signals

        extension = cls(crawler)
        crawler.signals.connect(extension.close, signal=signals.engine_stopped)
        return extension

    @classmethod
    def pool_of(cls, crawler: Crawler) -> WorkerPool:
        """``crawler``'s worker pool."""
        extension = crawler.get_extension(cls)
        if extension is None:
            raise RuntimeError(f"enable {cls.__module__}.{cls.__name__} in EXTENSIONS: newsbot extracts in its worker processes")
        return extension.pool()

    def pool(self) -> WorkerPool:
        """The pool (-1: one process per core; 0: everything in-process), made on first use."""
        if self.workers is None:
            workers = self.settings.getint("NEWSBOT_WORKERS", -1)
            self.workers = WorkerPool((os.cpu_count() or 1) if workers < 0 else workers, self.stats)
        return self.workers

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
