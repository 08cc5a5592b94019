"""A hostile network for a real crawl: links, redirects, images and sitemaps aimed at an "internal service"
on 127.0.0.2 (a stand-in for a cloud metadata endpoint), and compression, pixel and nesting bombs.

Used by tests/test_hostile_site.py and bench/hostile.py (on held-out pages).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from conftest import newsbot_command, read_post, run_measuring_memory
from newsbot.devserver import LocalServer, LocalSite, SavedPage, respond


SECRET = "AKIA-INTERNAL-SERVICE-CREDENTIALS-0451"
# Written for these tests: what a cloud metadata endpoint would leak, shaped as an article so it would post.
INTERNAL_PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Internal credentials</title>
<meta property="article:published_time" content="2025-03-01T10:00:00+00:00"></head><body><article>
<h1>Internal credentials</h1><p>{SECRET} is the access key of this machine's role, served to anyone who asks
from inside the network, as a metadata endpoint does.</p><p>More text so that the page reads as an article body
with enough words in it to pass the floor on body length.</p></article></body></html>""".encode()

BRAND_IMAGE = "/assets/img/newsdao_breakingnews.jpg"
MAXSIZE = 4 << 20
"""DOWNLOAD_MAXSIZE of these crawls: a compression bomb costs at most this much before it is refused."""


def _jpeg(width: int, height: int) -> bytes:
    """A generated test photo (not any site's image)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header declares ``width`` x ``height`` pixels (a pixel bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b"")


def _compression_bomb(inflated: int, wbits: int) -> bytes:
    """Zeros that inflate to ``inflated`` bytes: gzip (wbits 31) or zlib-wrapped deflate (wbits 15)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    return b"".join([*(compressor.compress(block) for _ in range(inflated >> 20)), compressor.flush()])


def _with_lead_image(body: bytes, image_url: str) -> bytes:
    """A real page whose only image is ``image_url`` (its own og:image, JSON-LD images and <img> tags renamed away)."""
    body = re.sub(rb'(property|name)="(og|twitter):image[^"]*"', rb'\1="ignored"', body)
    body = re.sub(rb'"(image|thumbnailUrl)"\s*:', rb'"ignored":', body)
    body = re.sub(rb"<img\b", b"<ignored", body)
    return body.replace(b"</head>", f'<meta property="og:image" content="{image_url}"></head>'.encode(), 1)


def redirect_to(location: str):
    def handler(request_handler) -> None:
        request_handler.send_response(302)
        request_handler.send_header("Location", location)
        request_handler.send_header("Content-Length", "0")
        request_handler.end_headers()

    return handler


def _encoded(body: bytes, encoding: str):
    def handler(request_handler) -> None:
        respond(request_handler, 200, body, "text/html; charset=utf-8", {"Content-Encoding": encoding})

    return handler


