"""Two workers on one crawl through a real Redis: the work is shared, every article posted exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, PROJECT_ROOT, newsbot_command, read_post, start_redis
from scrapy import Request

from newsbot.devserver import LocalServer, SavedPage, load_saved_pages, respond
from newsbot.state.base import url_key
from newsbot.state.history import RunHistory


@pytest.fixture
def forty_pages():
    site = load_saved_pages(FIXTURES / "pages")
    for page in load_saved_pages(FIXTURES / "more-pages").pages.values():
        site.add(page)
    assert len(site.pages) == 40
    return site


def _worker(output: Path, feed: str, redis: str) -> subprocess.Popen:
    """A worker whose log (INFO, on stderr) goes to ``output``.log: a pipe nobody reads while the test
    waits would fill, and stall the worker in its next log line."""
    command = newsbot_command(output, feed, "-s", f"NEWSBOT_REDIS_URL={redis}", "-s", "NEWSBOT_REDIS_IDLE_SECONDS=4",
                              "-s", "LOG_LEVEL=INFO")
    with open(f"{output}.log", "w") as log:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=log)


def _finished(worker: subprocess.Popen, output: Path) -> str:
    """Wait for ``worker`` to stop; its log."""
    worker.wait(timeout=240)
    return Path(f"{output}.log").read_text()


def _in_flight(redis: str) -> Counter:
    """Article requests taken and not finished, per worker process id."""
    import redis as redis_client

    server = redis_client.Redis.from_url(redis, decode_responses=True)
    payloads = server.hgetall("newsbot:feed:inflight").values()
    return Counter(int(json.loads(payload)["worker"].split(":")[1]) for payload in payloads)


def _until(predicate, what: str, *processes: subprocess.Popen) -> None:
    """Poll ``predicate`` (a Redis key, a file) until it holds; fail at once when a worker ended instead."""
    while not predicate():
        for process in processes:
            assert process.poll() is None, f"worker {process.pid} ended (exit {process.returncode}) before {what}"
        time.sleep(0.05)


def _posts(*outputs: Path) -> Counter:
    return Counter(read_post(post)[0]["source_url"] for output in outputs for post in (output / "_posts").glob("*.md"))


def test_two_workers_share_one_crawl_and_post_each_article_once(tmp_path, redis_url, forty_pages):
    first, second = tmp_path / "a", tmp_path / "b"
    forty_pages.held = set(forty_pages.pages)  # no article arrives until both workers have taken some
    with LocalServer(forty_pages) as url:
        workers = [_worker(first, f"{url}/feed.xml", redis_url), _worker(second, f"{url}/feed.xml", redis_url)]
        try:
            _until(lambda: {worker.pid for worker in workers} <= set(_in_flight(redis_url)), "both took work", *workers)
        finally:
            forty_pages.release.set()
        logs = []
        for worker, output in zip(workers, (first, second)):
            logs.append(_finished(worker, output))
            assert worker.returncode == 0, logs[-1][-3000:]
    posts = _posts(first, second)
    assert len(posts) == 40 and set(posts.values()) == {1}
    article_requests = Counter(path for path in forty_pages.requests if path in forty_pages.pages)
    twice = [line for log in logs for line in log.splitlines() if "taking over" in line or "retry/" in line]
    assert len(article_requests) == 40 and set(article_requests.values()) == {1}, twice
    assert _posts(first) and _posts(second), [error[-6000:] for error in logs]
    assert all("'newsbot/feed/fetched': 1," in log for log in logs)  # each read the feed, and once
    # Each worker keeps its runs in its own state file, next to its posts.
    for output in (first, second):
        with RunHistory(str(output / ".newsbot" / "state.sqlite3")) as history:
            runs = history.runs()
        assert [(run.source, run.exit_status) for run in runs] == [("feed", 0)]
        assert runs[0].report["new_posts"] == len(_posts(output))


def test_a_killed_worker_loses_no_article(tmp_path, redis_url, forty_pages):
    first, second = tmp_path / "a", tmp_path / "b"
    forty_pages.held = set(list(forty_pages.pages)[2:])  # the doomed worker can post the first two, no more
    with LocalServer(forty_pages) as url:
        doomed = _worker(first, f"{url}/feed.xml", redis_url)
        survivor = None
        try:
            _until(lambda: list((first / "_posts").glob("*.md")) and _in_flight(redis_url)[doomed.pid], "it posted", doomed)
            survivor = _worker(second, f"{url}/feed.xml", redis_url)
            _until(lambda: _in_flight(redis_url)[survivor.pid], "the survivor took work", survivor)
        finally:
            os.kill(doomed.pid, signal.SIGKILL)
            doomed.wait()
            forty_pages.release.set()
        assert survivor is not None
        errors = _finished(survivor, second)
        assert survivor.returncode == 0, errors[-3000:]
    posts = _posts(first, second)
    assert len(posts) == 40 and set(posts.values()) == {1}
    assert "taking over" in errors  # the dead worker's in-flight articles were requeued


def test_a_workers_feed_requests_stay_out_of_the_shared_queue(redis_url):
    """Only article requests are shared: another worker could take a feed request and hold it
    behind its own downloads, and this worker would read no feed."""
    import redis
    from scrapy.utils.test import get_crawler

    from newsbot.feeds import FeedEntry
    from newsbot.runtime.distributed import RedisAddon, queue_length
    from newsbot.runtime.redis_scheduler import RedisScheduler
    from newsbot.sources.feed import FeedSpider

    crawler = get_crawler(FeedSpider, {"NEWSBOT_REDIS_URL": redis_url, "ADDONS": {RedisAddon: 0}})
    crawler.spider = spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(spider)
    article = Request("https://example.org/a", cb_kwargs={"entry": FeedEntry(url="https://example.org/a")})
    feed = Request("https://example.org/feed.xml", meta={"newsbot_feed": True}, dont_filter=True)  # as feed_request makes it
    assert scheduler.enqueue_request(feed)
    assert scheduler.enqueue_request(article)
    server = redis.Redis.from_url(redis_url, decode_responses=True)
    assert queue_length(server, "newsbot:feed:requests") == 1  # the article only
    assert scheduler.has_pending_requests()
    assert scheduler.next_request().url == "https://example.org/feed.xml"
    assert scheduler.next_request().url == article.url
    assert not scheduler.has_pending_requests()


def test_once_redis_is_lost_no_call_waits_for_it_again(redis_server):
    """A hung Redis: the first call waits out its timeout and the run stops; the calls of the
    stopping crawl (every article in hand makes some) then fail at once, whatever client makes them."""
    from newsbot.state.redis_client import Client, RedisLost, forget_loss

    url, server = redis_server
    client = Client.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    assert client.ping()
    os.kill(server.pid, signal.SIGSTOP)
    try:
        with pytest.raises(RedisLost):
            client.get("newsbot:any")
    finally:
        os.kill(server.pid, signal.SIGCONT)
    other = Client.from_url(url)
    with pytest.raises(RedisLost, match="stopped answering"):
        other.ping()  # Redis answers again, but this run is over
    with pytest.raises(RedisLost), other.pipeline() as pipe:
        pipe.get("newsbot:any").execute()
    forget_loss(url)  # the next run
    assert other.ping()


def test_a_hung_redis_is_waited_for_once_per_call():
    """One socket timeout, not one per reconnection (redis-py's default retries a timeout up to ten
    times: a worker took 65 s to stop). A Redis that accepts connections and never answers: the
    connections it was asked to open wait unaccepted in its backlog, to be counted."""
    import socket

    from newsbot.state.redis_client import Client, RedisLost, forget_loss

    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        client = Client.from_url(url, socket_timeout=0.3, socket_connect_timeout=0.3, retry_on_timeout=True)  # as scrapy-redis asks
        try:
            with pytest.raises(RedisLost, match="Timeout"), client.pipeline() as pipe:
                pipe.zrange("newsbot:feed:requests", 0, 0).zremrangebyrank("newsbot:feed:requests", 0, 0).execute()
        finally:
            forget_loss(url)
        hung.setblocking(False)
        opened = 0
        while True:
            try:
                hung.accept()[0].close()
            except BlockingIOError:
                break
            opened += 1
    assert opened == 1


def test_a_redis_restarted_mid_run_stops_the_run(tmp_path, redis_server):
    """Restarted, Redis may have lost the queue and the in-flight list; its client reconnects silently,
    and without this check the run would end with exit 0 and articles never posted."""
    from scrapy.utils.test import get_crawler

    from newsbot.config import STOPPED_STAT
    from newsbot.runtime.distributed import RedisWorker
    from newsbot.sources.feed import FeedSpider

    url, server = redis_server
    crawler = get_crawler(FeedSpider, {"NEWSBOT_REDIS_URL": url})
    crawler.spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    crawler.engine = _Engine()
    worker = RedisWorker(crawler, url)
    worker.server_run = worker.server.run_id()
    worker.tick()
    assert not crawler.stats.get_value(STOPPED_STAT)
    server.terminate()
    server.wait()
    _, again = start_redis(tmp_path, port=int(url.rsplit(":", 1)[1].split("/")[0]))  # empty, as without persistence
    try:
        worker.tick()
        assert "restarted during the run" in crawler.stats.get_value(STOPPED_STAT)
        assert crawler.engine.closed == "newsbot_stopped"
    finally:
        again.terminate()
        again.wait()


class _Engine:
    closed = ""

    def __init__(self) -> None:
        self.crawled: list[Request] = []

    def close_spider(self, spider, reason: str) -> None:
        self.closed = reason

    def crawl(self, request: Request) -> None:
        self.crawled.append(request)


def _taking_scheduler(redis_url: str):
    """A Redis worker's scheduler and its RedisWorker on one crawler, as a crawl opens them."""
    from scrapy.utils.test import get_crawler

    from newsbot.runtime.distributed import RedisAddon, RedisWorker
    from newsbot.runtime.redis_scheduler import RedisScheduler
    from newsbot.sources.feed import FeedSpider

    crawler = get_crawler(FeedSpider, {"NEWSBOT_REDIS_URL": redis_url, "ADDONS": {RedisAddon: 0}})
    crawler.spider = spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    crawler.engine = _Engine()
    worker = RedisWorker.from_crawler(crawler)
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, worker


