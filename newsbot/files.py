"""Files newsbot publishes: where they go, their permissions, and writing one whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from newsbot.settings_reader import SettingsReader

DEFAULT_OUTPUT = "output"
"""The folder posts, images and the state go in when ``NEWSBOT_OUTPUT`` is unset or empty."""


def output_dir(settings: SettingsReader) -> str:
    """``NEWSBOT_OUTPUT``, or :data:`DEFAULT_OUTPUT` when it is unset or empty: every part of a run
    (paths check, lock, posts, images, state, publishing) reads it here, so they agree."""
    return settings.get("NEWSBOT_OUTPUT") or DEFAULT_OUTPUT


def published_file_mode() -> int:
    """The mode a file created now would get under the process umask (0644 under the usual 022).

    Posts and the report page are written to a temporary file first, which ``mkstemp`` makes
    0600: renamed as it is, a post would be unreadable to the web server or the user who builds
    and deploys the site. Reading the umask means setting it for a moment: to 077, so a file another
    thread creates in that moment comes out private rather than open.
    """
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replaced_whole(
    path: str | os.PathLike[str], mode: int | None = None, temp_dir: str | os.PathLike[str] | None = None,
    prefix: str = ".newsbot-",
) -> Iterator[BinaryIO]:
    """A stream whose bytes replace ``path`` when the block ends without an error; else ``path`` is untouched.

    They go to a temporary file in ``temp_dir`` (beside ``path`` when None; it must be on the same
    file system), which is synced and renamed over ``path``, and the directory synced: a reader, a
    ``kill -9`` or a power loss sees the old file or the new one, never half of one. ``mode`` is the
    file's permissions, by default :func:`published_file_mode`.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=temp_dir or target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), published_file_mode() if mode is None else mode)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)  # the rename itself survives a power loss only once its directory is synced


def _sync_directory(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
