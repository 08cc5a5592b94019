"""A local HTTP server that serves saved pages with a feed, for the demo and the tests.

Pages are served from gzipped files under their original paths on 127.0.0.1,
and ``/feed.xml`` lists them as RSS 2.0, so a real crawl runs with no network.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit
from xml.sax.saxutils import escape


@dataclass
class SavedPage:
    """A saved page and where the local site serves it."""

    path: str
    """URL path on the local server, e.g. ``/apnews.com/article/…``."""
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    title: str = ""
    modified: str = "2026-01-01T00:00:00+00:00"
    """Change date the sitemap gives for the page (``<lastmod>``)."""


@dataclass
class LocalSite:
    """Routes of the local site; handlers may be swapped by tests (slow, broken, changed pages)."""

    pages: dict[str, SavedPage] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    """Every path requested, in order (tests count article fetches with it)."""
    handlers: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)
    """Paths whose answer waits until :attr:`release` is set: a test stops a crawl at a known point."""
    release: threading.Event = field(default_factory=threading.Event)

    def add(self, page: SavedPage) -> None:
        self.pages[page.path] = page

    def sitemap(self, base_url: str) -> bytes:
        """A sitemap listing every page with its ``<lastmod>``."""
        urls = "".join(
            f"<url><loc>{escape(base_url + path)}</loc><lastmod>{page.modified}</lastmod></url>"
            for path, page in self.pages.items()
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        ).encode("utf-8")

    def feed(self, base_url: str) -> bytes:
        """RSS 2.0 listing every page."""
        items = "".join(
            f"<item><title>{escape(page.title)}</title><link>{escape(base_url + path)}</link>"
            f"<guid>{escape(base_url + path)}</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(page.modified))}</pubDate></item>"
            for path, page in self.pages.items()
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>newsbot local feed</title><link>{escape(base_url)}/</link>{items}</channel></rss>"
        ).encode("utf-8")


def load_saved_pages(folder: Path) -> LocalSite:
    """A site from ``manifest.json`` and the gzipped pages beside it."""
    site = LocalSite()
    for entry in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
        parts = urlsplit(entry["url"])
        path = f"/{parts.hostname}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
        body = gzip.decompress((folder / entry["file"]).read_bytes())
        site.add(SavedPage(path=path, body=body, title=entry.get("title", "")))
    return site


def respond(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
) -> None:
    """Answer ``handler``'s request with ``body`` (the site's pages and the tests' own handlers)."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            site.requests.append(self.path)
            if self.path in site.handlers:
                site.handlers[self.path](self)
                return
            host = self.headers.get("Host", "127.0.0.1")
            if self.path == "/feed.xml":
                self._send_feed(site.feed(f"http://{host}"), "application/rss+xml; charset=utf-8")
            elif self.path == "/sitemap.xml":
                self._send_feed(site.sitemap(f"http://{host}"), "application/xml; charset=utf-8")
            elif self.path in site.pages:
                if self.path in site.held:
                    site.release.wait()
                page = site.pages[self.path]
                self._send(200, page.body, page.content_type)
            else:
                self._send(404, b"not found", "text/plain")

        def _send_feed(self, body: bytes, content_type: str) -> None:
            """Feeds carry an ETag and answer a matching If-None-Match with 304."""
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", content_type, etag)
            else:
                self._send(200, body, content_type, etag)

        def _send(self, status: int, body: bytes, content_type: str, etag: str = "") -> None:
            respond(self, status, body, content_type, {"ETag": etag} if etag else None)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client that went away (a killed crawl, a timeout) while its page was held is not an error here."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class LocalServer:
    """``with LocalServer(site) as url:`` serves ``site`` on 127.0.0.1 (or another loopback ``host``) at a free port."""

    def __init__(self, site: LocalSite, port: int = 0, host: str = "127.0.0.1") -> None:
        self.site = site
        self.httpd = _QuietServer((host, port), _handler_for(site))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.site.release.set()  # no handler thread left waiting
        self.httpd.shutdown()
        self.httpd.server_close()
