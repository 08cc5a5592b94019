"""The crawl's state store as a Scrapy extension, shared by the spider and the pipelines."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot.state.base import StateStore, state_path


class StateExtension:
    """Opens the store on first use (SQLite, or Redis with ``NEWSBOT_REDIS_URL``); closes it when the engine stops.

    Components reach it with :meth:`store_of`, i.e. ``crawler.get_extension(StateExtension)``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.settings = crawler.settings
        self._store: StateStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    @classmethod
    def store_of(cls, crawler: Crawler) -> StateStore:
        """The store of ``crawler``'s run."""
        extension = crawler.get_extension(cls)
        if extension is None:
            raise RuntimeError(f"enable {cls.__module__}.{cls.__name__} in EXTENSIONS: newsbot needs its state")
        return extension.store

    @property
    def store(self) -> StateStore:
        if self._store is None:
            redis_url = self.settings.get("NEWSBOT_REDIS_URL")
            if redis_url:
                from newsbot.state.redis import RedisStateStore

                self._store = RedisStateStore(redis_url)
            else:
                from newsbot.state.sqlite import SqliteStateStore

                self._store = SqliteStateStore(state_path(self.settings))
        return self._store

    def engine_stopped(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
