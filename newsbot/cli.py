"""The ``newsbot`` command: crawl sources, extract one page, compose its post, run the offline demo."""

from __future__ import annotations

import argparse
import difflib
import io
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from newsbot.config import (
    STOPPED_STAT, RunError, SettingsError, check_paths, check_services, folders_to_make, missing_folders, remove_folders,
    validate_settings,
)
from newsbot.config import url as url_rule
from newsbot.runtime.report import counted

if TYPE_CHECKING:
    from newsbot.devserver import LocalServer, LocalSite
    from newsbot.runtime.quickcheck import ProjectSettings
    from newsbot.runtime.report import Overview, SourceReport

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
        if not sep or not name.strip():
            raise SettingsError(f"expected -a NAME=VALUE, got {pair!r}")
        result[name.strip()] = value
    return result


def crawl(spiders: list[str], arguments: dict[str, str], overrides: list[str]) -> int:
    """Run ``spiders`` (all enabled sources when empty) under the run lock; the exit status for cron.

    Settings are checked first, the output, state and Redis before the first request; a mistake
    ends the run with one line on standard error. When every feed answers 304 the quick check
    ends the run before Scrapy starts. Either way the run is published (``NEWSBOT_PUBLISH``),
    reported and kept in the history.
    """
    from newsbot.files import output_dir
    from newsbot.runtime.quickcheck import ProjectSettings, unchanged_run
    from newsbot.runtime.runlock import LockHeld, RunLock, default_lock_path
    from newsbot.runtime.workers import start_fork_server
    from newsbot.state import state_path
    from newsbot.state.history import utcnow

    try:
        plain = ProjectSettings(overrides)
        validate_settings(plain)
        output = output_dir(plain)
        lock = plain.get("NEWSBOT_LOCK") or default_lock_path(output)
        new_folders = missing_folders([output, *(os.path.dirname(os.path.abspath(path)) for path in (lock, state_path(plain)))])
        check_paths(plain)  # before the lock, which lives in one of them
        try:
            with RunLock(lock):
                check_services(plain, output)
                started = utcnow()
                with _logging_before_scrapy(plain):
                    reports = unchanged_run(plain, spiders or plain.getlist("NEWSBOT_SOURCES"), arguments)
                if reports is None:
                    if int(plain.get("NEWSBOT_WORKERS", -1)) != 0:
                        start_fork_server()  # its imports run on the other core while this one loads Scrapy
                    reports = _crawl_locked(plain, spiders, arguments)
                return _finish(plain, reports, started)
        except SettingsError:
            remove_folders(new_folders)  # refused before crawling (an unknown source, say): no trace left
            raise
    except LockHeld as exc:
        print(f"newsbot: {exc}; not starting a second run", file=sys.stderr)
        return EXIT_LOCKED
    except RunError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return error.exit_status


def log_on_stderr(settings: ProjectSettings) -> bool:
    """Does the crawl log go to standard error? Only when asked for with ``-s LOG_LEVEL`` and no
    ``NEWSBOT_LOG_FILE`` takes it: otherwise a run leaves its table on stdout and, when something
    failed, one line per failure on stderr, not Scrapy's hundred lines of start-up and stats."""
    return not settings.get("NEWSBOT_LOG_FILE") and "LOG_LEVEL" in settings.overrides


@contextmanager
def _logging_before_scrapy(settings: ProjectSettings) -> Iterator[None]:
    """Log as Scrapy will (its format, to ``NEWSBOT_LOG_FILE``, stderr or nowhere) until Scrapy installs its own handler."""
    log_file = settings.get("NEWSBOT_LOG_FILE")
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    elif log_on_stderr(settings):
        handler = logging.StreamHandler()
    else:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    logging.root.addHandler(handler)
    logging.root.setLevel(settings.get("LOG_LEVEL", "INFO"))
    try:
        yield
    finally:
        logging.root.removeHandler(handler)
        handler.close()


