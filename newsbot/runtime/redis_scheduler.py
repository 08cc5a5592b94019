"""scrapy-redis's scheduler, telling the worker which requests it took from the shared queue.

Its own module: scrapy-redis is an optional dependency, loaded only when
``NEWSBOT_REDIS_URL`` makes this the scheduler.
"""

from __future__ import annotations

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

from newsbot import signals as newsbot_signals


class RedisScheduler(Scheduler):
    """Sends ``request_taken`` for each request it pops from Redis.

    Requests wait in the worker (for robots.txt, for a download slot) before they reach
    the downloader; marked in flight only there, those a killed worker held were lost.
    """

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            self.spider.crawler.signals.send_catch_log(newsbot_signals.request_taken, request=request, spider=self.spider)
        return request
