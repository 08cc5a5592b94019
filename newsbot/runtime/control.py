"""Scrapy's control ports (telnet console, remote control) left out of a newsbot crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

CONTROL_EXTENSIONS = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")


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