def _finish(settings: ProjectSettings, reports: list[SourceReport], started: datetime) -> int:
    """Publish, print the run table, write ``last-run.json``, keep the run in the history; the exit status."""
    from newsbot.runtime.publish import publish
    from newsbot.runtime.report import format_table, overview, write_json
    from newsbot.state import state_path
    from newsbot.state.history import RunHistory, new_run_id, utcnow

    path = state_path(settings)
    with RunHistory(path) as history:
        published = publish(settings, history)
        failed = any(report.failures for report in reports) or (published is not None and not published.ok)
        status = EXIT_SOURCE_FAILED if failed else EXIT_OK
        print(format_table(reports))
        if published is not None:
            print(f"publish ({published.mode}): {'ok' if published.ok else 'FAILED'}: {published.message}")
            if not published.ok and not log_on_stderr(settings):  # else the log just said it
                print(f"newsbot: publish ({published.mode}) failed: {published.message}", file=sys.stderr)
        write_json(os.path.join(os.path.dirname(path), "last-run.json"), reports, status, published)
        run_id, ended = new_run_id(), utcnow()
        history.record_run(run_id, reports, started, ended, status)
        if published is not None:
            history.record_publish(run_id, ended, published)
        history.prune(int(settings.get("NEWSBOT_HISTORY_DAYS", 90)))
        page = settings.get("NEWSBOT_REPORT_HTML")
        if page:
            from newsbot.runtime.report_page import write_report_page

            try:
                write_report_page(page, overview(history))
            except OSError as error:
                print(f"newsbot: cannot write NEWSBOT_REPORT_HTML={page}: {error.strerror or error}", file=sys.stderr)
                status = EXIT_SOURCE_FAILED
    return status


def _crawl_locked(plain: ProjectSettings, spiders: list[str], arguments: dict[str, str]) -> list[SourceReport]:
    """One report per source of a Scrapy crawl of ``spiders``; one line on stderr for each failed source."""
    from scrapy.crawler import CrawlerProcess

    from newsbot.runtime.report import (
        BUG_REASONS, SourceReport, catch_start_error, crawler_failures, crawler_stats, failure_line,
    )

    settings = _settings(plain.overrides)
    if settings.get("NEWSBOT_LOG_FILE"):
        settings.set("LOG_FILE", settings.get("NEWSBOT_LOG_FILE"), priority="cmdline")
    elif not log_on_stderr(plain):
        settings.set("LOG_ENABLED", False, priority="cmdline")
    names = spiders or settings.getlist("NEWSBOT_SOURCES")
    _spider_classes(settings, names, arguments)  # before CrawlerProcess logs anything
    process = CrawlerProcess(settings)
    crawlers, start_errors = [], {}
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        catch_start_error(process.crawl(crawler, **arguments), name, start_errors)
    process.start()
    reports, lines, stopped = [], [], ""
    for crawler in crawlers:
        name, stats = crawler.spidercls.name, crawler_stats(crawler)
        failures = crawler_failures(crawler, start_errors)
        if failures:
            lines.append(failure_line(name, failures))
            logger.error("%s", lines[-1])
        reports.append(SourceReport.from_stats(name, stats, failures))
        stopped = stopped or stats.get(STOPPED_STAT, "")
    if stopped:
        print(f"newsbot: stopped: {stopped}", file=sys.stderr)  # the cause of every source's failure
    elif not log_on_stderr(plain):  # else the log just ended with these lines
        kept_nowhere = not plain.get("NEWSBOT_LOG_FILE")
        for line in lines:
            bug = kept_nowhere and any(reason in line for reason in BUG_REASONS)
            print(f"newsbot: {line}{'; to see its traceback, run again with -s LOG_LEVEL=INFO' if bug else ''}", file=sys.stderr)
    return reports


def _spider_classes(settings, names: list[str], arguments: dict[str, str]) -> list[type]:
    """The spider of each source; :class:`SettingsError` for an unknown one or an argument it would not take."""
    from scrapy.utils.misc import load_object

    loader = load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings.frozencopy())
    known = loader.list()
    classes = []
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise SettingsError(f"unknown source {name!r}; {hint}known: {', '.join(sorted(known))}")
        classes.append(loader.load(name))
        classes[-1].check_arguments(arguments)
    return classes


