"""Hostile pages and misbehaving servers in one feed: the crawl ends, good pages post, bad ones do not."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, PAGES, build_with_jekyll, read_post, run_newsbot
from hostile_network import (
    BRAND_IMAGE, INTERNAL_PAGE, MAXSIZE, SECRET, STUB_DNS, HostileNetworkRun, hostile_network_crawl, redirect_to, rss, stub_dns_env,
)
from newsbot.devserver import SavedPage, load_saved_pages

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
        site.release.wait()  # never answers while the crawl runs: DOWNLOAD_TIMEOUT must end it
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
        # Full bodies: the mode that shows the most of a hostile page (a brief shows plain sentences only).
        result = run_newsbot(
            tmp_path, f"{url}/feed.xml", "-s", "NEWSBOT_BODY=full", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0",
            "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "DOWNLOAD_WARNSIZE=0",
            # The hostile pages share one body, so they are one story: one post per page here.
            "-s", "NEWSBOT_STORIES=False", "-s", "LOG_LEVEL=INFO", timeout=180,
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


# --- a hostile network (tests/hostile_network.py) ---

GOOD_PAGES = ("apnews.com/article/mexico", "reuters.com/business", "reuters.com/world", "theguardian.com", "independent.co.uk",
              "foxnews.com", "voanews.com", "cbc.ca")


def _hostile_network_crawl(output: Path, bombs: bool = True) -> HostileNetworkRun:
    site = load_saved_pages(PAGES)
    good = {path: site.pages[path] for part in GOOD_PAGES for path in site.pages if part in path}
    assert len(good) == len(GOOD_PAGES)
    return hostile_network_crawl(output, good, bombs)


@pytest.fixture(scope="module")
def hostile_network(tmp_path_factory) -> HostileNetworkRun:
    return _hostile_network_crawl(tmp_path_factory.mktemp("hostile-network"))


def _stat(run: HostileNetworkRun, key: str) -> int:
    match = re.search(rf"'{re.escape(key)}': (\d+)", run.log)
    return int(match.group(1)) if match else 0


def test_hostile_network_crawl_reaches_no_internal_address_posts_the_good_articles_and_exits_0(hostile_network):
    run = hostile_network
    assert run.result.returncode == 0, run.log[-3000:]
    assert "Traceback" not in run.log
    assert run.internal_hits == []
    assert not any(SECRET in matter["excerpt"] or SECRET in body for matter, body in run.posts.values())
    # The good pages, and the nesting bomb read up to where the parser stops.
    assert set(run.posts) == set(run.images) | {"/bomb/deep"}, sorted(run.posts)
    assert run.report["exit_status"] == 0 and not run.report["sources"][0]["failures"]


def test_images_that_cannot_be_had_give_the_brand_image_with_one_warning_line_each(hostile_network):
    run = hostile_network
    stored = [path for path, image in run.images.items() if image.endswith("/photos/lead.jpg")]
    for path in run.images:
        matter, body = run.posts[path]
        if path in stored:
            assert re.fullmatch(r"/assets/img/posts/[0-9a-f]{20}\.jpg", matter["image"])
        else:
            assert matter["image"] == BRAND_IMAGE, (path, run.images[path])
            assert f'<img src="{BRAND_IMAGE}"' in body
    warnings = re.findall(r"lead image not used, the post gets the brand image: (\S+)", run.log)
    assert sorted(warnings) == sorted(image for path, image in run.images.items() if path not in stored)


def test_links_redirects_images_and_sitemaps_aimed_at_the_internal_service_are_refused_and_logged_once_per_host(hostile_network):
    run = hostile_network
    refused = run.report["sources"][0]["refused"]
    # A link, a redirect, an image, a sitemap: to 127.0.0.2 and to internal.test, which resolves there;
    # a meta refresh to 127.0.0.2. (Refused robots.txt requests are not counted: the request they are for is.)
    assert refused["request to a non-public address"] == 9
    assert _stat(run, "newsbot/ssrf/refused_address") == refused["request to a non-public address"]
    for host in ("127.0.0.2", "internal.test"):
        lines = [line for line in run.log.splitlines() if re.search(rf"WARNING: refused \S+://{re.escape(host)}[:/]", line)]
        assert len(lines) == 1, lines
    assert "internal.test resolves to 127.0.0.2, not a public address" in run.log
    assert _stat(run, "newsbot/ssrf/refused_scheme") == 1 and refused["request with a scheme other than http/https"] == 1
    assert _stat(run, "newsbot/article/error") == 0  # refusals are not errors


def test_bombs_are_refused_or_cut_with_one_warning_line_and_a_stat_each(hostile_network):
    run = hostile_network
    assert _stat(run, "newsbot/bomb/inflated_body") == 2
    assert len(re.findall(r"WARNING: Ignored response <200 \S+/bomb/(?:gzip|deflate)>", run.log)) == 2
    assert _stat(run, "newsbot/bomb/image_pixels") == 1
    assert _stat(run, "newsbot/bomb/redirect_loop") == 2
    assert len(re.findall(r"WARNING: (?:redirect loop: |more than 20 redirects)", run.log)) == 2
    assert _stat(run, "newsbot/bomb/deep_html") == 1
    assert len(re.findall(r"WARNING: page nested deeper than the HTML parser reads", run.log)) == 1
    assert "Nested page is the access key" in run.posts["/bomb/deep"][1]
    refused = run.report["sources"][0]["refused"]
    assert refused["body inflating past DOWNLOAD_MAXSIZE"] == 2 and refused["redirect loop"] == 2


def test_bombs_leave_the_peak_memory_of_the_crawl_unchanged(hostile_network, tmp_path):
    baseline = _hostile_network_crawl(tmp_path, bombs=False)
    assert baseline.result.returncode == 0, baseline.log[-3000:]
    bombed = hostile_network
    # Each compression bomb may cost the crawl process DOWNLOAD_MAXSIZE (what the largest accepted page may)
    # before it is dropped; 256 MiB inflated twice, or 60000 x 60000 pixels decoded, would show many times over.
    assert bombed.crawl_peak_kib < baseline.crawl_peak_kib + 2 * MAXSIZE // 1024 + 16 * 1024, (bombed.crawl_peak_kib, baseline.crawl_peak_kib)
    # The nesting bomb goes to an extraction worker.
    assert bombed.worker_peaks_kib[0] < baseline.worker_peaks_kib[0] + 16 * 1024, (bombed.worker_peaks_kib, baseline.worker_peaks_kib)


def test_a_feed_that_turns_into_a_redirect_to_the_internal_service_leads_neither_the_quick_check_nor_the_crawl_there(tmp_path):
    from newsbot.devserver import LocalServer, LocalSite, load_saved_pages
    from newsbot.runtime.quickcheck import ProjectSettings, unchanged_run

    site = load_saved_pages(PAGES)
    site.pages = {path: page for path, page in site.pages.items() if GOOD_PAGES[0] in path}
    internal = LocalSite()
    internal.add(SavedPage(path="/sitemap.xml", body=site.sitemap("http://127.0.0.2")))
    with LocalServer(internal, host="127.0.0.2") as inside, LocalServer(site) as url:
        feed = f"{url}/sitemap.xml"
        assert run_newsbot(tmp_path, feed).returncode == 0
        site.handlers["/sitemap.xml"] = redirect_to(f"{inside}/sitemap.xml")  # the feed's host is trusted, not where it sends
        assert unchanged_run(ProjectSettings([f"NEWSBOT_OUTPUT={tmp_path}"]), ["feed"], {"url": feed}) is None
        assert internal.requests == []
        result = run_newsbot(tmp_path, feed, "-s", "LOG_LEVEL=INFO")
    assert internal.requests == []
    assert re.search(r"WARNING: refused http://127\.0\.0\.2:\d+/sitemap\.xml: 127\.0\.0\.2 is not a public address", result.stderr)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and "no feed was fetched" in result.stdout  # the operator's own feed is gone


def test_a_feed_on_a_name_in_the_operators_network_is_trusted_and_its_links_elsewhere_in_it_are_not(tmp_path):
    """intranet.test resolves to 127.0.0.1 (stub DNS): the feed's host, so trusted, though not public."""
    from newsbot.devserver import LocalServer, LocalSite

    site = load_saved_pages(PAGES)
    good = [path for part in GOOD_PAGES[:2] for path in site.pages if part in path]
    site.pages = {path: site.pages[path] for path in good}
    internal = LocalSite()
    internal.add(SavedPage(path="/latest/meta-data/credentials", body=INTERNAL_PAGE))
    other_service = LocalSite()  # another port of the feed's own machine
    other_service.add(SavedPage(path="/admin", body=INTERNAL_PAGE))
    with LocalServer(internal, host="127.0.0.2") as inside, LocalServer(other_service) as beside, LocalServer(site) as url:
        intranet = url.replace("127.0.0.1", "intranet.test")
        links = [intranet + path for path in good] + [
            f"{inside}/latest/meta-data/credentials", f"{url}{good[0]}", beside.replace("127.0.0.1", "intranet.test") + "/admin",
        ]
        site.add(SavedPage(path="/intranet.xml", body=rss(links), content_type="application/rss+xml"))
        result = run_newsbot(tmp_path, f"{intranet}/intranet.xml", *STUB_DNS, "-s", "LOG_LEVEL=INFO", env=stub_dns_env())
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "Traceback" not in log
    assert internal.requests == [] and other_service.requests == []
    # Trusted on the feed's port only: another port of that machine is another service.
    assert re.search(r"WARNING: refused http://intranet\.test:\d+/admin: port \d+ of the feed's host intranet\.test is not the feed's", log)
    sources = sorted(read_post(post)[0]["source_url"] for post in (tmp_path / "_posts").glob("*.md"))
    assert sources == sorted(intranet + path for path in good)
    # The feed's host is trusted by its name: the same server by its address is another host, not trusted.
    assert re.search(r"WARNING: refused http://127\.0\.0\.2:\d+/\S+: 127\.0\.0\.2 is not a public address", log)
    assert re.search(r"WARNING: refused http://127\.0\.0\.1:\d+/\S+: 127\.0\.0\.1 is not a public address", log)


def test_a_host_without_an_address_is_looked_up_once_and_its_articles_fail_without_waiting(tmp_path):
    """A dead domain, or every host when the machine is offline: the lookup of its robots.txt finds no
    address, and its articles fail at once as DNS failures, not each looked up, retried and queued
    under the download delay (offline, Yonhap's 13 feeds took 47 s to fail; now about 1 s)."""
    from newsbot.devserver import LocalServer, LocalSite

    links = [f"http://gone.nxdomain.test/2025/03/story-{number}" for number in range(4)]
    site = LocalSite()
    site.add(SavedPage(path="/gone.xml", body=rss(links), content_type="application/rss+xml"))
    with LocalServer(site) as url:
        result = run_newsbot(
            tmp_path, f"{url}/gone.xml", *STUB_DNS, "-s", "LOG_LEVEL=INFO", env=stub_dns_env()
        )
    log = result.stdout + result.stderr
    assert result.returncode == 1, log[-3000:]
    assert "all 4 articles failed to download (DNS lookup failed)" in log
    assert log.count("stub DNS: no address for gone.nxdomain.test") == 1  # robots.txt's lookup only
    assert "'newsbot/dns/failed_without_lookup': 4" in log
    assert "Traceback" not in log
