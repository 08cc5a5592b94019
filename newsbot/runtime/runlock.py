"""One crawl at a time: an exclusive ``flock`` on ``NEWSBOT_LOCK``.

The kernel releases the lock when its process dies, however it dies, so a
lock left by a killed run is simply taken over by the next one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockHeld(RuntimeError):
    """Another live process holds the lock."""

    def __init__(self, path: str, holder: str) -> None:
        super().__init__(f"another newsbot run (pid {holder or 'unknown'}) holds {path}")
        self.path = path
        self.holder = holder


def default_lock_path(output_dir: str) -> str:
    """Where the lock lives unless ``NEWSBOT_LOCK`` says otherwise."""
    return os.path.join(output_dir, ".newsbot", "lock")


class RunLock:
    """``with RunLock(path):`` holds the lock for the block, or raises :class:`LockHeld` at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._handle = None

    def __enter__(self) -> RunLock:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise LockHeld(self.path, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.truncate(0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
