"""One post per story, through real crawls of a local site.

We have no saved pages of one story told by several outlets. The pages here are minimal HTML
pages that we build for the test from real article texts, and they are not presented as any
site's pages: the English ones from BASIL (The New York Times, Fox News and HuffPost reporting
one event on one day; tests/fixtures/stories, see SOURCES.md), the Korean ones from the real
Hankook Ilbo and Maeil Business articles in tests/fixtures/pages (a flash cut from the first
paragraph, the roundup with the whole text; two wires as two different cuts of one article).
"""

from __future__ import annotations

import asyncio
import gzip
import html
import json
import os
import random
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import redis
import yaml

from conftest import FIXTURES, PAGES, PROJECT_ROOT, newsbot_command, read_post, run_newsbot
from newsbot import extract_article
from newsbot.devserver import LocalServer, LocalSite, SavedPage
from newsbot.exporters.jekyll import PostTemplate, render_post
from newsbot.stories.desk import completeness
from newsbot.stories.store import RedisStoryStore

OUTLETS = {"nyt": "The New York Times", "fox": "Fox News", "hpo": "HuffPost"}


def article_page(title: str, paragraphs: list[str], published: str, site_name: str, language: str) -> bytes:
    """A minimal article page around real text: headline, outlet, date, paragraphs."""
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta property="og:title" content="{html.escape(title)}">'
        f'<meta property="og:site_name" content="{html.escape(site_name)}">'
        f'<meta property="article:published_time" content="{published}">'
        f"</head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    ).encode("utf-8")


MAX_POSTS = 60
"""Posts the 150 articles of 50 stories may make (the issue's bound): 53-55 measured over five arrival
orders with each story's articles dated one day (bench/stories.py). Text decides; time only lowers
the bar for the one story open that day (NEWSBOT_STORY_LONE_THRESHOLD), and a missed merge is a
duplicate post, not a wrong one."""


def basil_site() -> tuple[LocalSite, dict[str, str]]:
    """The 150 BASIL articles (50 stories x 3 outlets), shuffled, each story's articles dated its
    first article's day (outlets' own dates differ by a day at times); page path -> story."""
    with gzip.open(FIXTURES / "stories" / "dev_en-sample.jsonl.gz", "rt", encoding="utf-8") as stream:
        rows = [row for row in map(json.loads, stream) if row["dataset"] == "BASIL"]
    story_day: dict[str, str] = {}
    for row in rows:
        row["date"] = story_day.setdefault(row["cluster"], row["date"])
    random.Random(14).shuffle(rows)
    site, truth = LocalSite(), {}
    for row in rows:
        path = f"/{row['source'].lower()}/{row['id']}"
        paragraphs = [line for line in row["text"].split("\n") if line.strip()]
        page = article_page(row["title"], paragraphs, f"{row['date']}T12:00:00+00:00", OUTLETS[row["source"].lower()], "en")
        site.add(SavedPage(path=path, body=page, title=row["title"], modified=f"{row['date']}T12:00:00+00:00"))
        truth[path] = row["cluster"]
    return site, truth


def posts_of(output: Path) -> dict[str, tuple[dict, str]]:
    return {path.name: read_post(path) for path in sorted((output / "_posts").glob("*.md"))}


def check_stories(output: Path, truth: dict[str, str], base_url: str) -> tuple[int, int]:
    """Posts and listed articles; fails on a post that mixes two stories or lists an article twice."""
    listed = []
    for name, (matter, body) in posts_of(output).items():
        paths = [source["url"].removeprefix(base_url) for source in matter["sources"]]
        assert len({truth[path] for path in paths}) == 1, (name, paths)
        assert matter["source_url"] in [source["url"] for source in matter["sources"]]
        for source in matter["sources"]:
            assert f'<a href="{html.escape(source["url"])}">' in body
        listed += paths
    assert len(listed) == len(set(listed))
    return len(posts_of(output)), len(listed)


def test_150_articles_of_50_stories_make_few_posts_none_mixing_two_stories(tmp_path):
    site, truth = basil_site()
    with LocalServer(site) as url:
        result = run_newsbot(tmp_path, f"{url}/feed.xml", timeout=400)
        assert result.returncode == 0, result.stderr[-3000:]
        posts, listed = check_stories(tmp_path, truth, url)
        print(f"150 articles of 50 stories: {posts} posts, {listed} articles listed")
        assert posts <= MAX_POSTS
        assert listed >= 0.95 * len(truth)
        report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["sources"][0]
        assert report["new_posts"] == posts and report["new_posts"] + report["updated_posts"] == listed

        before = {name: path.read_bytes() for name, path in ((p.name, p) for p in (tmp_path / "_posts").iterdir())}
        rerun = run_newsbot(tmp_path, f"{url}/feed.xml", "-s", "NEWSBOT_QUICK_CHECK=False", timeout=400)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert {path.name: path.read_bytes() for path in (tmp_path / "_posts").iterdir()} == before