def rss(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>entry {number}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        "<pubDate>Sat, 01 Mar 2025 10:00:00 +0000</pubDate></item>"
        for number, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>hostile</title>{items}</channel></rss>'.encode()


STUB_DNS = ["-s", "TWISTED_DNS_RESOLVER=stub_dns.StubResolver"]
"""Crawl settings for tests/stub_dns.py (with :func:`stub_dns_env`)."""


def stub_dns_env() -> dict[str, str]:
    """The environment of a crawl whose TWISTED_DNS_RESOLVER is tests/stub_dns.py."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")]))}


@dataclass
class HostileNetworkRun:
    result: subprocess.CompletedProcess
    log: str
    crawl_peak_kib: int
    """Peak RSS of the crawl process, where responses are decompressed and images decoded."""
    worker_peaks_kib: list[int]
    """Peak RSS of each process it started (extraction workers), largest first."""
    posts: dict[str, tuple[dict, str]]
    """Posts by their source page's path on the feed server."""
    internal_hits: list[str]
    report: dict
    images: dict[str, str]
    """Which image each good page's og:image named, by page path."""


def hostile_network_crawl(output: Path, pages: dict[str, SavedPage], bombs: bool = True) -> HostileNetworkRun:
    """One ``newsbot crawl`` of a feed on 127.0.0.1 listing real ``pages`` (their lead images swapped for
    the image vectors in turn) and content aimed at an internal service on 127.0.0.2.

    Without ``bombs`` the same crawl minus the gzip, deflate, pixel and nesting bombs (for the memory baseline).
    """
    site = LocalSite(pages=dict(pages))
    good = list(pages)
    internal = LocalSite()
    for path in ("/latest/meta-data/credentials", "/redirected", "/refreshed", "/named", "/sitemap.xml", "/photo.jpg"):
        internal.add(SavedPage(path=path, body=INTERNAL_PAGE))
    with LocalServer(internal, host="127.0.0.2") as inside, LocalServer(site) as url:
        named = inside.replace("127.0.0.2", "internal.test")
        images = dict(zip(good, itertools.cycle([
            f"{url}/photos/lead.jpg",  # a good image: stored
            f"{inside}/photo.jpg",  # the internal service: refused
            f"{named}/photo.jpg",  # a name resolving to it: refused
            f"{url}/photos/bomb.png" if bombs else f"{url}/photos/missing.png",  # 60000 x 60000 declared
            f"{url}/photos/not-an-image.jpg",  # HTML served as the image
            "http://nonexistent.invalid/photo.jpg",  # no DNS answer (RFC 6761 name)
            f"{url}/photos/missing.jpg",  # 404
            f"{url}/go/internal-photo",  # a redirect to the internal service (images follow none)
        ])))
        for path, image in images.items():
            site.add(SavedPage(path=path, body=_with_lead_image(pages[path].body, image), title=pages[path].title))
        site.add(SavedPage(path="/photos/lead.jpg", body=_jpeg(800, 450), content_type="image/jpeg"))
        site.add(SavedPage(path="/photos/not-an-image.jpg", body=b"<html>not an image</html>", content_type="image/jpeg"))
        site.add(SavedPage(path="/photos/bomb.png", body=_png_declaring(60000, 60000), content_type="image/png"))
        site.handlers["/go/internal"] = redirect_to(f"{inside}/redirected")
        site.handlers["/go/internal-photo"] = redirect_to(f"{inside}/photo.jpg")
        site.handlers["/go/named"] = redirect_to(f"{named}/redirected")
        site.handlers["/go/self"] = redirect_to("/go/self")
        refresh = f'<html><head><meta http-equiv="refresh" content="0; url={inside}/refreshed"></head><body></body></html>'
        site.add(SavedPage(path="/go/meta-refresh", body=refresh.encode()))
        for hop in range(30):
            site.handlers[f"/go/chain/{hop}"] = redirect_to(f"/go/chain/{hop + 1}")
        links = [url + path for path in good] + [
            f"{inside}/latest/meta-data/credentials", f"{named}/named", f"{url}/go/internal", f"{url}/go/named",
            f"{url}/go/self", f"{url}/go/chain/0", f"{url}/go/meta-refresh",
        ]
        if bombs:
            site.handlers["/bomb/gzip"] = _encoded(_compression_bomb(256 << 20, 31), "gzip")
            site.handlers["/bomb/deflate"] = _encoded(_compression_bomb(256 << 20, 15), "deflate")
            deep = INTERNAL_PAGE.replace(SECRET.encode(), b"Nested page").replace(b"Internal credentials", b"Deep page")
            site.add(SavedPage(path="/bomb/deep", body=deep.replace(b"</article>", b"<div>" * 200_000 + b"</article>")))
            links += [f"{url}/bomb/gzip", f"{url}/bomb/deflate", f"{url}/bomb/deep"]
        site.add(SavedPage(path="/hostile.xml", body=rss(links), content_type="application/rss+xml"))
        sitemap_index = (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{inside}/sitemap.xml</loc></sitemap><sitemap><loc>{named}/sitemap.xml</loc></sitemap>"
            "<sitemap><loc>file:///etc/passwd</loc></sitemap>"
            "</sitemapindex>"
        )
        site.add(SavedPage(path="/sitemap-index.xml", body=sitemap_index.encode(), content_type="application/xml"))
        command = newsbot_command(
            output, f"{url}/hostile.xml,{url}/sitemap-index.xml",
            "-s", "NEWSBOT_IMAGE_MODE=download", *STUB_DNS, "-s", "RETRY_TIMES=0",
            "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}", "-s", "DOWNLOAD_WARNSIZE=0", "-s", "LOG_LEVEL=INFO",
        )
        result, crawl_peak_kib, worker_peaks_kib = run_measuring_memory(command, stub_dns_env(), timeout=240)
    posts = {}
    for post in (output / "_posts").glob("*.md"):
        matter, body = read_post(post)
        posts[urlsplit(matter["source_url"]).path] = (matter, body)
    return HostileNetworkRun(
        result=result, log=result.stdout + result.stderr, crawl_peak_kib=crawl_peak_kib,
        worker_peaks_kib=worker_peaks_kib, posts=posts,
        internal_hits=list(internal.requests), images={urlsplit(path).path: image for path, image in images.items()},
        report=json.loads((output / ".newsbot" / "last-run.json").read_text(encoding="utf-8")),
    )
