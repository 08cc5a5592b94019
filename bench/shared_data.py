"""Where the benchmarks find the larger real data sets (``../shared/data`` beside the checkout)."""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def data_folder(path: str | Path) -> Path:
    """``path`` when it is a folder; else the benchmark ends with one line saying what to pass."""
    folder = Path(path)
    if not folder.is_dir():
        sys.exit(f"{Path(sys.argv[0]).name}: no data folder at {folder}; pass --data PATH (the shared data sets)")
    return folder