def extract(path: str, url: str) -> int:
    """Print the fields extracted from a saved page as JSON, not the ones a crawl fills in later."""
    from newsbot.items import PAGE_FIELDS

    article = _saved_article(path, url)
    print(json.dumps({name: getattr(article, name) for name in PAGE_FIELDS}, ensure_ascii=False, indent=2))
    missing = [name for name, value in (("headline", article.title), ("body text", article.body_text)) if not value]
    if missing:
        print(f"newsbot: no article in {path}: no {' and no '.join(missing)}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    return EXIT_OK


def _saved_article(path: str, url: str):
    """The Article of a saved page (gzipped or not); :class:`SettingsError` for a bad URL or file."""
    import gzip
    import zlib

    from newsbot import extract_article

    problem = url_rule("http", "https").check(url)
    if problem:
        raise SettingsError(f"--url {url}: {problem}; give the page's original http(s) URL")
    try:
        data = Path(path).read_bytes()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror or error}") from None
    except (EOFError, zlib.error) as error:
        raise SettingsError(f"cannot read {path}: not a complete gzip file ({error})") from None
    return extract_article(data, url)


# The pipeline steps between extraction and the writer, in crawl order (images are not downloaded).
_COMPOSE_STEPS = [
    "newsbot.pipelines.validate_article.ValidateArticlePipeline",
    "newsbot.pipelines.normalize_fields.NormalizeFieldsPipeline",
    "newsbot.pipelines.absolutize_urls.AbsolutizeUrlsPipeline",
    "newsbot.pipelines.sanitize_body.SanitizeBodyPipeline",
    "newsbot.pipelines.build_excerpt.BuildExcerptPipeline",
    "newsbot.pipelines.choose_image.ChooseImagePipeline",
]