def test_a_request_taken_is_listed_in_flight_and_off_the_taken_list(redis_url):
    import redis

    from newsbot.feeds import FeedEntry

    scheduler, _ = _taking_scheduler(redis_url)  # the worker hears the take through its signal
    article = Request("https://example.org/a", cb_kwargs={"entry": FeedEntry(url="https://example.org/a")})
    assert scheduler.enqueue_request(article)
    assert scheduler.next_request().url == article.url
    server = redis.Redis.from_url(redis_url)
    assert server.keys("newsbot:feed:taken:*") == []
    assert list(_inflight(redis_url)) == [url_key(article.url)]


def test_a_pop_whose_answer_never_came_is_taken_over(redis_url):
    """Redis carried out a worker's pop after the worker stopped waiting for it (hung, or the connection
    dropped): the request left the queue, already in the duplicate filter, and no worker was fetching it.
    The pop listed it under the worker's ``taken`` key; when that worker is dead, it goes back to work."""
    import redis

    from newsbot.feeds import FeedEntry

    scheduler, worker = _taking_scheduler(redis_url)
    article = Request("https://example.org/a", cb_kwargs={"entry": FeedEntry(url="https://example.org/a")})
    assert scheduler.enqueue_request(article)
    scheduler.queue.worker_id = "elsewhere:4242:dead01"  # another worker's pop, its answer lost
    assert scheduler.queue.pop() is not None
    server = redis.Redis.from_url(redis_url)
    assert not scheduler.has_pending_requests() and _inflight(redis_url) == {}
    server.set("newsbot:worker:elsewhere:4242:dead01", "alive", ex=60)  # not yet known to be dead
    worker.take_over_dead_workers()
    assert worker.crawler.engine.crawled == [] and worker.has_taken("feed")  # still work: no worker stops
    server.delete("newsbot:worker:elsewhere:4242:dead01")  # its heartbeat expired
    worker.take_over_dead_workers()  # each heartbeat tick
    assert [request.url for request in worker.crawler.engine.crawled] == [article.url]
    assert worker.crawler.engine.crawled[0].dont_filter  # past the duplicate filter that already knows it
    assert server.keys("newsbot:feed:taken:*") == []
    assert server.smembers("newsbot:feed:takers") == set()  # the dead worker is forgotten
    assert worker.crawler.stats.get_value("newsbot/redis/taken_over") == 1


