"""Downloader middlewares."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler

import newsbot


class ContactUserAgentMiddleware:
    """``newsbot/<version> (+<NEWSBOT_CONTACT_URL>)`` on every request, so site owners can reach us.

    An explicit ``USER_AGENT`` setting (other than Scrapy's default) wins.
    """

    contact_url = "https://github.com/newsbot/newsbot"

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        contact = settings.get("NEWSBOT_CONTACT_URL", cls.contact_url)
        configured = settings.get("USER_AGENT", "")
        if (settings.getpriority("USER_AGENT") or 0) > 0:
            return cls(configured)
        return cls(newsbot.contact_user_agent(contact))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent)