def compose(path: str, url: str, overrides: list[str]) -> int:
    """Print the post newsbot would write from a saved page under ``overrides`` (brief, full or rewrite).

    Nothing is written and no state is read: a rewrite always asks the model.
    """
    import asyncio
    import inspect

    from itemadapter import ItemAdapter
    from scrapy import Spider
    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    from newsbot.exporters.jekyll import PostTemplate, render_post

    settings = _settings(_pairs(overrides))
    validate_settings(settings)
    article = _saved_article(path, url)
    settings.set("NEWSBOT_WORKERS", 0, priority="cmdline")  # one page: no worker processes
    if settings.get("NEWSBOT_IMAGE_MODE", "download") == "download":
        settings.set("NEWSBOT_IMAGE_MODE", "remote", priority="cmdline")  # nothing is downloaded: the image's URL stands in
    template = PostTemplate.from_settings(settings)
    # No reactor (the steps run on asyncio here, outside a crawl) and of the extensions only the pools.
    only_pools = {"TWISTED_REACTOR_ENABLED": False, "EXTENSIONS": {"newsbot.runtime.workers.WorkerPools": 100}}
    crawler = get_crawler(Spider, {**settings.copy_to_dict(), **only_pools})
    steps = [load_object(step).from_crawler(crawler) for step in _COMPOSE_STEPS]
    rewriter = None
    if template.body_mode == "rewrite":
        from newsbot.compose.rewrite import Rewriter
        from newsbot.state.sqlite import SqliteStateStore

        rewriter = Rewriter(crawler, SqliteStateStore(":memory:"))

    async def run() -> object:
        item = article
        for step in steps:
            result = step.process_item(item)
            item = await result if inspect.isawaitable(result) else result
        if rewriter is not None:
            await rewriter.rewrite_item(item)
        if settings.getbool("NEWSBOT_STORIES"):  # the crawl's post of a story of one article lists it
            adapter = ItemAdapter(item)
            adapter["sources"] = [{"name": adapter.get("source") or "", "url": adapter.get("url")}]
        return item

    try:
        item = asyncio.run(run())
    except DropItem as exc:
        print(f"newsbot: no post: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    sys.stdout.write(render_post(item, template))
    for key, value in sorted(crawler.stats.get_stats().items()):
        if key.startswith("newsbot/rewrite/"):
            print(f"{key}: {value}", file=sys.stderr)
    return EXIT_OK


# The keys of a line of a `newsbot stories` file; the first three are required.
STORY_KEYS = ("id", "title", "text", "published", "language", "source")


def _story_line_problem(row: object) -> str:
    """What is wrong with one parsed line of a ``newsbot stories`` file; empty when nothing is.

    ``id`` (a string or an integer), ``title`` and ``text`` must be there, title or text not empty;
    ``published``, ``language`` and ``source`` may be left out; every value but the id is a string or null.
    """
    if not isinstance(row, dict):
        return f"expected an object with the keys {', '.join(STORY_KEYS)}"
    unknown = [key for key in row if key not in STORY_KEYS]
    if unknown:
        return f"unknown key {unknown[0]!r}; the keys are {', '.join(STORY_KEYS)}"
    missing = [key for key in STORY_KEYS[:3] if key not in row]
    if missing:
        return f"no {' and no '.join(repr(key) for key in missing)}; id, title and text are required"
    if not isinstance(row["id"], (str, int)) or isinstance(row["id"], bool):
        return f"'id' must be a string or an integer, not {_json_kind(row['id'])}"
    for key in STORY_KEYS[1:]:
        if not isinstance(row.get(key) or "", str):
            return f"{key!r} must be a string, not {_json_kind(row[key])}"
    if not (row["title"] or row["text"]):
        return "'title' and 'text' are both empty"
    return ""


def _json_kind(value: object) -> str:
    """How a JSON value of the wrong type is named in a message: ``1.5``, ``true``, ``a list``."""
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else json.dumps(value)


def _story_articles(stream: TextIO, name: str) -> tuple[list, list[tuple[str, str, str, datetime | None, str]]]:
    """The ids (as given) and articles of a ``newsbot stories`` file; ValueError naming the first bad line.

    A ``published`` value that is not an ISO date counts as no date (with a warning), as the
    grouper compares undated articles on their text alone. An id may appear once: the output
    names articles by id (``1`` and ``"1"`` are one id to the grouper).
    """
    from newsbot.stories import parse_published

    ids, articles, lines = [], [], {}
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            # json's own message ends in "at" where the position would follow ("Invalid control character at").
            where = "column" if exc.msg.endswith(" at") else "at column"
            raise ValueError(f"{name} line {number}: not JSON ({exc.msg} {where} {exc.colno})") from None
        problem = _story_line_problem(row)
        if problem:
            raise ValueError(f"{name} line {number}: {problem}")
        first = lines.setdefault(str(row["id"]), number)
        if first != number:
            raise ValueError(f"{name} line {number}: id {json.dumps(row['id'], ensure_ascii=False)} "
                             f"is the id of line {first} too; each article needs its own id")
        try:
            published = parse_published(row.get("published") or "")
        except ValueError:
            print(f"newsbot: {name} line {number}: published {row['published']!r} is not an ISO date; "
                  "compared as undated", file=sys.stderr)
            published = None
        ids.append(row["id"])
        articles.append((str(row["id"]), row["title"] or "", row["text"] or "", published, row.get("language") or ""))
    return ids, articles


def stories(path: str, overrides: list[str]) -> int:
    """Group the articles of a JSON-lines file (``-``: standard input) into stories; print ``{id, story}``
    per article in input order."""
    from newsbot.stories import GrouperConfig, group

    settings = _settings(_pairs(overrides))
    validate_settings(settings)
    name = "standard input" if path == "-" else path
    try:
        with io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8") if path == "-" else open(path, encoding="utf-8") as stream:
            ids, articles = _story_articles(stream, name)
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}") from None
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    config = GrouperConfig.from_settings(settings)
    for article_id, story in zip(ids, group(articles, config)):
        print(json.dumps({"id": article_id, "story": story}, ensure_ascii=False))
    return EXIT_OK


# The saved real pages of the checkout newsbot is installed from (editable install), whatever the cwd.
BUNDLED_PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


DEMO_PORT = 8741
"""Where ``newsbot demo`` serves the saved pages: the same port each time, so a second demo finds the
same article URLs and has nothing new to post."""


