"""Spiders with a bug, for the tests of what a run says when its spider fails (not sources: tests only)."""

from __future__ import annotations

from typing import Any

from newsbot.sources.feed import FeedSpider


class FailsToStartSpider(FeedSpider):
    name = "fails_to_start"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raise ValueError("a bug in the spider's start")


class RaisesOnFeedSpider(FeedSpider):
    name = "raises_on_feed"

    def parse_feed(self, response):
        raise ValueError("a bug in parse_feed")