def test_a_failed_article_is_asked_for_again_at_the_next_reading_of_its_feed(redis_url):
    """The shared duplicate filter outlives the run: an article whose page failed for a while (a 503,
    a timeout) would be refused by it at every later reading of the feed, and never posted."""
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from newsbot.feeds import FeedEntry
    from newsbot.sources.feed import FeedSpider

    scheduler, worker = _taking_scheduler(redis_url)
    entry = FeedEntry(url="https://example.org/a")
    article = Request(entry.url, cb_kwargs={"entry": entry})
    assert scheduler.enqueue_request(article) and scheduler.next_request()
    assert not scheduler.enqueue_request(article.replace())  # the feed read again, in this run or the next
    moved = article.replace(url="https://example.org/moved", meta={"redirect_urls": [entry.url]})
    assert scheduler.enqueue_request(moved) and scheduler.next_request()
    failure = Failure(ValueError("HTTP 503"))
    failure.request = moved
    FeedSpider.article_failed(worker.crawler.spider, failure)
    assert _inflight(redis_url) == {}
    assert scheduler.enqueue_request(article.replace())  # asked for again
    assert scheduler.enqueue_request(moved.replace())


def test_queue_length_reads_priority_and_fifo_queues(redis_url):
    import redis

    from newsbot.runtime.distributed import queue_length

    server = redis.Redis.from_url(redis_url, decode_responses=True)
    server.zadd("newsbot:t:zset", {"a": 1, "b": 2})
    server.rpush("newsbot:t:list", "a")
    assert queue_length(server, "newsbot:t:zset") == 2
    assert queue_length(server, "newsbot:t:list") == 1
    assert queue_length(server, "newsbot:t:missing") == 0