def demo(pages: str, overrides: list[str]) -> int:
    """Serve the saved pages on 127.0.0.1 with a feed and crawl them into the output directory."""
    from newsbot.devserver import load_saved_pages
    from newsbot.runtime.quickcheck import ProjectSettings

    if not Path(pages, "manifest.json").is_file():
        raise SettingsError(f"--pages {pages}: no manifest.json there (the demo needs tests/fixtures/pages of a checkout)")
    plain = ProjectSettings(overrides)
    validate_settings(plain)
    output = check_paths(plain)  # a mistake is one line before anything is served
    site = load_saved_pages(Path(pages))
    server = _demo_server(site, Path(output, ".newsbot", "demo-port"))
    with server as base_url:
        print(f"serving {len(site.pages)} saved pages at {base_url}/feed.xml")
        return crawl(["feed"], {"url": f"{base_url}/feed.xml"}, ["NEWSBOT_IMAGE_MODE=remote", *overrides])


def _demo_server(site: LocalSite, remembered: Path) -> LocalServer:
    """The demo's server on the port the last demo into this output used, else on ``DEMO_PORT``, else
    on a free port: the pages keep their URLs from one demo to the next, so a second finds nothing new."""
    from newsbot.devserver import LocalServer

    last = remembered.read_text(encoding="ascii").strip() if remembered.is_file() else ""
    for port in dict.fromkeys(([int(last)] if last.isdigit() else []) + [DEMO_PORT]):
        try:
            server = LocalServer(site, port=port)
            break
        except OSError:
            continue
    else:
        print(f"port {DEMO_PORT} is taken: serving on a free port, which the next demo into this output will use too")
        server = LocalServer(site)
    remembered.parent.mkdir(parents=True, exist_ok=True)
    remembered.write_text(server.url.rsplit(":", 1)[1], encoding="ascii")
    return server