def test_kill_during_story_updates_leaves_every_post_whole_and_the_rerun_finishes(tmp_path):
    site, truth = basil_site()
    site.delay = 0.05
    with LocalServer(site) as url:
        process = subprocess.Popen(
            newsbot_command(tmp_path, f"{url}/feed.xml"), cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            assert _wait_for(lambda: _updated_posts(tmp_path) >= 3, 300)  # updates are under way
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        for name, (matter, body) in posts_of(tmp_path).items():
            assert matter["title"] and matter["sources"], name
            assert body.rstrip().endswith("</a>"), name  # the footer: the file is whole
        site.delay = 0
        rerun = run_newsbot(tmp_path, f"{url}/feed.xml", timeout=400)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        posts, listed = check_stories(tmp_path, truth, url)
        assert posts <= MAX_POSTS and listed >= 0.95 * len(truth)


def _updated_posts(output: Path) -> int:
    count = 0
    for path in (output / "_posts").glob("*.md") if (output / "_posts").exists() else ():
        try:
            count += "\nlast_modified_at:" in path.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
    return count


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def korean_paragraphs(name: str, url: str) -> tuple[str, list[str]]:
    article = extract_article(gzip.decompress((PAGES / name).read_bytes()), url)
    return article.title, [line for line in article.body_text.split("\n") if line.strip()]


HANKOOK = ("fundus-kr-HankookIlbo_2025_05_15.html.gz", "https://www.hankookilbo.com/News/Read/A2025051516330004328")
MBN = ("fundus-kr-MBN_2025_06_03.html.gz", "https://www.mk.co.kr/news/politics/11333783")


def korean_site(pages: list[tuple[str, str, list[str], str]], hours_ago: dict[str, int] | None = None) -> LocalSite:
    """Pages published an hour ago (or ``hours_ago[path]``), so their stories are still open on the next run."""
    site = LocalSite()
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    for path, title, paragraphs, outlet in pages:
        published = (now - timedelta(hours=(hours_ago or {}).get(path, 1))).isoformat(timespec="seconds")
        site.add(SavedPage(path=path, body=article_page(title, paragraphs, published, outlet, "ko"),
                           title=title, modified=published))
    return site


def crawl_pages(output: Path, site: LocalSite, port: int = 0) -> str:
    with LocalServer(site, port) as url:
        result = run_newsbot(output, f"{url}/feed.xml", "-s", "NEWSBOT_QUICK_CHECK=False")
        assert result.returncode == 0, result.stderr[-3000:]
    return url


def test_a_korean_flash_then_its_roundup_make_one_post_with_the_roundup_as_main(tmp_path):
    title, paragraphs = korean_paragraphs(*HANKOOK)
    lede = [next(paragraph for paragraph in paragraphs if len(paragraph) >= 100)]
    flash = korean_site([("/wire/flash", f"[1보] {title}", lede, "한국일보")], {"/wire/flash": 5})
    url = crawl_pages(tmp_path, flash)
    port = int(url.rsplit(":", 1)[1])
    (name, (matter, _)), = posts_of(tmp_path).items()
    assert matter["title"] == f"[1보] {title}" and "last_modified_at" not in matter
    first_date = matter["date"]

    roundup = korean_site([("/wire/flash", f"[1보] {title}", lede, "한국일보"),
                           ("/wire/roundup", f"{title}(종합)", paragraphs, "한국일보")], {"/wire/flash": 5})
    crawl_pages(tmp_path, roundup, port)
    (updated_name, (matter, body)), = posts_of(tmp_path).items()
    assert updated_name == name
    assert matter["date"] == first_date  # the roundup, 4 hours later, takes over the post but not its date (permalink)
    assert matter["title"] == f"{title}(종합)"
    assert matter["source_url"] == f"{url}/wire/roundup"
    assert [source["url"] for source in matter["sources"]] == [f"{url}/wire/flash", f"{url}/wire/roundup"]
    assert matter["last_modified_at"]
    assert f"{title}(종합)" in html.unescape(body)  # the body is the roundup's brief
    assert matter["excerpt"].startswith('"경상도와 전라도로 나눠서 왜 싸우나."')  # the roundup's summary, not the flash's


def test_two_korean_wires_on_one_event_make_one_post_and_another_event_its_own(tmp_path):
    title, paragraphs = korean_paragraphs(*HANKOOK)
    other_title, other = korean_paragraphs(*MBN)
    site = korean_site([
        ("/wire-a/1", title, paragraphs[: len(paragraphs) * 2 // 3], "가통신"),
        ("/wire-b/1", f"{title[:20]}…현장 발언", paragraphs[len(paragraphs) // 3 :], "나통신"),
        ("/wire-a/2", other_title, other, "가통신"),
    ])
    url = crawl_pages(tmp_path, site)
    posts = posts_of(tmp_path)
    assert len(posts) == 2
    listed = sorted(tuple(sorted(source["url"] for source in matter["sources"])) for matter, _ in posts.values())
    assert listed == sorted([(f"{url}/wire-a/1", f"{url}/wire-b/1"), (f"{url}/wire-a/2",)])


def test_stories_off_gives_one_post_per_article(tmp_path):
    title, paragraphs = korean_paragraphs(*HANKOOK)
    site = korean_site([("/wire-a/1", title, paragraphs, "가통신"), ("/wire-b/1", title, paragraphs, "나통신")])
    with LocalServer(site) as url:
        result = run_newsbot(tmp_path, f"{url}/feed.xml", "-s", "NEWSBOT_STORIES=False")
        assert result.returncode == 0, result.stderr[-3000:]
    posts = posts_of(tmp_path)
    assert len(posts) == 2
    assert all("sources" not in matter for matter, _ in posts.values())


def test_a_roundup_outranks_a_report_which_outranks_a_bulletin_and_a_flash():
    assert completeness("이재명 호남 유세(종합)", "짧다") > completeness("이재명 호남 유세", "긴 기사 " * 50)
    assert completeness("이재명 호남 유세", "본문") > completeness("이재명 호남 유세(2보)", "본문 " * 50)
    assert completeness("(2보) 이재명 호남 유세", "본문") > completeness("[속보] 이재명 호남 유세", "본문 " * 50)
    assert completeness("Quake hits Chile", "long " * 50) > completeness("Quake hits Chile", "short")


def test_the_attribution_links_every_source_and_the_front_matter_lists_them():
    item = {
        "title": "T: 'quoted' # \"x\"", "url": "https://a.example/1", "source": "A & Co", "published": "2025-05-15T16:33:00+09:00",
        "timezone": "Asia/Seoul", "body_html": "<p>Body</p>", "excerpt": "Body", "language": "en",
        "sources": [{"name": "A & Co", "url": "https://a.example/1"}, {"name": "B", "url": "https://b.example/2?x=1&y={2}"}],
        "last_modified_at": "2025-05-15T09:00:00+00:00",
    }
    text = render_post(item, PostTemplate())
    matter = yaml.safe_load(text.split("---\n")[1])
    assert matter["sources"] == item["sources"]
    assert matter["source_url"] == "https://a.example/1"
    assert matter["last_modified_at"] == datetime(2025, 5, 15, 9, tzinfo=timezone.utc)
    assert ('<p>Source: <a href="https://a.example/1">A &amp; Co</a></p>\n'
            '<p>Source: <a href="https://b.example/2?x=1&amp;y=&#123;2&#125;">B</a></p>') in text
    single = render_post({**item, "sources": [], "last_modified_at": ""}, PostTemplate())
    assert '<p>Source: <a href="https://a.example/1">A &amp; Co</a></p>' in single
    assert "sources:" not in single and "last_modified_at" not in single


def test_two_redis_workers_post_each_story_once(tmp_path, redis_url):
    site, truth = basil_site()
    site.delay = 0.05
    outputs = [tmp_path / "a", tmp_path / "b"]
    with LocalServer(site) as url:
        workers = [
            subprocess.Popen(
                newsbot_command(output, f"{url}/feed.xml", "-s", f"NEWSBOT_REDIS_URL={redis_url}",
                                "-s", "NEWSBOT_REDIS_IDLE_SECONDS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"),
                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            for output in outputs
        ]
        for worker in workers:
            _, errors = worker.communicate(timeout=400)
            assert worker.returncode == 0, errors[-3000:]
    # A post updated by the other worker lands in both outputs under one name: the later has more sources.
    latest: dict[str, dict] = {}
    for output in outputs:
        for name, (matter, _) in posts_of(output).items():
            if len(matter["sources"]) > len(latest.get(name, {}).get("sources", [])):
                latest[name] = matter
    assert all(posts_of(output) for output in outputs)  # both workers posted
    listed = []
    for name, matter in latest.items():
        paths = [source["url"].removeprefix(url) for source in matter["sources"]]
        assert len({truth[path] for path in paths}) == 1, (name, paths)
        listed += paths
    assert len(listed) == len(set(listed)) >= 0.95 * len(truth)
    assert len(latest) <= MAX_POSTS


def test_waiting_for_the_story_claim_leaves_the_event_loop_to_other_work(redis_url):
    store = RedisStoryStore(redis_url, 48)
    other_worker = redis.Redis.from_url(redis_url)
    other_worker.set(f"{RedisStoryStore.prefix}:lock", "another worker", ex=30)
    turns: list[int] = []

    async def downloads() -> None:  # the crawl's other work, which a blocking wait would stall
        for turn in range(5):
            turns.append(turn)
            await asyncio.sleep(0)
        other_worker.delete(f"{RedisStoryStore.prefix}:lock")  # the other worker is done

    async def post_a_story() -> list[int]:
        task = asyncio.create_task(downloads())
        async with store.lock():
            seen = list(turns)
        await task
        return seen

    assert asyncio.run(post_a_story()) == [0, 1, 2, 3, 4]
    assert other_worker.get(f"{RedisStoryStore.prefix}:lock") is None  # released after the post
    store.close()
