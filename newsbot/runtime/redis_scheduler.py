"""scrapy-redis's scheduler, telling the worker which requests it took from the shared queue, and
stopping the crawl when Redis goes away.

Its own module: scrapy-redis is an optional dependency, loaded only when
``NEWSBOT_REDIS_URL`` makes this the scheduler.
"""

from __future__ import annotations

import warnings
from collections import deque
from typing import Any

from scrapy import Request
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newsbot import signals as newsbot_signals
from newsbot.config import stopping_on_run_error
from newsbot.runtime.distributed import takers_key, taken_key
from newsbot.state.redis import WORKER_ID

# scrapy-redis still passes ``spider=`` to the stats collector: two WARNING lines in every worker's
# log that no newsbot user can act on.
warnings.filterwarnings("ignore", "Passing a 'spider' argument", ScrapyDeprecationWarning, r"scrapy_redis\.")


class TakingQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop also lists the request as taken by this worker, in one step.

    A pop whose answer never arrives (Redis hung past the client's timeout, a dropped connection) may
    still be carried out by Redis: the request would leave the queue, already in the duplicate filter,
    and be lost. Listed under the worker's ``taken`` key in the same Lua script, it is put back in the
    queue by whichever worker finds this one dead, as its in-flight requests are.
    """

    _POP = """
    local top = redis.call('ZRANGE', KEYS[1], 0, 0)
    if #top == 0 then return false end
    redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
    redis.call('RPUSH', KEYS[2], top[1])
    redis.call('SADD', KEYS[3], ARGV[1])
    return top[1]
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker_id = WORKER_ID
        self.popped: bytes | None = None
        """The encoded request the last pop took: the worker takes it off its ``taken`` list once in flight."""
        self._pop = self.server.register_script(self._POP)

    def pop(self, timeout: int = 0) -> Request | None:
        taken = taken_key(self.spider.name, self.worker_id)
        self.popped = self._pop(keys=[self.key, taken, takers_key(self.spider.name)], args=[self.worker_id])
        return self._decode_request(self.popped) if self.popped is not None else None


class RedisScheduler(Scheduler):
    """Sends ``request_taken`` for each request it pops from Redis; keeps feed requests to itself.

    Requests wait in the worker (for robots.txt, for a download slot) before they reach
    the downloader; marked in flight only there, those a killed worker held were lost.
    A lost Redis stops the crawl (one line, exit status 1): the engine would otherwise ask
    for the next request, and log its traceback, every few seconds forever.

    Every worker reads its feeds and sitemaps itself (they are small, and its state keeps their
    validators); only the article requests they make are shared. In the shared queue, a busy worker
    could take another's feed request and hold it behind its own downloads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_feeds: deque[Request] = deque()

    def next_request(self) -> Request | None:
        if self.own_feeds:
            return self.own_feeds.popleft()
        request = None
        with stopping_on_run_error(self.spider.crawler):
            request = super().next_request()
        if request is not None:
            self.spider.crawler.signals.send_catch_log(
                newsbot_signals.request_taken, request=request, spider=self.spider, encoded=getattr(self.queue, "popped", None)
            )
        return request

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get("newsbot_feed"):  # a redirect or retry of a feed request keeps its meta
            self.own_feeds.append(request)
            return True
        with stopping_on_run_error(self.spider.crawler):
            return super().enqueue_request(request)
        return False

    def has_pending_requests(self) -> bool:
        if self.own_feeds:
            return True
        with stopping_on_run_error(self.spider.crawler):
            return super().has_pending_requests()
        return False