def smoke(source: str, overrides: list[str]) -> int:
    """Live check for users with network: each feed of ``source`` answers with a feed, and one
    current article crawls into a valid post."""
    import tempfile

    import yaml

    from newsbot.runtime.quickcheck import ProjectSettings
    from newsbot.runtime.smoke import check_feeds

    plain = ProjectSettings(overrides)
    validate_settings(plain)
    (spidercls,) = _spider_classes(_settings(plain.overrides), [source], {"limit": "1"})
    checks = check_feeds(list(spidercls.feeds), plain.user_agent(), float(plain.get("DOWNLOAD_TIMEOUT", 30)))
    for check in checks:
        print(f"smoke {source}: {check.line()}")
    if not any(check.ok for check in checks):
        print(f"smoke {source}: FAILED, no feed answered with a feed", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    with tempfile.TemporaryDirectory(prefix="newsbot-smoke-") as output:
        status = crawl([source], {"limit": "1"}, [f"NEWSBOT_OUTPUT={output}", "NEWSBOT_IMAGE_MODE=remote", *overrides])
        if status == EXIT_USAGE:
            return status  # the one line is printed
        posts = sorted(Path(output, "_posts").glob("*.md"))
        if not posts:
            print(f"smoke {source}: FAILED, no post written", file=sys.stderr)
            return EXIT_SOURCE_FAILED
        matter = yaml.safe_load(posts[0].read_text(encoding="utf-8").split("---\n")[1])
        problems = [key for key in ("title", "excerpt", "image", "date", "source_url") if not matter.get(key)]
        if (matter.get("categories") or [None])[0] != "News":
            problems.append("categories")
        print(f"smoke {source}: {'FAILED ' + ', '.join(problems) if problems else 'ok'}: {matter.get('title')!r} {matter.get('date')}")
        failed_feeds = not all(check.ok for check in checks)
        return EXIT_SOURCE_FAILED if problems or failed_feeds else status


def _history_overview(settings: ProjectSettings) -> Overview:
    """What the run history of the site ``settings`` point at says; :class:`SettingsError` when it has none."""
    from newsbot.runtime.report import overview
    from newsbot.state import state_path
    from newsbot.state.history import RunHistory

    path = state_path(settings)
    if not os.path.exists(path):
        raise SettingsError(f"no run history at {path}; run newsbot crawl first, or point -s NEWSBOT_OUTPUT "
                            "(or NEWSBOT_STATE) at the site")
    with RunHistory(path) as history:
        return overview(history)


def report(output: str | None, overrides: list[str]) -> int:
    """Write the run-history page: ``--output``, else ``NEWSBOT_REPORT_HTML``, else ``report.html`` by the state."""
    from newsbot.runtime.quickcheck import ProjectSettings
    from newsbot.runtime.report_page import write_report_page
    from newsbot.state import state_path

    settings = ProjectSettings(overrides)
    validate_settings(settings)
    facts = _history_overview(settings)
    path = output or settings.get("NEWSBOT_REPORT_HTML") or os.path.join(os.path.dirname(state_path(settings)), "report.html")
    folders_to_make(os.path.dirname(os.path.abspath(path)), f"cannot write {path}")
    try:
        charts = write_report_page(path, facts)
    except OSError as error:
        raise SettingsError(f"cannot write {path}: {error.strerror or error}") from None
    print(f"wrote {path}: {charts} charts, {counted(len(facts.runs), 'source run')}, {len(facts.alerts)} failing")
    return EXIT_OK


def status(overrides: list[str]) -> int:
    """Print what is failing and each source's recent runs; exit 1 when something is failing."""
    from newsbot.runtime.quickcheck import ProjectSettings
    from newsbot.runtime.report import format_status

    settings = ProjectSettings(overrides)
    validate_settings(settings)
    facts = _history_overview(settings)
    print(format_status(facts))
    return EXIT_SOURCE_FAILED if facts.alerts else EXIT_OK


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (exit status 2), not the usage block and the line."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except RunError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return error.exit_status


def _main(argv: list[str] | None) -> int:
    parser = _ArgumentParser(prog="newsbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    crawl_parser = commands.add_parser("crawl", help="crawl sources into Jekyll posts")
    crawl_parser.add_argument("spiders", nargs="*", help="source names (default: NEWSBOT_SOURCES)")
    crawl_parser.add_argument("-a", dest="arguments", action="append", default=[], metavar="NAME=VALUE")
    crawl_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    extract_parser = commands.add_parser("extract", help="extract one saved page and print it as JSON")
    extract_parser.add_argument("file")
    extract_parser.add_argument("--url", required=True, help="the page's original URL")
    compose_parser = commands.add_parser("compose", help="print the post newsbot would write from a saved page")
    compose_parser.add_argument("file")
    compose_parser.add_argument("--url", required=True, help="the page's original URL")
    compose_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    demo_parser = commands.add_parser("demo", help="crawl the bundled real pages from a local server")
    demo_parser.add_argument("--pages", default=str(BUNDLED_PAGES), metavar="FOLDER",
                             help="saved pages to serve, with their manifest.json (default: tests/fixtures/pages "
                                  "of the checkout newsbot runs from)")
    demo_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    stories_parser = commands.add_parser("stories", help="group a JSON-lines file of articles into stories")
    stories_parser.add_argument("file", help="JSON lines {id, title, text, published, language, source}; - for standard input")
    stories_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    smoke_parser = commands.add_parser("smoke", help="live check: crawl one current article of a source (needs network)")
    smoke_parser.add_argument("source")
    smoke_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    report_parser = commands.add_parser("report", help="write the run-history page (HTML with charts)")
    report_parser.add_argument("--output", metavar="FILE.html", help="default: NEWSBOT_REPORT_HTML, else report.html by the state file")
    report_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    status_parser = commands.add_parser("status", help="what is failing and how each source has done, in the terminal")
    status_parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    options = parser.parse_args(argv)
    if options.command == "crawl":
        return crawl(options.spiders, _pairs(options.arguments), options.settings)
    if options.command == "extract":
        return extract(options.file, options.url)
    if options.command == "compose":
        return compose(options.file, options.url, options.settings)
    if options.command == "report":
        return report(options.output, options.settings)
    if options.command == "status":
        return status(options.settings)
    if options.command == "stories":
        return stories(options.file, options.settings)
    if options.command == "smoke":
        return smoke(options.source, options.settings)
    return demo(options.pages, options.settings)


if __name__ == "__main__":
    sys.exit(main())
