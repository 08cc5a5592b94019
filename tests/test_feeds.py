"""Feed and sitemap parsing over the real feeds in fixtures/feeds (see its MANIFEST.tsv)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from newsbot.feeds import parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
KOREAN = Path(__file__).parent / "fixtures" / "korean-feeds"


def _manifest() -> list[dict]:
    with open(FEEDS / "MANIFEST.tsv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


REAL = [row["path"] for row in _manifest() if row["kind"] == "real-world"]


@pytest.mark.parametrize("path", REAL)
def test_every_real_feed_yields_absolute_article_links(path):
    document = parse_feed(gzip.decompress((FEEDS / f"{path}.gz").read_bytes()), "https://feeds.example.org/feed")
    assert document.kind in ("rss", "atom", "json", "sitemap"), document.error
    assert document.entries, path
    assert all(entry.url.startswith(("http://", "https://")) for entry in document.entries)
    for entry in document.entries:
        assert not entry.published or entry.published[19:20] in "+-", entry.published


def _feed(path: str):
    return parse_feed(gzip.decompress((FEEDS / f"{path}.gz").read_bytes()), "https://feeds.example.org/feed")


def test_google_news_sitemap_gives_title_date_and_keywords():
    entries = _feed("crawler-commons/shinpaideshou-news-sitemap.xml").entries
    assert entries[0].title.startswith("Job Opening: Reischauer Policy")
    assert entries[0].published == "2017-04-25T10:00:36+00:00"


def test_rss_with_media_gives_dates_with_offset_and_images():
    entries = _feed("rss-parser/guardian.rss").entries
    assert len(entries) == 55
    assert entries[0].published.endswith("+00:00")
    assert any(entry.image_url for entry in entries)


def test_latin1_feeds_decode_whether_declared_or_not():
    declared = _feed("rss-parser/encoding.rss").entries
    assert declared[0].title.startswith("Mãe de utente")
    undeclared = _feed("rss-parser/uolNoticias.rss").entries
    assert all("\ufffd" not in entry.title for entry in undeclared)
    assert any(ch in "".join(entry.title for entry in undeclared) for ch in "ãçéó")


def test_json_feed_and_sitemap_index():
    assert len(_feed("trafilatura/feed.json").entries) == 25
    index = parse_feed(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/news-sitemap.xml</loc></sitemap></sitemapindex>",
        "https://www.yna.co.kr/sitemap.xml",
    )
    assert index.kind == "sitemapindex" and index.sitemaps == ["https://www.yna.co.kr/news-sitemap.xml"]


def test_rss1_rdf_feed_parses():
    document = _feed("rss-parser/rss-1.rss")
    assert document.kind == "rss" and len(document.entries) == 69


@pytest.mark.parametrize("name", ["acnnewswire.net.xml", "blog.empas.com.xml", "arts.egloos.com.xml"])
def test_euc_kr_feeds_decode_like_their_cp949_conversion(name):
    legacy = parse_feed(gzip.decompress((KOREAN / f"{name}.gz").read_bytes()), "https://example.kr/rss")
    converted = gzip.decompress((KOREAN / f"{name}.utf8.gz").read_bytes()).decode("utf-8")
    assert legacy.entries
    for entry in legacy.entries[:5]:
        assert "\ufffd" not in entry.title
        assert entry.title.split()[0] in converted


def test_hostile_sitemap_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc></url></urlset>'
    ).encode()
    document = parse_feed(body, "https://a.example/sitemap.xml")
    assert all("TOPSECRET" not in entry.url for entry in document.entries)
