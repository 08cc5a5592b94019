"""The Redis client of every newsbot component and of scrapy-redis: a lost server is a :class:`RunError`.

Redis going away mid-run (killed, restarted, unreachable) is not a bug to log with a traceback
from wherever it was noticed: the run cannot go on. Raised as :class:`RedisLost`, it reaches the
component boundaries (scheduler, worker signals, spider middleware, writer), which stop the
crawl with its one line and exit status 1. Its own module: ``redis`` is the optional extra.
"""

from __future__ import annotations

from typing import Any

import redis
from redis.client import Pipeline

from newsbot.config import RunError, without_password

LOST = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class RedisLost(RunError):
    """Redis stopped answering in the middle of a run."""

    def __init__(self, url: str, error: Exception) -> None:
        super().__init__(f"Redis at {without_password(url)} stopped answering ({error}); the run stopped: "
                         "bring Redis back and run again")


class _Pipeline(Pipeline):
    url = ""

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        try:
            return super().execute(raise_on_error)
        except LOST as error:
            raise RedisLost(self.url, error) from error


class Client(redis.Redis):
    """``redis.Redis`` whose lost connection raises :class:`RedisLost` (scrapy-redis's ``redis_cls`` too)."""

    url = ""

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Client:
        client = super().from_url(url, **kwargs)
        client.url = url
        return client

    def execute_command(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute_command(*args, **options)
        except LOST as error:
            raise RedisLost(self.url, error) from error

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> _Pipeline:
        pipe = _Pipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        pipe.url = self.url
        return pipe
