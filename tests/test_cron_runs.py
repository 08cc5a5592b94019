"""Cron-grade runs: incremental, crash-safe, locked, with an exit status and a report cron can act on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import PROJECT_ROOT, newsbot_command, read_post, run_crawl, run_newsbot

from newsbot.devserver import LocalServer, LocalSite, SavedPage, respond
from newsbot.runtime.quickcheck import ProjectSettings, unchanged_run
from newsbot.runtime.report import source_failures


def _posts(output: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (output / "_posts").glob("*.md")}


def _article_requests(site) -> list[str]:
    return [path for path in site.requests if path not in ("/sitemap.xml", "/feed.xml", "/robots.txt")]


def test_unchanged_sitemap_fetches_nothing_and_a_changed_page_updates_its_post_in_place(tmp_path, served):
    site, url = served
    first = run_newsbot(tmp_path, f"{url}/sitemap.xml", "-s", "LOG_LEVEL=INFO")  # the log on stderr
    assert first.returncode == 0, first.stderr[-2000:]
    # Components off by default (publishing, Redis, filters, progress line) say nothing at WARNING.
    assert [line for line in first.stderr.splitlines() if "WARNING" in line] == [], first.stderr[-3000:]
    before = _posts(tmp_path)
    assert len(before) == len(site.pages)

    # The quick check sees the 304 before Scrapy starts (or is even imported: that is half its time);
    # with it off, Scrapy's own 304 path does the same.
    for quick_check, scrapy_started in (("True", False), ("False", True)):
        site.requests.clear()
        second = run_newsbot(tmp_path, f"{url}/sitemap.xml", "-s", f"NEWSBOT_QUICK_CHECK={quick_check}", "-s", "LOG_LEVEL=INFO",
                             env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
        assert second.returncode == 0, second.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
        assert ("scrapy" in imported) == scrapy_started
        assert scrapy_started or "newsbot.runtime.publish" in imported  # the publish step ran, without Scrapy
        # Scrapy asks for robots.txt first; the quick check asks for the sitemap only.
        assert site.requests == (["/robots.txt", "/sitemap.xml"] if scrapy_started else ["/sitemap.xml"])
        assert _posts(tmp_path) == before
        assert ("[scrapy.core.engine] INFO: Spider opened" in second.stderr) == scrapy_started
        report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())
        assert report["exit_status"] == 0 and report["sources"][0]["feeds_not_modified"] == 1

    path, page = next((path, page) for path, page in site.pages.items() if b"historic tumult" in page.body)
    page.body = page.body.replace(b"After a summer of historic tumult", b"After a summer of historic upheaval")
    page.modified = "2026-02-01T00:00:00+00:00"
    site.requests.clear()
    third = run_newsbot(tmp_path, f"{url}/sitemap.xml")
    assert third.returncode == 0, third.stderr[-2000:]
    assert _article_requests(site) == [path]
    after = _posts(tmp_path)
    assert set(after) == set(before)
    changed = [name for name in after if after[name] != before[name]]
    assert len(changed) == 1
    _, body = read_post(tmp_path / "_posts" / changed[0])
    assert "historic upheaval" in body
    assert json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["sources"][0]["updated_posts"] == 1


def _wait_for(predicate, what: str, process: subprocess.Popen) -> None:
    """Poll ``predicate`` (a file, a lock) until it holds; fail at once if ``process`` ended instead."""
    while not predicate():
        assert process.poll() is None, f"the run ended (exit {process.returncode}) before {what}"
        time.sleep(0.05)


def _hold_all_but(site, count: int) -> None:
    """The server answers ``count`` article pages; the others wait for ``site.release``."""
    site.held = set(sorted(site.pages)[count:])


def test_sigkill_mid_run_then_rerun_leaves_every_article_posted_exactly_once(tmp_path, served):
    site, url = served
    _hold_all_but(site, 3)
    process = subprocess.Popen(newsbot_command(tmp_path, f"{url}/feed.xml"), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(_posts(tmp_path)) >= 3, "3 posts were written", process)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert len(_posts(tmp_path)) == 3
    assert not [path for path in (tmp_path / "_posts").iterdir() if not path.name.endswith(".md")]

    site.held = set()
    rerun = run_newsbot(tmp_path, f"{url}/feed.xml")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    posts = sorted((tmp_path / "_posts").glob("*.md"))
    assert len(posts) == len(site.pages)
    sources = [read_post(post)[0]["source_url"] for post in posts]
    assert len(set(sources)) == len(sources)


def test_a_second_run_started_meanwhile_exits_at_once_with_its_own_status(tmp_path, served):
    site, url = served
    _hold_all_but(site, 0)  # the first run holds the lock until the test lets its pages through
    first = subprocess.Popen(newsbot_command(tmp_path, f"{url}/feed.xml"), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = tmp_path / ".newsbot" / "lock"
    try:
        _wait_for(lambda: lock.exists() and lock.read_text().strip(), "it took the lock", first)
        # Had the second run waited for the lock, it would never end: the first cannot finish meanwhile.
        second = run_newsbot(tmp_path, f"{url}/feed.xml", timeout=60)
        assert second.returncode == 3
        assert "another newsbot run" in second.stderr and str(first.pid) in second.stderr
        assert first.poll() is None
    finally:
        first.kill()
        first.wait()
    # The dead run's lock is taken over.
    site.held = set()
    assert run_newsbot(tmp_path, f"{url}/feed.xml").returncode == 0


def test_a_crawl_stopped_by_sigterm_does_not_exit_0(tmp_path, served):
    site, url = served
    _hold_all_but(site, 2)
    run = subprocess.Popen(
        newsbot_command(tmp_path, f"{url}/feed.xml", "-s", "DOWNLOAD_TIMEOUT=5"), cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        _wait_for(lambda: len(_posts(tmp_path)) >= 2, "2 posts were written", run)
        run.send_signal(signal.SIGTERM)  # what cron's or systemd's timeout sends
        output, _ = run.communicate(timeout=120)
    finally:
        run.kill()
    assert run.returncode == 1, output[-2000:]
    assert "interrupted" in output
    assert json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["exit_status"] == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_many_unreachable_feeds_give_one_short_reason_per_cause():
    # A source of 13 feeds with no network: one reason naming the cause, not 13 URLs on one line.
    feeds = [f"https://www.yna.co.kr/rss/{name}.xml" for name in ("news", "politics", "economy")] * 4 + [
        "https://www.yna.co.kr/rss/sports.xml"
    ]
    failures = [(url, "DNS lookup failed") for url in feeds] + [("https://feeds.example/n.xml", "HTTP 404")]
    stats = {"newsbot/feed/error": len(failures)}
    assert source_failures(stats, feed_failures=failures) == [
        "13 feeds unreachable (DNS lookup failed): https://www.yna.co.kr/rss/news.xml and 12 more",
        "feed unreachable: https://feeds.example/n.xml (HTTP 404)",
    ]


def test_a_run_whose_every_article_fails_to_download_fails_with_one_line(tmp_path):
    # The feed answers, but the site refuses every article (a block): not a run that went fine.
    site = LocalSite()
    for number in range(3):
        site.add(SavedPage(path=f"/story-{number}", body=b"", title=f"Story {number}"))
        site.handlers[f"/story-{number}"] = lambda handler: respond(handler, 403, b"blocked", "text/plain")
    with LocalServer(site) as url:
        result = run_newsbot(tmp_path / "site", f"{url}/feed.xml", "-s", "RETRY_TIMES=0")
    assert result.returncode == 1, result.stderr
    assert result.stderr == "newsbot: source feed failed: all 3 articles failed to download (HTTP 403)\n"


def test_unreachable_feed_fails_with_one_clear_line_and_the_log_in_the_log_file(tmp_path):
    feed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    log = tmp_path / "newsbot.log"
    for extra in ((), ("-s", f"NEWSBOT_LOG_FILE={log}")):
        result = run_newsbot(tmp_path / "site", feed, "-s", "RETRY_TIMES=0", *extra)
        assert result.returncode == 1
        assert f"feed unreachable: {feed} (connection refused)" in result.stdout
        # No Scrapy start-up, stats or per-request lines: the one line says which feed and why.
        assert result.stderr == f"newsbot: source feed failed: feed unreachable: {feed} (connection refused)\n"
        assert json.loads((tmp_path / "site" / ".newsbot" / "last-run.json").read_text())["exit_status"] == 1
    kept = log.read_text()
    assert "[scrapy.core.engine] INFO: Spider opened" in kept and "Connection refused" in kept
    assert kept.splitlines()[-1].endswith(f"ERROR: source feed failed: feed unreachable: {feed} (connection refused)")


def test_the_crawl_log_is_on_stderr_when_a_log_level_is_asked_for(tmp_path):
    feed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = run_newsbot(tmp_path, feed, "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=INFO")
    assert result.returncode == 1
    assert "[scrapy.core.engine] INFO: Spider opened" in result.stderr
    assert result.stderr.splitlines()[-1].endswith(f"ERROR: source feed failed: feed unreachable: {feed} (connection refused)")
    assert result.stderr.count("source feed failed") == 1


def test_scrapy_crawl_of_an_unreachable_feed_exits_1_with_the_same_line(tmp_path):
    feed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = run_crawl(tmp_path, feed, "RETRY_TIMES=0")
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.splitlines()[-1] == f"scrapy crawl: source feed failed: feed unreachable: {feed} (connection refused)"
    assert "Traceback" not in result.stderr


def test_a_failed_feed_is_named_with_its_cause():
    from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
    from scrapy.http import Request, Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from newsbot.sources.base import failure_cause

    missing = Response("https://example.com/feed.xml", status=404, request=Request("https://example.com/feed.xml"))
    assert failure_cause(Failure(HttpError(missing, "Ignoring non-200 response"))) == "HTTP 404"
    assert failure_cause(Failure(CannotResolveHostError("no.such.host"))) == "DNS lookup failed"
    assert failure_cause(Failure(DownloadTimeoutError("took longer than 30 seconds"))) == "timed out"
    assert failure_cause(Failure(ValueError("something else"))) == "something else"


def test_quick_check_ends_a_run_only_when_every_feed_of_that_same_run_answers_304(tmp_path, served):
    site, url = served
    feed = f"{url}/sitemap.xml"
    assert run_newsbot(tmp_path, feed).returncode == 0
    settings = ProjectSettings([f"NEWSBOT_OUTPUT={tmp_path}"])

    reports = unchanged_run(settings, ["feed"], {"url": feed})
    assert [(report.source, report.feeds_not_modified) for report in reports] == [("feed", 1)]
    assert unchanged_run(settings, ["feed"], {"url": feed, "limit": "3"}) is None  # never completed with these
    assert unchanged_run(settings, ["feed", "yonhap"], {"url": feed}) is None
    assert unchanged_run(ProjectSettings([f"NEWSBOT_OUTPUT={tmp_path}", "NEWSBOT_QUICK_CHECK=False"]), ["feed"], {"url": feed}) is None
    assert unchanged_run(ProjectSettings([f"NEWSBOT_OUTPUT={tmp_path / 'elsewhere'}"]), ["feed"], {"url": feed}) is None

    next(iter(site.pages.values())).modified = "2026-02-01T00:00:00+00:00"  # the sitemap changes
    site.requests.clear()
    assert unchanged_run(settings, ["feed"], {"url": feed}) is None
    assert site.requests == ["/sitemap.xml"]


def test_an_entry_whose_date_moves_but_text_does_not_is_fetched_once_not_on_every_run(tmp_path, served):
    site, url = served
    assert run_newsbot(tmp_path, f"{url}/sitemap.xml").returncode == 0
    before = _posts(tmp_path)
    first, second = list(site.pages)[:2]
    site.pages[first].modified = "2026-02-01T00:00:00+00:00"  # a new <lastmod>, the same article
    site.requests.clear()
    assert run_newsbot(tmp_path, f"{url}/sitemap.xml").returncode == 0
    assert _article_requests(site) == [first]
    assert _posts(tmp_path) == before  # unchanged: not rewritten

    site.pages[second].modified = "2026-02-02T00:00:00+00:00"  # the sitemap changes again, for another page
    site.requests.clear()
    assert run_newsbot(tmp_path, f"{url}/sitemap.xml").returncode == 0
    assert _article_requests(site) == [second]


def _with_test_spiders() -> dict[str, str]:
    """The environment of a run that also finds the spiders of tests/broken_sources.py."""
    tests = str(Path(__file__).parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), tests, os.environ.get("PYTHONPATH")]))}


def test_a_spider_that_fails_to_start_is_a_failed_source_with_its_cause_not_a_newsbot_traceback(tmp_path, served):
    site, url = served
    log = tmp_path / "newsbot.log"
    spiders = ["-s", "SPIDER_MODULES=broken_sources"]
    command = newsbot_command(tmp_path / "site", f"{url}/feed.xml", *spiders, "-s", f"NEWSBOT_LOG_FILE={log}")
    command[command.index("feed")] = "fails_to_start"
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=_with_test_spiders())
    line = "source fails_to_start failed: did not start (ValueError: a bug in the spider's start)"
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr == f"newsbot: {line}\n"
    assert "FAILED: did not start (ValueError: a bug in the spider's start)" in result.stdout
    assert json.loads((tmp_path / "site" / ".newsbot" / "last-run.json").read_text())["exit_status"] == 1
    kept = log.read_text()  # a bug: its traceback is in the log
    assert "ERROR: source fails_to_start did not start" in kept and 'raise ValueError("a bug in the spider' in kept

    scrapy = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "fails_to_start", "-a", f"url={url}/feed.xml", "-s", f"NEWSBOT_OUTPUT={tmp_path}",
         *spiders], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=_with_test_spiders(),
    )
    assert scrapy.returncode == 1, scrapy.stderr[-3000:]
    assert scrapy.stderr.splitlines()[-1] == f"scrapy crawl: {line}"


def test_a_spider_error_says_how_to_see_its_traceback_when_no_log_keeps_it(tmp_path, served):
    site, url = served
    command = newsbot_command(tmp_path, f"{url}/feed.xml", "-s", "SPIDER_MODULES=broken_sources")
    command[command.index("feed")] = "raises_on_feed"
    quiet = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=_with_test_spiders())
    assert quiet.returncode == 1
    assert quiet.stderr == ("newsbot: source raises_on_feed failed: spider error; "
                            "to see its traceback, run again with -s LOG_LEVEL=INFO\n")
    shown = subprocess.run([*command, "-s", "LOG_LEVEL=INFO"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                           env=_with_test_spiders())
    assert shown.returncode == 1 and 'raise ValueError("a bug in parse_feed")' in shown.stderr
