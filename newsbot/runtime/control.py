"""Scrapy components a newsbot crawl leaves out without importing them: the control ports (telnet
console, remote control), and the cookies middleware while cookies are off."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

CONTROL_EXTENSIONS = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
COOKIES_MIDDLEWARE = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"


class NoControlPortsAddon:
    """Scrapy add-on: a scheduled crawl opens no control ports, so their extensions are taken out
    of ``EXTENSIONS_BASE``.

    Set to None in ``EXTENSIONS`` instead, Scrapy would still import them to compare names, and the
    remote control imports aiohttp: 9 MiB of the crawl process for nothing.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        base = settings.getdict("EXTENSIONS_BASE")
        for name in CONTROL_EXTENSIONS:
            base.pop(name, None)
        settings.set("EXTENSIONS_BASE", base, priority=settings.getpriority("EXTENSIONS_BASE") or "addon")


class NoCookiesMiddlewareAddon:
    """Scrapy add-on: with ``COOKIES_ENABLED`` off (newsbot's setting) the cookies middleware is taken
    out of ``DOWNLOADER_MIDDLEWARES_BASE``; turned on, cookies work as in any Scrapy project.

    Left in, the middleware only declines to run, but Scrapy imports it to ask, and its module
    imports tldextract and requests: 2.8 MiB and about 30 ms of the crawl process.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getbool("COOKIES_ENABLED"):
            return
        base = settings.getdict("DOWNLOADER_MIDDLEWARES_BASE")
        base.pop(COOKIES_MIDDLEWARE, None)
        settings.set("DOWNLOADER_MIDDLEWARES_BASE", base, priority=settings.getpriority("DOWNLOADER_MIDDLEWARES_BASE") or "addon")
