"""scrapy-redis's scheduler, telling the worker which requests it took from the shared queue, and
stopping the crawl when Redis goes away.

Its own module: scrapy-redis is an optional dependency, loaded only when
``NEWSBOT_REDIS_URL`` makes this the scheduler.
"""

from __future__ import annotations

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

from newsbot import signals as newsbot_signals
from newsbot.config import RunError, stop_crawl


class RedisScheduler(Scheduler):
    """Sends ``request_taken`` for each request it pops from Redis.

    Requests wait in the worker (for robots.txt, for a download slot) before they reach
    the downloader; marked in flight only there, those a killed worker held were lost.
    A lost Redis stops the crawl (one line, exit status 1): the engine would otherwise ask
    for the next request, and log its traceback, every few seconds forever.
    """

    def next_request(self) -> Request | None:
        try:
            request = super().next_request()
        except RunError as error:
            stop_crawl(self.spider.crawler, str(error))
            return None
        if request is not None:
            self.spider.crawler.signals.send_catch_log(newsbot_signals.request_taken, request=request, spider=self.spider)
        return request

    def enqueue_request(self, request: Request) -> bool:
        try:
            return super().enqueue_request(request)
        except RunError as error:
            stop_crawl(self.spider.crawler, str(error))
            return False

    def has_pending_requests(self) -> bool:
        try:
            return super().has_pending_requests()
        except RunError as error:
            stop_crawl(self.spider.crawler, str(error))
            return False
