"""The ``newsbot`` command: crawl sources, extract one page, run the offline demo."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbot.runtime.report import SourceReport

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOURCE_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


def _settings(overrides: dict[str, str]):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    return settings


def _pairs(values: list[str]) -> dict[str, str]:
    result = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"newsbot: expected NAME=VALUE, got {pair!r}")
        result[name.strip()] = value
    return result


def source_failures(stats: dict, shared_queue: bool = False) -> list[str]:
    """Why a finished crawl counts as failed for cron; empty when it went fine.

    With a shared (Redis) queue another worker may have fetched every feed: not a failure.
    """
    reasons = []
    if stats.get("newsbot/feed/error"):
        reasons.append(f"{stats['newsbot/feed/error']} feed(s) unreachable")
    if stats.get("newsbot/feed/unparseable"):
        reasons.append(f"{stats['newsbot/feed/unparseable']} feed(s) not parseable")
    if stats.get("spider_exceptions/count") or stats.get("log_count/CRITICAL"):
        reasons.append("spider error")
    if not stats.get("newsbot/feed/fetched") and not reasons and not shared_queue:
        reasons.append("no feed was fetched")
    return reasons


def crawl(spiders: list[str], arguments: dict[str, str], overrides: list[str]) -> int:
    """Run ``spiders`` (all enabled sources when empty) under the run lock; the exit status for cron.

    When every feed answers 304 the quick check ends the run before Scrapy starts.
    """
    from newsbot.runtime.quickcheck import ProjectSettings, unchanged_run
    from newsbot.runtime.runlock import LockHeld, RunLock, default_lock_path
    from newsbot.runtime.workers import start_fork_server
    from newsbot.state import state_path

    plain = ProjectSettings(overrides)
    lock_path = plain.get("NEWSBOT_LOCK") or default_lock_path(plain.get("NEWSBOT_OUTPUT", "output"))
    try:
        with RunLock(lock_path):
            with _logging_before_scrapy(plain.get("NEWSBOT_LOG_FILE"), plain.get("LOG_LEVEL", "INFO")):
                reports = unchanged_run(plain, spiders or plain.getlist("NEWSBOT_SOURCES"), arguments)
            if reports is not None:
                return _report(reports, state_path(plain))
            if int(plain.get("NEWSBOT_WORKERS", -1)) != 0:
                start_fork_server()  # its imports run on the other core while this one loads Scrapy
            return _crawl_locked(_settings(plain.overrides), spiders, arguments)
    except LockHeld as exc:
        print(f"newsbot: {exc}; not starting a second run", file=sys.stderr)
        return EXIT_LOCKED


@contextmanager
def _logging_before_scrapy(log_file: str, level: str) -> Iterator[None]:
    """Log as Scrapy does (its format, to ``NEWSBOT_LOG_FILE`` or stderr) until Scrapy installs its own handler."""
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    logging.root.addHandler(handler)
    logging.root.setLevel(level)
    try:
        yield
    finally:
        logging.root.removeHandler(handler)
        handler.close()


def _report(reports: list[SourceReport], state_path: str) -> int:
    """Print the run table, write ``last-run.json`` next to the state file; the exit status."""
    from newsbot.runtime.report import format_table, write_json

    status = EXIT_SOURCE_FAILED if any(report.failures for report in reports) else EXIT_OK
    print(format_table(reports))
    write_json(os.path.join(os.path.dirname(state_path), "last-run.json"), reports, status)
    return status


def _crawl_locked(settings, spiders: list[str], arguments: dict[str, str]) -> int:
    from scrapy.crawler import CrawlerProcess

    from newsbot.runtime.report import SourceReport
    from newsbot.state import state_path

    if settings.get("NEWSBOT_LOG_FILE"):
        settings.set("LOG_FILE", settings.get("NEWSBOT_LOG_FILE"), priority="cmdline")
    process = CrawlerProcess(settings)
    names = spiders or settings.getlist("NEWSBOT_SOURCES")
    known = set(process.spider_loader.list())
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        print(f"newsbot: unknown source(s): {', '.join(unknown) or '(none)'}; known: {', '.join(sorted(known))}", file=sys.stderr)
        return EXIT_USAGE
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, **arguments)
    process.start()
    reports = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats()
        failures = source_failures(stats, shared_queue=bool(settings.get("NEWSBOT_REDIS_URL")))
        if failures:
            logger.error("source %s failed: %s", crawler.spider.name, "; ".join(failures))
        reports.append(SourceReport.from_stats(crawler.spider.name, stats, failures))
    return _report(reports, state_path(settings))


def extract(path: str, url: str) -> int:
    """Print the Article extracted from a saved page as JSON."""
    from newsbot import extract_article

    data = Path(path).read_bytes()
    if path.endswith(".gz"):
        import gzip

        data = gzip.decompress(data)
    article = extract_article(data, url)
    print(json.dumps(asdict(article), ensure_ascii=False, indent=2))
    return EXIT_OK if article.title and article.body_text else EXIT_SOURCE_FAILED


def demo(pages: str, overrides: list[str]) -> int:
    """Serve the saved pages on 127.0.0.1 with a feed and crawl them into the output directory."""
    from newsbot.devserver import LocalServer, load_saved_pages

    site = load_saved_pages(Path(pages))
    with LocalServer(site) as base_url:
        print(f"serving {len(site.pages)} saved pages at {base_url}/feed.xml")
        return crawl(["feed"], {"url": f"{base_url}/feed.xml"}, ["NEWSBOT_IMAGE_MODE=remote", *overrides])


def smoke(source: str, overrides: list[str]) -> int:
    """Live check for users with network: crawl one current article of ``source`` and validate its post."""
    import tempfile

    import yaml

    with tempfile.TemporaryDirectory(prefix="newsbot-smoke-") as output:
        status = crawl([source], {"limit": "1"}, [f"NEWSBOT_OUTPUT={output}", "NEWSBOT_IMAGE_MODE=remote", *overrides])
        posts = sorted(Path(output, "_posts").glob("*.md"))
        if not posts:
            print(f"smoke {source}: FAILED, no post written", file=sys.stderr)
            return EXIT_SOURCE_FAILED
        matter = yaml.safe_load(posts[0].read_text(encoding="utf-8").split("---\n")[1])
        problems = [key for key in ("title", "excerpt", "image", "date", "source_url") if not matter.get(key)]
        if (matter.get("categories") or [None])[0] != "News":
            problems.append("categories")
        print(f"smoke {source}: {'FAILED ' + ', '.join(problems) if problems else 'ok'}: {matter.get('title')!r} {matter.get('date')}")
        return EXIT_SOURCE_FAILED if problems else status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    crawl_parser = commands.add_parser("crawl", help="crawl sources into Jekyll posts")
    crawl_parser.add_argument("spiders", nargs="*", help="source names (default: NEWSBOT_SOURCES)")
    crawl_parser.add_argument("-a", dest="arguments", action="append", default=[], metavar="NAME=VALUE")
    crawl_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    extract_parser = commands.add_parser("extract", help="extract one saved page and print it as JSON")
    extract_parser.add_argument("file")
    extract_parser.add_argument("--url", required=True, help="the page's original URL")
    demo_parser = commands.add_parser("demo", help="crawl the bundled real pages from a local server")
    demo_parser.add_argument("--pages", default="tests/fixtures/pages")
    demo_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    smoke_parser = commands.add_parser("smoke", help="live check: crawl one current article of a source (needs network)")
    smoke_parser.add_argument("source")
    smoke_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    options = parser.parse_args(argv)
    if options.command == "crawl":
        return crawl(options.spiders, _pairs(options.arguments), options.settings)
    if options.command == "extract":
        return extract(options.file, options.url)
    if options.command == "smoke":
        return smoke(options.source, options.settings)
    return demo(options.pages, options.settings)


if __name__ == "__main__":
    sys.exit(main())
