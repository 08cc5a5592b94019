"""Sitemaps in a crawl: behind a sitemap index that answers 304, and gzipped (``.xml.gz``)."""

from __future__ import annotations

import gzip

from conftest import read_post, run_newsbot

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _article_requests(site) -> list[str]:
    return [path for path in site.requests if path in site.pages]


def test_a_changed_sitemap_behind_an_unchanged_sitemap_index_is_still_read(tmp_path, served):
    site, url = served
    index = (
        f'<?xml version="1.0" encoding="utf-8"?><sitemapindex xmlns="{SITEMAP_NS}">'
        f"<sitemap><loc>{url}/sitemap.xml</loc></sitemap></sitemapindex>"
    ).encode()
    site.handlers["/sitemap-index.xml"] = lambda handler: handler._send_feed(index, "application/xml; charset=utf-8")
    assert run_newsbot(tmp_path, f"{url}/sitemap-index.xml").returncode == 0
    assert len(list((tmp_path / "_posts").glob("*.md"))) == len(site.pages)

    first, second = list(site.pages)[:2]
    for path, quick_check in ((first, "False"), (second, "True")):  # Scrapy's 304 path, then the quick check's
        site.pages[path].body = site.pages[path].body.replace(b"</h1>", b" (updated)</h1>", 1)
        site.pages[path].modified = "2026-02-01T00:00:00+00:00"
        site.requests.clear()
        result = run_newsbot(tmp_path, f"{url}/sitemap-index.xml", "-s", f"NEWSBOT_QUICK_CHECK={quick_check}")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "/sitemap.xml" in site.requests
        assert _article_requests(site) == [path]


def test_a_gzipped_sitemap_is_read(tmp_path, served):
    site, url = served
    site.handlers["/sitemap.xml.gz"] = lambda handler: handler._send(
        200, gzip.compress(site.sitemap(url)), "application/x-gzip"
    )
    result = run_newsbot(tmp_path, f"{url}/sitemap.xml.gz")
    assert result.returncode == 0, result.stdout[-1000:] + result.stderr[-2000:]
    posts = [read_post(path)[0]["source_url"] for path in (tmp_path / "_posts").glob("*.md")]
    assert len(posts) == len(site.pages)
