"""End to end: a real crawl of the feed spider over real saved pages served on 127.0.0.1."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import FAST, manifest, read_post, run_crawl
from newsbot.compose.texts import post_texts
from newsbot.extract.korean import HANGUL

SEED_KEYS = ["title", "categories", "excerpt", "feature_text", "image"]


def test_crawl_writes_one_valid_post_per_real_article(tmp_path, served):
    site, url = served
    result = run_crawl(tmp_path, f"{url}/feed.xml")
    assert result.returncode == 0, result.stderr[-3000:]
    posts = sorted((tmp_path / "_posts").glob("*.md"))
    expected = manifest()
    assert len(expected) >= 20
    assert len({entry["url"].split("/")[2] for entry in expected}) >= 5
    assert len(posts) == len(expected)
    by_title = {}
    for post in posts:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md", post.name)
        matter, body = read_post(post)
        assert list(matter)[:5] == SEED_KEYS
        assert isinstance(matter["title"], str) and matter["title"]
        assert matter["categories"][0] == "News" and all(isinstance(c, str) for c in matter["categories"])
        assert isinstance(matter["excerpt"], str) and matter["excerpt"]
        # The texts around a post follow its language: the seed's Korean, English on every other post.
        texts = post_texts("ko" if HANGUL.search(matter["title"]) else "en")
        assert matter["feature_text"].startswith(texts["feature_heading"].format(brand="koreablockchain") + "\n")
        assert isinstance(matter["image"], str) and matter["image"]
        assert isinstance(matter["date"], datetime) and matter["date"].utcoffset() is not None
        # The file name's day is the date's day in the site's zone (Asia/Seoul), where Jekyll files the post.
        assert post.name.startswith(matter["date"].astimezone(ZoneInfo("Asia/Seoul")).strftime("%Y-%m-%d"))
        assert "<script" not in body.lower() and "<iframe" not in body.lower()
        paragraphs = (re.sub(r"<[^>]+>", "", paragraph) for paragraph in re.findall(r"<p>(.*?)</p>", body, re.S))
        assert any(len(text.strip()) >= 20 for text in paragraphs), post.name  # an article, not a stub
        assert body.rstrip().endswith(texts["footer"].format(site_url="https://newsdao.kr"))
        by_title[" ".join(matter["title"].split())] = matter
    for entry in expected:
        if entry["title"]:
            assert entry["title"] in by_title, entry["title"]
            assert by_title[entry["title"]]["date"].strftime("%Y-%m-%d") == entry["published_day"]
    korean = by_title["장동혁, 한동훈 제명했지만… '윤 어게인' 절연 ·외연 확장 부담 커졌다"]
    assert korean["date"].isoformat() == "2026-01-29T18:40:00+09:00"


def test_second_crawl_fetches_no_article_and_writes_nothing(tmp_path, served):
    site, url = served
    assert run_crawl(tmp_path, f"{url}/feed.xml").returncode == 0
    first = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "_posts").glob("*.md")}
    site.requests.clear()
    result = run_crawl(tmp_path, f"{url}/feed.xml")
    assert result.returncode == 0
    article_requests = [path for path in site.requests if path not in ("/feed.xml", "/robots.txt")]
    assert article_requests == []
    assert {path.name: path.stat().st_mtime_ns for path in (tmp_path / "_posts").glob("*.md")} == first


def test_an_empty_output_setting_means_the_output_folder_for_every_part_of_the_run(tmp_path, served):
    """``-s NEWSBOT_OUTPUT=`` (an unset variable in a cron line, say) is ``output/`` for the posts and the
    state as for the paths check and the lock: not posts and state in the current folder."""
    _, url = served
    command = [sys.executable, "-m", "newsbot.cli", "crawl", "feed", "-a", f"url={url}/feed.xml", "-s", "NEWSBOT_OUTPUT=", *FAST]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list((tmp_path / "output" / "_posts").glob("*.md"))) > 20
    assert (tmp_path / "output" / ".newsbot" / "state.sqlite3").is_file()
    assert not (tmp_path / "_posts").exists() and not (tmp_path / ".newsbot").exists()
