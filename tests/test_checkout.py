"""What README tells a user to create in the checkout is ignored by git."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import PROJECT_ROOT


def test_every_virtual_environment_the_readme_creates_is_ignored_by_git():
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    folders = set(re.findall(r"-m venv (\S+)", readme))
    assert ".venv-floors" in folders
    for folder in sorted(folders):
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", f"{folder}/bin/python"], cwd=PROJECT_ROOT)
        assert ignored.returncode == 0, f"{folder}/ is not in .gitignore"
