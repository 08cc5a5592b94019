"""Shared fixtures: the saved real pages, a local server for them, and a crawl runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from scrapy.utils.reactor import install_reactor, is_reactor_installed

from newsbot.devserver import LocalServer, LocalSite, load_saved_pages

# The reactor newsbot's settings name, installed once: scrapy.utils.test.get_crawler needs an
# installed reactor on Scrapy 2.14 (the declared floor), and picks the same one on later versions.
if not is_reactor_installed():
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
PROJECT_ROOT = Path(__file__).parent.parent


def manifest() -> list[dict]:
    return json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def saved_site() -> LocalSite:
    return load_saved_pages(PAGES)


@pytest.fixture
def served(saved_site: LocalSite):
    with LocalServer(saved_site) as url:
        yield saved_site, url


def run_crawl(output: Path, feed_url: str, *settings: str, timeout: int = 240) -> subprocess.CompletedProcess:
    """A real ``scrapy crawl feed`` in a child process (Twisted's reactor cannot restart in one)."""
    command = [
        sys.executable, "-m", "scrapy", "crawl", "feed", "-a", f"url={feed_url}",
        "-s", f"NEWSBOT_OUTPUT={output}", "-s", "NEWSBOT_IMAGE_MODE=remote",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO",
    ]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )


FAST = ["-s", "NEWSBOT_IMAGE_MODE=remote", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


def newsbot_command(output: Path, feed_url: str, *extra: str) -> list[str]:
    """``newsbot crawl feed`` with test-speed settings, as cron would run it."""
    return [
        sys.executable, "-m", "newsbot.cli", "crawl", "feed", "-a", f"url={feed_url}",
        "-s", f"NEWSBOT_OUTPUT={output}", *FAST, *extra,
    ]


def run_newsbot(
    output: Path, feed_url: str, *extra: str, timeout: int = 240, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        newsbot_command(output, feed_url, *extra), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
        env=env,
    )


def _process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(parents.get(pid, []))
    return tree


def run_measuring_memory(
    command: list[str], env: dict[str, str], timeout: int = 240
) -> tuple[subprocess.CompletedProcess, int, list[int]]:
    """Run ``command``; its result, its own peak RSS and the peak RSS of each of its descendants, in KiB.

    Each is the process's high-water mark (VmHWM, kept by the kernel, so a spike between two
    samples still counts); their sum is an upper bound of the tree's simultaneous peak.
    """
    peaks: dict[int, int] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=err, text=True, env=env)
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                raise subprocess.TimeoutExpired(command, timeout)
            for pid in _process_tree(process.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                hwm = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
                peaks[pid] = max(peaks.get(pid, 0), hwm)
            time.sleep(0.05)  # a sampling period: the kernel's high-water marks do not depend on it
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return result, peaks.pop(process.pid, 0), sorted(peaks.values(), reverse=True)


def read_post(path: Path) -> tuple[dict, str]:
    """Front matter (parsed by a YAML parser) and body of a post file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    _, matter, body = text.split("---\n", 2)
    return yaml.safe_load(matter), body


@pytest.fixture
def jekyll() -> str:
    path = shutil.which("jekyll")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("jekyll is not installed; .ci/run installs it with apt-get")
        pytest.skip("jekyll not installed")
    return path


JEKYLL_LAYOUT = """<!doctype html><html><head><title>{{ page.title }}</title></head><body>
<h1>{{ page.title }}</h1><p class="excerpt">{{ page.excerpt }}</p>
<img src="{{ page.image }}"><div class="feature">{{ page.feature_text | markdownify }}</div>
<article>{{ content }}</article></body></html>
"""


def build_with_jekyll(jekyll: str, site_dir: Path, destination: Path, min_pages: int) -> str:
    """Build ``site_dir`` with real Jekyll under a theme that prints every field unescaped.

    Returns all built HTML after asserting it holds no script, handler or javascript: URL.
    """
    (site_dir / "_layouts").mkdir(exist_ok=True)
    (site_dir / "_layouts" / "post.html").write_text(JEKYLL_LAYOUT, encoding="utf-8")
    (site_dir / "_config.yml").write_text(
        "title: newsbot test\nmarkdown: kramdown\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n"
        "exclude: ['.newsbot']\ntimezone: Asia/Seoul\npermalink: /:year/:month/:day/:title/\n",  # as the README says
        encoding="utf-8",
    )
    result = subprocess.run(
        [jekyll, "build", "--source", str(site_dir), "--destination", str(destination)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = list(destination.rglob("*.html"))
    assert len(pages) >= min_pages
    built = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    assert "<script" not in built.lower()
    # Handlers and javascript: URLs are looked for in the tags: a post may show them as text.
    tags = "\n".join(re.findall(r"<[A-Za-z][^>]*>", built))
    assert not re.search(r"\son\w+\s*=", tags, re.IGNORECASE)
    assert not re.search(r"(?:href|src)\s*=\s*[\"']?\s*javascript:", tags, re.IGNORECASE)
    return built


def start_redis(directory: Path, *options: str, port: int = 0) -> tuple[str, subprocess.Popen]:
    """A real redis-server on 127.0.0.1 (on ``port``, or a free one), once it accepts connections:
    its URL and its process. ``options``: more of its command-line options (``--requirepass``)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs it with apt-get")
        pytest.skip("redis-server not installed")
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(directory),
         *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    return f"redis://127.0.0.1:{port}/0", server


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a free 127.0.0.1 port: its URL and its process."""
    url, server = start_redis(tmp_path)
    yield url, server
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def redis_url(redis_server):
    return redis_server[0]
