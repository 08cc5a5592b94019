"""A local HTTP server that serves saved pages with a feed, for the demo and the tests.

Pages are served from gzipped files under their original paths on 127.0.0.1,
and ``/feed.xml`` lists them as RSS 2.0, so a real crawl runs with no network.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
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


@dataclass
class LocalSite:
    """Routes of the local site; handlers may be swapped by tests (slow, broken, changed pages)."""

    pages: dict[str, SavedPage] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    """Every path requested, in order (tests count article fetches with it)."""
    handlers: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)

    def add(self, page: SavedPage) -> None:
        self.pages[page.path] = page

    def feed(self, base_url: str) -> bytes:
        """RSS 2.0 listing every page."""
        now = format_datetime(datetime.now(timezone.utc))
        items = "".join(
            f"<item><title>{escape(page.title)}</title><link>{escape(base_url + path)}</link>"
            f"<guid>{escape(base_url + path)}</guid><pubDate>{now}</pubDate></item>"
            for path, page in self.pages.items()
            if page.content_type.startswith("text/html")
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


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            site.requests.append(self.path)
            if self.path in site.handlers:
                site.handlers[self.path](self)
                return
            if self.path == "/feed.xml":
                host = self.headers.get("Host", "127.0.0.1")
                self._send(200, site.feed(f"http://{host}"), "application/rss+xml; charset=utf-8")
            elif self.path in site.pages:
                page = site.pages[self.path]
                self._send(200, page.body, page.content_type)
            else:
                self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


class LocalServer:
    """``with LocalServer(site) as url:`` serves ``site`` on 127.0.0.1 at a free port."""

    def __init__(self, site: LocalSite, port: int = 0) -> None:
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(site))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
