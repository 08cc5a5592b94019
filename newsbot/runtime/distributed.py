"""Many workers on one crawl through Redis (scrapy-redis), switched on by ``NEWSBOT_REDIS_URL``.

- The scheduler queue and the duplicate filter live in Redis (scrapy-redis), so workers share the
  work and no article is fetched twice.
- What was posted lives in Redis too (:class:`~newsbot.state.redis.RedisStateStore`), and a post is
  written only under an atomic claim (``SET NX``), so two workers finishing the same story post it once.
- Every worker keeps a heartbeat key alive; the article requests it has taken are listed with its
  id, in the same step as it takes them from the queue. When a worker's heartbeat expires (it
  died), another worker puts its requests back in the queue. Workers stop when the queue and the
  in-flight list stay empty for ``NEWSBOT_REDIS_IDLE_SECONDS``.
"""

from __future__ import annotations

import base64
import json
import logging
import pickle
import time

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from newsbot import signals as newsbot_signals
from newsbot.config import STOPPED_STAT, RunError, stopping_on_run_error, without_password
from newsbot.state.base import url_key
from newsbot.state.redis import PREFIX, WORKER_ID, connect

logger = logging.getLogger(__name__)


class RedisAddon:
    """Scrapy add-on: with ``NEWSBOT_REDIS_URL`` set, scrapy-redis schedules and deduplicates."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("NEWSBOT_REDIS_URL")
        if not url:
            return
        for name, value in {
            "SCHEDULER": "newsbot.runtime.redis_scheduler.RedisScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,  # one worker closing must not flush the others' queue
            "REDIS_URL": url,
            "SCHEDULER_QUEUE_KEY": f"{PREFIX}:%(spider)s:requests",
            "SCHEDULER_QUEUE_CLASS": "newsbot.runtime.redis_scheduler.TakingQueue",
            "SCHEDULER_DUPEFILTER_KEY": f"{PREFIX}:%(spider)s:dupefilter",
            "REDIS_PARAMS": {"redis_cls": "newsbot.state.redis_client.Client"},  # Redis lost: one line, not tracebacks
        }.items():
            settings.set(name, value, priority="addon")


class RedisWorker:
    """Heartbeat, in-flight article requests, takeover of a dead worker's work, and idle stop."""

    heartbeat_seconds = 10
    idle_seconds = 30.0

    def __init__(self, crawler: Crawler, url: str) -> None:
        from newsbot.state.redis_client import forget_loss  # the optional redis extra, there when the URL is set

        forget_loss(url)  # a new run: Redis may be back
        self.crawler = crawler
        self.url = url
        self.server = connect(url)
        self.encoded_server = connect(url, text=False)
        """For the encoded requests of the ``taken`` lists (pickles, not text)."""
        self.server_run: str | None = None
        """The Redis server's ``run_id`` when the crawl opened: a new one means it restarted since."""
        self.worker_id = WORKER_ID
        self.idle_seconds = crawler.settings.getfloat("NEWSBOT_REDIS_IDLE_SECONDS", self.idle_seconds)
        self.idle_since: float | None = None
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisWorker:
        url = crawler.settings.get("NEWSBOT_REDIS_URL")
        if not url:
            logger.debug("off: NEWSBOT_REDIS_URL is not set: running on the embedded defaults")
            raise NotConfigured  # without a message: Scrapy logs one at WARNING, and this is the default
        worker = cls(crawler, url)
        crawler.signals.connect(worker.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(worker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.request_taken, signal=newsbot_signals.request_taken)
        for done in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(worker.item_done, signal=done)
        crawler.signals.connect(worker.article_failed, signal=newsbot_signals.article_failed)
        crawler.signals.connect(worker.spider_error, signal=signals.spider_error)
        crawler.signals.connect(worker.request_dropped, signal=signals.request_dropped)
        return worker

    @property
    def inflight_key(self) -> str:
        return f"{PREFIX}:{self.crawler.spider.name}:inflight"

    def spider_opened(self, spider) -> None:
        with stopping_on_run_error(self.crawler):
            self.server_run = self.server.run_id()
            self.beat()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.heartbeat_seconds / 3, now=False)

    def beat(self) -> None:
        self.server.set(heartbeat_key(self.worker_id), "alive", ex=self.heartbeat_seconds)

    def alive(self, worker: str) -> bool:
        """Whether ``worker``'s heartbeat key has not expired."""
        return bool(self.server.exists(heartbeat_key(worker)))

    def spider_key(self, setting: str) -> str:
        """The Redis key a scrapy-redis ``setting`` (``%(spider)s`` in it) names for this crawl's spider."""
        return self.crawler.settings.get(setting, "") % {"spider": self.crawler.spider.name}

    def tick(self) -> None:
        with stopping_on_run_error(self.crawler):
            self.check_same_server()
            self.beat()
            self.take_over_dead_workers()

    def check_same_server(self) -> None:
        """A Redis restarted mid-run (its client reconnects without a word) may have lost the queue, the
        duplicate filter and the in-flight list: articles would be lost and the run end as if complete."""
        if self.server_run is not None and self.server.run_id() != self.server_run:
            raise RunError(f"Redis at {without_password(self.url)} restarted during the run (what it held may be "
                           "gone); the run stopped: run again")

    # In-flight entries are keyed by the feed entry's link, not the request's URL: a redirected
    # request (taken again from the queue, maybe by another worker) replaces its original's entry,
    # and every way an article ends (item, failure, not HTML, callback error, dropped redirect) finds it.

    def request_taken(self, request: Request, spider, encoded: bytes | None = None) -> None:
        """Listed in flight as this worker's, and off its ``taken`` list (``encoded``: as the queue held
        it), in one transaction: no kill, and no Redis lost in between, can lose it."""
        with stopping_on_run_error(self.crawler), self.server.pipeline() as transaction:
            if "entry" in request.cb_kwargs:  # every article request; feeds are each worker's own
                request_data = base64.b64encode(pickle.dumps(request.to_dict(spider=spider))).decode("ascii")
                payload = json.dumps({"worker": self.worker_id, "request": request_data})
                transaction.hset(self.inflight_key, url_key(request.cb_kwargs["entry"].url), payload)
            if encoded is not None:
                transaction.lrem(taken_key(spider.name, self.worker_id), 1, encoded)
            transaction.execute()

    def item_done(self, item, spider, **kwargs) -> None:
        self.finish(getattr(item, "feed_url", "") or getattr(item, "url", ""))

    def article_failed(self, url: str, spider, request: Request | None = None) -> None:
        """An article request ended without an article: it is no longer in flight, and the shared
        duplicate filter forgets it (and the link it was made for), so that the next reading of the
        feed asks for it again, as a run without Redis does: a page that failed for a while (a 503,
        a timeout) is not lost for good."""
        self.finish(url)
        with stopping_on_run_error(self.crawler):
            self.forget(Request(url), *([request] if request is not None else []))

    def forget(self, *requests: Request) -> None:
        """Take ``requests`` out of the shared duplicate filter."""
        from scrapy_redis.dupefilter import RFPDupeFilter  # the optional redis extra, there when the URL is set

        key = self.spider_key("SCHEDULER_DUPEFILTER_KEY")
        fingerprints = RFPDupeFilter(self.server, key)
        self.server.srem(key, *{fingerprints.request_fingerprint(request) for request in requests})

    def spider_error(self, failure, response, spider) -> None:
        """The article's callback raised."""
        self.finish(_entry_url(response.request))

    def request_dropped(self, request: Request, spider) -> None:
        """A redirect the duplicate filter (or the scheduler) refused: its original ends here.

        Only a redirect: a feed read again (by this worker or for another) makes fresh requests for
        the articles in flight, which the duplicate filter drops; those must not end the flights.
        """
        if request.meta.get("redirect_urls"):
            self.finish(_entry_url(request))

    def finish(self, url: str) -> None:
        """Remove ``url``'s in-flight entry if it is this worker's (another worker may have taken it since)."""
        if not url:
            return
        key = url_key(url)
        with stopping_on_run_error(self.crawler):
            payload = self.server.hget(self.inflight_key, key)
            if payload and json.loads(payload)["worker"] == self.worker_id:
                self.server.hdel(self.inflight_key, key)

    def take_over_dead_workers(self) -> None:
        dead = self.take_over_taken()
        for key, payload in self.server.hgetall(self.inflight_key).items():
            entry = json.loads(payload)
            if entry["worker"] == self.worker_id or self.alive(entry["worker"]):
                continue
            dead.add(entry["worker"])
            if self.server.hdel(self.inflight_key, key):  # only one worker wins the takeover
                data = pickle.loads(base64.b64decode(entry["request"]))  # written by a newsbot worker
                request = request_from_dict(data, spider=self.crawler.spider).replace(dont_filter=True)
                logger.warning("taking over %s from dead worker %s", request.url, entry["worker"])
                self.crawler.stats.inc_value("newsbot/redis/taken_over")
                self.crawler.engine.crawl(request)
        if dead:
            self.release_claims_of(dead)

    def take_over_taken(self) -> set[str]:
        """Requeue what dead workers took from the queue and never listed in flight (Redis carried out a
        pop whose answer they never got); this worker's own list is empty between two pops unless
        that happened to it. Returns the dead workers."""
        spider = self.crawler.spider
        dead: set[str] = set()
        for worker in self.server.smembers(takers_key(spider.name)):
            if worker != self.worker_id and self.alive(worker):
                continue
            # Each request to a single worker (the pop is atomic), as scrapy-redis encoded it (pickle).
            while (encoded := self.encoded_server.lpop(taken_key(spider.name, worker))) is not None:
                request = request_from_dict(pickle.loads(encoded), spider=spider).replace(dont_filter=True)
                logger.warning("taking over %s, taken from the queue by %s and never started", request.url, worker)
                self.crawler.stats.inc_value("newsbot/redis/taken_over")
                self.crawler.engine.crawl(request)
            if worker != self.worker_id:
                dead.add(worker)
                self.server.srem(takers_key(spider.name), worker)
        return dead

    def has_taken(self, spider_name: str) -> bool:
        """Whether a request waits in any worker's ``taken`` list (a dead worker's, not yet taken over)."""
        return any(self.server.exists(taken_key(spider_name, worker)) for worker in self.server.smembers(takers_key(spider_name)))

    def release_claims_of(self, workers: set[str]) -> None:
        """Post claims a dead worker held (it died mid-write): the taken-over articles need them."""
        for key in self.server.scan_iter(f"{PREFIX}:claim:*"):
            if self.server.get(key) in workers:
                self.server.delete(key)

    def spider_idle(self, spider) -> None:
        queue_key = self.spider_key("SCHEDULER_QUEUE_KEY")
        busy = 0
        with stopping_on_run_error(self.crawler):
            self.check_same_server()  # before it decides the crawl is over
            self.take_over_dead_workers()
            busy = (
                self.server.hlen(self.inflight_key) or queue_length(self.server, queue_key) or self.has_taken(spider.name)
            )
        if self.crawler.stats.get_value(STOPPED_STAT):
            return  # stopped (Redis gone, disk full): nothing to wait for
        now = time.monotonic()
        if busy:
            self.idle_since = None
        elif self.idle_since is None:
            self.idle_since = now
        if busy or now - self.idle_since < self.idle_seconds:
            raise DontCloseSpider

    def spider_closed(self, spider) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        try:
            self.server.delete(heartbeat_key(self.worker_id))
            if not self.server.exists(taken_key(spider.name, self.worker_id)):
                self.server.srem(takers_key(spider.name), self.worker_id)
        except RunError:
            logger.debug("Redis gone at close: the heartbeat key expires by itself")


def heartbeat_key(worker: str) -> str:
    """The key ``worker`` keeps alive while it runs: the other workers tell a dead one by its absence."""
    return f"{PREFIX}:worker:{worker}"


def taken_key(spider: str, worker: str) -> str:
    """The list of requests ``worker`` took from ``spider``'s queue and has not yet listed in flight."""
    return f"{PREFIX}:{spider}:taken:{worker}"


def takers_key(spider: str) -> str:
    """The set of workers that may have a ``taken`` list: looked up, not scanned for, on every tick."""
    return f"{PREFIX}:{spider}:takers"


def _entry_url(request: Request | None) -> str:
    """The feed entry's link an article request was made for; empty for other requests."""
    entry = request.cb_kwargs.get("entry") if request is not None else None
    return getattr(entry, "url", "")


def queue_length(server, key: str) -> int:
    """Requests waiting in scrapy-redis's queue, whichever queue class (zset or list) holds them."""
    kind = server.type(key)
    if kind == "zset":
        return server.zcard(key)
    if kind == "list":
        return server.llen(key)
    return 0
