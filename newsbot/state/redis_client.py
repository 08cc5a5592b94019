"""The Redis client of every newsbot component and of scrapy-redis: a lost server is a :class:`RunError`.

Redis going away mid-run (killed, restarted, unreachable, hung) is not a bug to log with a traceback
from wherever it was noticed: the run cannot go on. Raised as :class:`RedisLost`, it reaches the
component boundaries (scheduler, worker signals, spider middleware, writer), which stop the
crawl with its one line and exit status 1; from then on no call of the run waits for that Redis
again. Its own module: ``redis`` is the optional extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.client import Pipeline
from redis.retry import Retry

from newsbot.config import RunError, without_password

LOST = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_lost: dict[str, Exception] = {}
"""URL -> the error that lost it, in this process: once one call found Redis gone, the run is
stopping, and every later call (of any client of that URL) fails at once. Each would otherwise
wait out its own timeout, and a crawl stopping with work in hand makes dozens of them."""


def forget_loss(url: str) -> None:
    """A new run on ``url`` (a crawl starting) tries Redis again."""
    _lost.pop(url, None)


class RedisLost(RunError):
    """Redis stopped answering in the middle of a run."""

    def __init__(self, url: str, error: Exception) -> None:
        super().__init__(f"Redis at {without_password(url)} stopped answering ({error}); the run stopped: "
                         "bring Redis back and run again")


def _answer(url: str, call: Callable[..., Any], *args: Any, **options: Any) -> Any:
    """``call``'s answer from the Redis at ``url``; :class:`RedisLost` at once if this run lost it already."""
    if url in _lost:
        raise RedisLost(url, _lost[url])
    try:
        return call(*args, **options)
    except LOST as error:
        _lost[url] = error
        raise RedisLost(url, error) from error


class _Pipeline(Pipeline):
    url = ""

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        return _answer(self.url, super().execute, raise_on_error)


class Client(redis.Redis):
    """``redis.Redis`` whose lost connection raises :class:`RedisLost` (scrapy-redis's ``redis_cls`` too)."""

    url = ""

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Client:
        # A call waits at most one socket timeout: redis-py (and scrapy-redis's REDIS_PARAMS) would
        # reconnect after a timeout and wait again, up to ten times. A dropped connection (Redis closes
        # idle ones) is still opened again once.
        kwargs["retry"] = Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,))
        kwargs["retry_on_timeout"] = False
        client = super().from_url(url, **kwargs)
        client.url = url
        return client

    def execute_command(self, *args: Any, **options: Any) -> Any:
        return _answer(self.url, super().execute_command, *args, **options)

    def run_id(self) -> str | None:
        """The server's ``run_id``, new at each start of Redis; None where INFO is refused (some hosted Redis)."""
        try:
            return self.info("server").get("run_id")
        except redis.exceptions.ResponseError:
            return None

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> _Pipeline:
        pipe = _Pipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        pipe.url = self.url
        return pipe