def _inflight(redis: str) -> dict[str, str]:
    import redis as redis_client

    return redis_client.Redis.from_url(redis, decode_responses=True).hgetall("newsbot:feed:inflight")


def test_articles_that_end_without_a_post_leave_nothing_in_flight(tmp_path, redis_url, saved_site):
    """A PDF, a redirect to a new URL and a redirect to a page already fetched: the worker still stops."""
    site = saved_site
    pages = list(site.pages)
    unlisted = site.pages[pages[2]]
    site.pages = {path: site.pages[path] for path in pages[:2]}
    site.handlers[unlisted.path] = lambda handler: respond(handler, 200, unlisted.body, "text/html; charset=utf-8")  # served, not in the feed
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 3 >>\nstream\n\x00\x01\x02\nendstream\nendobj\n"  # binary, as PDFs are
    site.add(SavedPage(path="/files/report.pdf", body=pdf, content_type="application/pdf"))
    for path, target in {"/moved/new": unlisted.path, "/moved/known": pages[0]}.items():
        site.add(SavedPage(path=path, body=b""))
        site.handlers[path] = lambda handler, target=target: _redirect(handler, target)
    with LocalServer(site) as url:
        worker = subprocess.Popen(
            newsbot_command(tmp_path, f"{url}/feed.xml", "-s", f"NEWSBOT_REDIS_URL={redis_url}",
                            "-s", "NEWSBOT_REDIS_IDLE_SECONDS=1", "-s", "LOG_LEVEL=INFO"),
            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            _, errors = worker.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its extraction processes
            worker.wait()
            pytest.fail(f"the worker never stopped; in flight: {sorted(_inflight(redis_url))}")
    assert worker.returncode == 0, errors[-3000:]
    assert "not an HTML page" in errors and unlisted.path in site.requests
    assert _inflight(redis_url) == {}
    assert len(list((tmp_path / "_posts").glob("*.md"))) == 3  # the two pages and the new redirect target


def test_a_callback_error_ends_the_articles_flight(redis_url):
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from newsbot.feeds import FeedEntry
    from newsbot.runtime.distributed import RedisWorker
    from newsbot.sources.feed import FeedSpider

    crawler = get_crawler(FeedSpider, {"NEWSBOT_REDIS_URL": redis_url})
    crawler.spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    worker = RedisWorker(crawler, redis_url)
    request = Request("https://example.org/a", cb_kwargs={"entry": FeedEntry(url="https://example.org/a")})
    worker.request_taken(request, crawler.spider)
    assert len(_inflight(redis_url)) == 1
    worker.spider_error(Failure(ValueError("broken page")), Response(request.url, request=request), crawler.spider)
    assert _inflight(redis_url) == {}


def test_a_feed_read_again_leaves_the_articles_in_flight(redis_url):
    """A feed read a second time (one worker reads another's feed request) makes fresh requests for the
    articles in flight; the duplicate filter drops them, and the flights go on. A dropped redirect ends one."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from newsbot.feeds import FeedEntry
    from newsbot.runtime.distributed import RedisWorker
    from newsbot.sources.feed import FeedSpider

    crawler = get_crawler(FeedSpider, {"NEWSBOT_REDIS_URL": redis_url})
    crawler.spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    worker = RedisWorker(crawler, redis_url)
    entry = FeedEntry(url="https://example.org/a")
    taken = Request(entry.url, cb_kwargs={"entry": entry})
    worker.request_taken(taken, crawler.spider)
    worker.request_dropped(Request(entry.url, cb_kwargs={"entry": entry}), crawler.spider)  # from the feed, again
    assert len(_inflight(redis_url)) == 1
    moved = taken.replace(url="https://example.org/known", meta={"redirect_urls": [entry.url]})
    worker.request_dropped(moved, crawler.spider)  # redirected to a page fetched already
    assert _inflight(redis_url) == {}


def _redirect(handler, location: str) -> None:
    handler.send_response(302)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def test_redis_going_away_mid_run_stops_it_with_one_line_and_exit_1(tmp_path, redis_server, saved_site):
    url, server = redis_server
    saved_site.held = set(saved_site.pages)  # the articles wait until Redis is gone
    log = tmp_path / "newsbot.log"
    with LocalServer(saved_site) as base:
        worker = subprocess.Popen(
            newsbot_command(tmp_path / "site", f"{base}/feed.xml", "-s", f"NEWSBOT_REDIS_URL={url}",
                            "-s", f"NEWSBOT_LOG_FILE={log}"),
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            _until(lambda: _inflight(url), "it took an article", worker)
        finally:
            server.kill()
            server.wait()
            saved_site.release.set()
        try:
            output, errors = worker.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its extraction processes
            worker.communicate()
            pytest.fail("the worker never stopped once Redis was gone")
    assert worker.returncode == 1, errors[-3000:]
    assert errors.startswith(f"newsbot: stopped: Redis at {url} stopped answering") and errors.count("\n") == 1, errors
    assert "bring Redis back" in errors
    kept = log.read_text()
    assert "Traceback" not in output + errors + kept, kept[-3000:]
    assert json.loads((tmp_path / "site" / ".newsbot" / "last-run.json").read_text())["exit_status"] == 1


def test_a_redis_password_missing_or_wrong_is_named_so(tmp_path):
    """Not "unreachable": the Redis answered, and wants another password."""
    from newsbot.config import RunError, check_redis

    url, server = start_redis(tmp_path, "--requirepass", "s3cret")
    try:
        with pytest.raises(RunError, match=r"wants a password: redis://:PASSWORD@"):
            check_redis(url)
        with pytest.raises(RunError, match=r"redis://:\*\*\*@127.0.0.1:\d+/0 refused the user or password") as refused:
            check_redis(url.replace("redis://", "redis://:wrong@"))
        assert "wrong" not in str(refused.value)
        check_redis(url.replace("redis://", "redis://:s3cret@"))
    finally:
        server.terminate()
        server.wait()


def test_a_redis_password_is_never_shown():
    from newsbot.config import without_password
    from newsbot.state.redis_client import RedisLost

    assert without_password("redis://:s3cret@cache.internal:6379/0") == "redis://:***@cache.internal:6379/0"
    assert without_password("redis://newsbot:s3cret@cache.internal/0") == "redis://newsbot:***@cache.internal/0"
    assert "s3cret" not in str(RedisLost("redis://:s3cret@cache.internal:6379/0", ConnectionError("refused")))
