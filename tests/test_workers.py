"""The extraction pool survives a worker process that dies (the OOM killer, a crash)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

from scrapy.utils.test import get_crawler

from newsbot.runtime.workers import WorkerPool


def hold_until_killed_once(folder: str) -> int:
    """In a worker: the first call writes its pid and waits to be killed; a retry returns its pid."""
    marker = Path(folder, "first-pid")
    if marker.exists():
        return os.getpid()
    Path(folder, "first-pid.tmp").write_text(str(os.getpid()))
    os.replace(Path(folder, "first-pid.tmp"), marker)
    while True:
        time.sleep(60)


def _wait_for_file(path: Path, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text()


def test_a_killed_worker_is_replaced_and_its_article_retried_once(tmp_path):
    stats = get_crawler().stats
    pool = WorkerPool(1, stats)

    async def run() -> tuple[int, int]:
        task = asyncio.ensure_future(pool.run(hold_until_killed_once, str(tmp_path)))
        victim = int(await asyncio.to_thread(_wait_for_file, tmp_path / "first-pid"))
        os.kill(victim, signal.SIGKILL)
        retried_in = await asyncio.wait_for(task, 120)
        assert retried_in != victim
        return victim, await pool.run(os.getpid)  # the rest of the run has a working pool

    try:
        victim, later = asyncio.run(run())
    finally:
        pool.close()
    assert later != victim
    assert stats.get_value("newsbot/workers/replaced") == 1
    assert stats.get_value("newsbot/workers/retried") == 1


def test_the_fork_server_imports_what_the_starting_script_imports_so_workers_share_it(monkeypatch):
    """``scrapy crawl``: each worker re-runs the ``scrapy`` script as ``__mp_main__``; with
    scrapy.cmdline already in the fork server, its Scrapy is shared rather than imported per worker."""
    import sys
    import types

    from scrapy.cmdline import execute

    from newsbot.runtime import workers

    script = types.ModuleType("__main__")
    script.__file__ = "/usr/local/bin/scrapy"
    script.__spec__ = None
    script.execute, script.sys = execute, sys
    monkeypatch.setitem(sys.modules, "__main__", script)
    assert workers._main_script_modules() == ["scrapy.cmdline"]
    script.__spec__ = types.SimpleNamespace(name="newsbot.cli")  # python -m newsbot.cli: no script to re-run
    assert workers._main_script_modules() == []
