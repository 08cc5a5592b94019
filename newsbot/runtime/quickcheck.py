"""Finish a scheduled run whose feeds all answer "not modified" without starting Scrapy.

A cron job polls every few minutes and most polls find nothing new. Starting Scrapy
(imports, components, reactor, shutdown) costs about 1.5 s of CPU; a conditional GET
of each feed the last complete run read (a sitemap index's sitemaps too), with the validators it kept, costs
milliseconds. Only when every feed of every source answers 304 is the run over;
anything else (a changed or unreachable feed, a source or ``-a`` arguments never run
to completion, a feed without validators) starts the full crawl, which handles it as
usual. ``NEWSBOT_QUICK_CHECK = False`` turns it off; Redis mode never uses it.
"""

from __future__ import annotations

import importlib
import logging
import os
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError

from newsbot import contact_user_agent
from newsbot.config import SettingsError
from newsbot.runtime.report import SourceReport
from newsbot.state import arguments_key, state_path
from newsbot.state.sqlite import SqliteStateStore

logger = logging.getLogger(__name__)

MAX_PARALLEL_REQUESTS = 4


class ProjectSettings:
    """The project's settings module plus ``-s`` overrides as plain values, read without loading Scrapy.

    Enough for the names newsbot reads before a crawl (output, state, lock, sources, user agent);
    the crawl itself uses Scrapy's settings.
    """

    def __init__(self, overrides: list[str]) -> None:
        module = importlib.import_module(os.environ.get("SCRAPY_SETTINGS_MODULE", "newsbot.settings"))
        self.values = {name: getattr(module, name) for name in dir(module) if name.isupper()}
        self.overrides: dict[str, str] = {}
        """The ``-s NAME=VALUE`` pairs, for Scrapy's settings at command-line priority."""
        for pair in overrides:
            name, sep, value = pair.partition("=")
            if not sep or not name.strip():
                raise SettingsError(f"expected -s NAME=VALUE, got {pair!r}")
            self.overrides[name.strip()] = value
        self.values.update(self.overrides)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    def getbool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name, default)
        return value.strip().lower() in ("1", "true", "yes", "on") if isinstance(value, str) else bool(value)

    def getlist(self, name: str) -> list[str]:
        value = self.values.get(name) or []
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else list(value)

    def user_agent(self) -> str:
        """What :class:`newsbot.middlewares.ContactUserAgentMiddleware` sends."""
        if self.get("USER_AGENT"):
            return self.get("USER_AGENT")
        return contact_user_agent(self.get("NEWSBOT_CONTACT_URL", ""))


def unchanged_run(settings: ProjectSettings, sources: list[str], arguments: dict[str, str]) -> list[SourceReport] | None:
    """One report per source when every feed of every source answered 304; None when the crawl must run."""
    if not settings.getbool("NEWSBOT_QUICK_CHECK", True) or settings.get("NEWSBOT_REDIS_URL") or not sources:
        return None
    path = state_path(settings)
    if not os.path.exists(path):
        return None
    state = SqliteStateStore(path)
    try:
        feeds_by_source = {source: state.source_feeds(source, arguments_key(arguments)) for source in sources}
        if not all(feeds_by_source.values()):
            return None
        requests = [(url, *state.feed_validators(url)) for feeds in feeds_by_source.values() for url in feeds]
    finally:
        state.close()
    if not all(etag or last_modified for _, etag, last_modified in requests):
        return None
    user_agent, timeout = settings.user_agent(), float(settings.get("DOWNLOAD_TIMEOUT", 30))
    with ThreadPoolExecutor(min(MAX_PARALLEL_REQUESTS, len(requests))) as pool:
        answers = list(pool.map(lambda request: _not_modified(*request, user_agent, timeout), requests))
    if not all(answers):
        return None
    for source, feeds in feeds_by_source.items():
        logger.info("%s: all %d feed(s) unchanged since the last complete run (304); nothing to crawl", source, len(feeds))
    return [
        SourceReport(source=source, feeds_fetched=len(feeds), feeds_not_modified=len(feeds))
        for source, feeds in feeds_by_source.items()
    ]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 304: the crawl follows it, checking where it leads."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _not_modified(url: str, etag: str, last_modified: str, user_agent: str, timeout: float) -> bool:
    """Does ``url`` answer a conditional GET with 304? Any other answer or error means "let the crawl see"."""
    headers = {"User-Agent": user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=timeout):
            return False  # 2xx: changed; the body is left unread for the crawl to fetch
    except HTTPError as error:
        return error.code == 304
    except (OSError, ValueError) as error:
        logger.debug("quick check of %s failed (%s): starting the crawl", url, error)
        return False
