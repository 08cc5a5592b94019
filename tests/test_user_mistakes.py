"""A battery of user mistakes: each ends with one clear line on stderr, the right exit status, no traceback.

2 for a mistake in the command, a setting or a spider argument; 1 for a service that does not
answer or a damaged state file. Settings mistakes stop the run before any request.
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsbot.devserver import LocalServer, LocalSite
from conftest import PROJECT_ROOT, newsbot_command, read_post

NEWSBOT = [sys.executable, "-m", "newsbot.cli"]
SCRAPY = [sys.executable, "-m", "scrapy"]

# Imported first through PYTHONPATH: makes the redis extra look uninstalled.
BLOCK_REDIS = '''
import sys

class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("redis", "scrapy_redis"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, _Missing())
'''


@dataclass
class Mistake:
    command: list[str]
    """Arguments after the program; {feed}, {out}, {tmp}, {dead} are filled in."""
    status: int
    says: list[str]
    """Each must appear in the one stderr line."""
    program: list[str] = field(default_factory=lambda: NEWSBOT)
    prepare: Callable[[Path], None] | None = None
    block_redis: bool = False


def _corrupt_state(out: Path) -> None:
    (out / ".newsbot").mkdir(parents=True)
    (out / ".newsbot" / "state.sqlite3").write_bytes(b"this is not a database, a disk error wrote it\n" * 200)


def _bad_gzip(tmp: Path) -> None:
    (tmp / "page.html.gz").write_bytes(gzip.compress(b"<html><title>x</title></html>" * 50)[:40])


def _empty_page(tmp: Path) -> None:
    (tmp / "empty.html").write_text("<html><head></head><body><nav><a href='/'>Home</a></nav></body></html>")


def _a_file(tmp: Path) -> None:
    (tmp / "a-file").write_text("not a directory\n")


CRAWL = ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}"]

MISTAKES: dict[str, Mistake] = {
    # the table
    "feed spider without -a url": Mistake(["crawl", "feed", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["-a url="]),
    "-a url not a URL": Mistake(["crawl", "feed", "-a", "url=not-a-url", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["not-a-url"]),
    "image mode bogus": Mistake([*CRAWL, "-s", "NEWSBOT_IMAGE_MODE=bogus"], 2, ["NEWSBOT_IMAGE_MODE", "download, remote, brand"]),
    "body mode misspelt": Mistake([*CRAWL, "-s", "NEWSBOT_BODY=fulll"], 2, ["NEWSBOT_BODY=fulll: no such choice (did you mean full?)"]),
    "time zone Mars/Base": Mistake([*CRAWL, "-s", "NEWSBOT_DEFAULT_TIMEZONE=Mars/Base"], 2, ["NEWSBOT_DEFAULT_TIMEZONE", "Mars/Base", "time zone"]),
    "max age 'soon'": Mistake([*CRAWL, "-s", "NEWSBOT_MAX_AGE_DAYS=soon"], 2, ["NEWSBOT_MAX_AGE_DAYS", "number"]),
    "corrupt state file": Mistake(CRAWL, 1, ["state.sqlite3", "damaged", "backup"], prepare=_corrupt_state),
    "extract a missing file": Mistake(["extract", "{tmp}/missing.html", "--url", "https://example.com/a"], 2, ["missing.html"]),
    "output not writable": Mistake([*CRAWL[:-1], "NEWSBOT_OUTPUT={tmp}/a-file/site"], 2, ["NEWSBOT_OUTPUT", "a-file"], prepare=_a_file),
    "Redis not listening": Mistake([*CRAWL, "-s", "NEWSBOT_REDIS_URL=redis://127.0.0.1:{dead}/0"], 1, ["Redis", "unreachable"]),
    "redis extra not installed": Mistake(
        [*CRAWL, "-s", "NEWSBOT_REDIS_URL=redis://127.0.0.1:{dead}/0"], 2, ["newsbot[redis]"], block_redis=True
    ),
    # and more
    "setting name typo": Mistake([*CRAWL, "-s", "NEWSBOT_IMAGE_MOD=remote"], 2, ["NEWSBOT_IMAGE_MOD", "did you mean NEWSBOT_IMAGE_MODE"]),
    "unknown source": Mistake(["crawl", "yonap", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["yonap", "did you mean yonhap"]),
    "unknown source in NEWSBOT_SOURCES": Mistake(["crawl", "-s", "NEWSBOT_OUTPUT={out}", "-s", "NEWSBOT_SOURCES=yonhap,newsiss"], 2, ["newsiss"]),
    "spider argument typo": Mistake([*CRAWL, "-a", "limt=1"], 2, ["limt", "did you mean -a limit"]),
    "limit not a number": Mistake([*CRAWL, "-a", "limit=many"], 2, ["limit", "whole number"]),
    "-a timezone unknown": Mistake([*CRAWL, "-a", "timezone=Asia/Seol"], 2, ["Asia/Seol"]),
    "-a without =": Mistake([*CRAWL, "-a", "limit"], 2, ["NAME=VALUE"]),
    "-s without =": Mistake([*CRAWL, "-s", "NEWSBOT_WORKERS"], 2, ["NAME=VALUE"]),
    "workers -2": Mistake([*CRAWL, "-s", "NEWSBOT_WORKERS=-2"], 2, ["NEWSBOT_WORKERS", "-1"]),
    "summary workers 'two'": Mistake([*CRAWL, "-s", "NEWSBOT_SUMMARY_WORKERS=two"], 2, ["NEWSBOT_SUMMARY_WORKERS"]),
    "excerpt length 0": Mistake([*CRAWL, "-s", "NEWSBOT_EXCERPT_LENGTH=0"], 2, ["NEWSBOT_EXCERPT_LENGTH"]),
    "quick check 'maybe'": Mistake([*CRAWL, "-s", "NEWSBOT_QUICK_CHECK=maybe"], 2, ["NEWSBOT_QUICK_CHECK", "True or False"]),
    "log file in a missing directory": Mistake(
        [*CRAWL, "-s", "NEWSBOT_LOG_FILE={tmp}/no-such-dir/newsbot.log"], 2, ["NEWSBOT_LOG_FILE", "no-such-dir"]
    ),
    "template field typo": Mistake([*CRAWL, "-s", "NEWSBOT_FOOTER=<a href='{{site_ur}}'>more</a>"], 2, ["NEWSBOT_FOOTER", "{site_ur}"]),
    "template with a lone brace": Mistake([*CRAWL, "-s", "NEWSBOT_FOOTER=more {{"], 2, ["NEWSBOT_FOOTER"]),
    "site URL without scheme": Mistake([*CRAWL, "-s", "NEWSBOT_SITE_URL=newsdao.kr"], 2, ["NEWSBOT_SITE_URL"]),
    "Redis URL without scheme": Mistake([*CRAWL, "-s", "NEWSBOT_REDIS_URL=localhost:6379"], 2, ["NEWSBOT_REDIS_URL", "redis://"]),
    "state path is a directory": Mistake([*CRAWL, "-s", "NEWSBOT_STATE={tmp}"], 2, ["NEWSBOT_STATE", "directory"]),
    # places whose permissions look writable (root, /proc) but where nothing can be created
    "output where no directory can be made": Mistake([*CRAWL[:-1], "NEWSBOT_OUTPUT=/proc/newsbot-site"], 2, ["NEWSBOT_OUTPUT", "cannot write"]),
    "state where no file can be made": Mistake([*CRAWL, "-s", "NEWSBOT_STATE=/proc/state.db"], 2, ["NEWSBOT_STATE", "cannot write"]),
    "state where no file can be made, in a new output folder": Mistake(
        [*CRAWL, "-s", "NEWSBOT_STATE=/proc/state.db"], 2, ["NEWSBOT_STATE", "cannot write"]
    ),
    # newsbot makes a path's last folder (a new blog), not a chain of them (a typo)
    "output in a folder that does not exist": Mistake(
        [*CRAWL[:-1], "NEWSBOT_OUTPUT={out}/no/blog"], 2, ["NEWSBOT_OUTPUT", "site does not exist"]
    ),
    "state in a folder that does not exist": Mistake(
        [*CRAWL, "-s", "NEWSBOT_STATE={tmp}/no/such/state.sqlite3"], 2, ["NEWSBOT_STATE", "no does not exist"]
    ),
    "run lock where no file can be made": Mistake([*CRAWL, "-s", "NEWSBOT_LOCK=/proc/x/lock"], 2, ["NEWSBOT_LOCK", "cannot write"]),
    "report page where no file can be made": Mistake(
        [*CRAWL, "-s", "NEWSBOT_REPORT_HTML=/proc/x/report.html"], 2, ["NEWSBOT_REPORT_HTML", "cannot write"]
    ),
    "scrapy crawl, state where no file can be made": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}", "-s", "NEWSBOT_STATE=/proc/state.db"], 2,
        ["NEWSBOT_STATE", "cannot write"], program=SCRAPY,
    ),
    "Scrapy download delay not a number": Mistake([*CRAWL, "-s", "DOWNLOAD_DELAY=abc"], 2, ["DOWNLOAD_DELAY=abc", "a number"]),
    "Scrapy concurrency 0": Mistake([*CRAWL, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"], 2, ["CONCURRENT_REQUESTS_PER_DOMAIN"]),
    "scrapy crawl, autothrottle not a boolean": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}", "-s", "AUTOTHROTTLE_ENABLED=maybe"], 2,
        ["AUTOTHROTTLE_ENABLED"], program=SCRAPY,
    ),
    "trusted host not a host name": Mistake(
        [*CRAWL, "-s", "NEWSBOT_TRUSTED_HOSTS=intranet.example,not_a..host"], 2, ["NEWSBOT_TRUSTED_HOSTS", "not_a..host:"]
    ),
    "idle seconds 0": Mistake([*CRAWL, "-s", "NEWSBOT_REDIS_IDLE_SECONDS=0"], 2, ["NEWSBOT_REDIS_IDLE_SECONDS"]),
    "idle seconds inf (the worker would never stop)": Mistake(
        [*CRAWL, "-s", "NEWSBOT_REDIS_IDLE_SECONDS=inf"], 2, ["NEWSBOT_REDIS_IDLE_SECONDS=inf", "not a finite number"]
    ),
    "Redis database not a number": Mistake(
        [*CRAWL, "-s", "NEWSBOT_REDIS_URL=redis://127.0.0.1:{dead}/abc"], 2, ["NEWSBOT_REDIS_URL", "database 'abc'"]
    ),
    "log level LOUD": Mistake([*CRAWL, "-s", "LOG_LEVEL=LOUD"], 2, ["LOG_LEVEL", "INFO"]),
    "unknown option": Mistake([*CRAWL, "--fast"], 2, ["--fast"]),
    "unknown command": Mistake(["crawll"], 2, ["crawll"]),
    "extract with a non-URL": Mistake(["extract", "{tmp}/missing.html", "--url", "example.com/a"], 2, ["--url"]),
    "extract a broken .gz": Mistake(["extract", "{tmp}/page.html.gz", "--url", "https://example.com/a"], 2, ["page.html.gz", "gzip"], prepare=_bad_gzip),
    "extract a page with no article": Mistake(
        ["extract", "{tmp}/empty.html", "--url", "https://example.com/a"], 1, ["empty.html", "no headline"], prepare=_empty_page,
    ),
    "smoke an unknown source": Mistake(["smoke", "reuter"], 2, ["reuter", "did you mean reuters"]),
    "a source without a feed": Mistake(["crawl", "news1", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["news1", "-a url="]),
    "smoke a source without a feed": Mistake(["smoke", "news1"], 2, ["news1", "no feed URL"]),
    # the same through scrapy crawl
    "scrapy crawl feed without -a url": Mistake(["crawl", "feed", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["-a url="], program=SCRAPY),
    "scrapy crawl feed, -a url misspelt": Mistake(
        ["crawl", "feed", "-a", "urll={feed}", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["urll", "did you mean -a url"], program=SCRAPY,
    ),
    "scrapy crawl, -a url not a URL": Mistake(["crawl", "feed", "-a", "url=ftp:/x", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["url"], program=SCRAPY),
    "scrapy crawl, time zone": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}", "-s", "NEWSBOT_DEFAULT_TIMEZONE=Mars/Base"], 2,
        ["NEWSBOT_DEFAULT_TIMEZONE"], program=SCRAPY,
    ),
    "scrapy crawl, setting typo": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}", "-s", "NEWSBOT_MAX_AGE=3"], 2,
        ["did you mean NEWSBOT_MAX_AGE_DAYS"], program=SCRAPY,
    ),
    "scrapy crawl, corrupt state": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}"], 1, ["state.sqlite3", "damaged"],
        program=SCRAPY, prepare=_corrupt_state,
    ),
    "scrapy crawl, Redis not listening": Mistake(
        ["crawl", "feed", "-a", "url={feed}", "-s", "NEWSBOT_OUTPUT={out}", "-s", "NEWSBOT_REDIS_URL=redis://127.0.0.1:{dead}/0"],
        1, ["unreachable"], program=SCRAPY,
    ),
    "scrapy crawl, unknown spider": Mistake(["crawl", "yonap", "-s", "NEWSBOT_OUTPUT={out}"], 2, ["yonap"], program=SCRAPY),
}


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("name", list(MISTAKES))
def test_user_mistake_gives_one_line_and_the_right_status(name: str, tmp_path: Path) -> None:
    mistake = MISTAKES[name]
    out = tmp_path / "site"
    if mistake.prepare:
        mistake.prepare(out if mistake.prepare is _corrupt_state else tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    site = LocalSite(pages=[])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    if mistake.block_redis:
        (tmp_path / "blocker").mkdir()
        (tmp_path / "blocker" / "sitecustomize.py").write_text(BLOCK_REDIS)
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "blocker"), env["PYTHONPATH"]])
    with LocalServer(site) as base_url:
        values = {"feed": f"{base_url}/feed.xml", "out": str(out), "tmp": str(tmp_path), "dead": str(_dead_port())}
        command = [*mistake.program, *(part.format(**values) for part in mistake.command)]
        result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=env)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    shown = f"exit {result.returncode}\nstderr:\n{result.stderr[-3000:]}\nstdout:\n{result.stdout[-1000:]}"
    assert result.returncode == mistake.status, shown
    assert "Traceback" not in result.stderr + result.stdout, shown
    assert len(lines) == 1, shown
    for words in mistake.says:
        assert words in lines[0], shown
    assert site.requests == [], "a request was made before the mistake was reported"
    after = {path: path.read_bytes() for path in before}
    assert after == before, "a file the run found was changed"
    if mistake.status == 2 and not mistake.prepare:
        assert not out.exists(), "a refused run left the output folder it made while checking"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MiB tmpfs filled up to its last 64 KiB (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        filler = mount / "filler"
        with filler.open("wb") as stream:
            try:
                while True:
                    stream.write(b"\0" * 65536)
                    stream.flush()
            except OSError:
                pass
        os.truncate(filler, max(filler.stat().st_size - 65536, 0))
        yield mount, filler
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_stops_the_run_with_one_line_and_the_next_run_posts_the_rest_once(tmp_path, served, small_disk):
    site, url = served
    mount, filler = small_disk
    output = mount / "site"
    outside = [
        "-s", f"NEWSBOT_STATE={tmp_path / 'state.sqlite3'}", "-s", f"NEWSBOT_LOCK={tmp_path / 'lock'}",
        "-s", f"NEWSBOT_LOG_FILE={tmp_path / 'newsbot.log'}",
    ]
    first = subprocess.run(newsbot_command(output, f"{url}/feed.xml", *outside), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    lines = [line for line in first.stderr.splitlines() if line.strip()]
    shown = first.stderr[-3000:] + (tmp_path / "newsbot.log").read_text()[-3000:]
    assert first.returncode == 1, shown
    assert len(lines) == 1 and "disk full" in lines[0] and str(output) in lines[0], shown
    assert "Traceback" not in first.stderr
    written = sorted((output / "_posts").iterdir())
    assert len(written) < len(site.pages)
    for post in written:  # no half-written or temporary file where Jekyll reads
        assert post.suffix == ".md"
        assert read_post(post)[0]["title"]
    assert not list((output / ".newsbot" / "tmp").iterdir())

    filler.unlink()
    second = subprocess.run(newsbot_command(output, f"{url}/feed.xml", *outside), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    assert second.returncode == 0, second.stderr[-3000:]
    posts = sorted((output / "_posts").glob("*.md"))
    assert len(posts) == len(site.pages)
    sources = [read_post(post)[0]["source_url"] for post in posts]
    assert len(set(sources)) == len(sources)

