"""Filing an article into its story: which story, which of its articles is the main one, its sources.

The desk is the grouper with a memory: before grouping it takes in the stories other crawlers
and workers saved (the store's change sequence), and it saves the story it changed. Call
:meth:`StoryDesk.file` under the store's lock, and write the post under the same lock, so the
post always shows the latest version of its story.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import regex
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.state import state_path, url_key
from newsbot.stories.grouper import Grouper, GrouperConfig, parse_published
from newsbot.stories.store import RedisStoryStore, SqliteStoryStore, StoryRecord

logger = logging.getLogger(__name__)

MAIN_FIELDS = (
    "url", "canonical_url", "source", "title", "published", "modified", "timezone", "categories",
    "language", "description", "excerpt", "key_sentences", "brief", "image", "body_html", "body_text",
)
"""The article fields a story's post shows: those of its main article."""

_ROUNDUP = regex.compile(r"종합|\bWRAPUP\b|\bROUNDUP\b", regex.IGNORECASE)
_FLASH = regex.compile(r"속보|\b1보|\bFLASH\b|\bBREAKING\b|\bURGENT\b", regex.IGNORECASE)
_BULLETIN = regex.compile(r"\d+보")


def same_article(known: dict[str, str], new: dict[str, str]) -> bool:
    """Whether two story sources are one article: the same URL, or the same outlet and the same path
    and query on another host (``m.`` and ``www.``, a new port, http and https)."""
    before, after = urlsplit(url_key(known["url"])), urlsplit(url_key(new["url"]))
    if before == after:
        return True
    same_outlet = bool(known["name"]) and known["name"] == new["name"]
    return same_outlet and before.path not in ("", "/") and (before.path, before.query) == (after.path, after.query)


def completeness(title: str, body_text: str) -> tuple[int, int]:
    """How complete a report is, by wire conventions first, then by length.

    A roundup (종합) tells more than an ordinary report, which tells more than a numbered
    bulletin (2보), which tells more than a flash (속보, 1보).
    """
    if _ROUNDUP.search(title):
        rank = 3
    elif _FLASH.search(title):
        rank = 0
    elif _BULLETIN.search(title):
        rank = 1
    else:
        rank = 2
    return rank, len(body_text)


class StoryDesk:
    """Groups each article into a story and keeps the story's main article and sources."""

    def __init__(self, store: SqliteStoryStore | RedisStoryStore, config: GrouperConfig) -> None:
        self.store = store
        self.grouper = Grouper(config)
        self.seq = 0
        closed = store.close_expired()
        if closed:
            logger.info("closed %d stories past the %g-hour window", closed, config.window_hours)
        self.grouper.document_count, self.grouper.document_frequency = store.frequencies(config.max_terms)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoryDesk | None:
        """The desk for ``NEWSBOT_STORIES``; None when it is off (one post per article)."""
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_STORIES", True):
            return None
        config = GrouperConfig.from_settings(settings)
        if settings.get("NEWSBOT_REDIS_URL"):
            store = RedisStoryStore(settings.get("NEWSBOT_REDIS_URL"), config.window_hours)
        else:
            store = SqliteStoryStore(state_path(settings), config.window_hours)
        return cls(store, config)

    def _refresh(self) -> None:
        """Take in the stories saved since this desk last looked (by other crawlers or workers)."""
        stories, self.seq = self.store.changed_since(self.seq)
        for story in stories:
            self.grouper.put(story)

    def file(self, adapter: ItemAdapter, new_post_path: str) -> tuple[StoryRecord, bool]:
        """The story the article joins, with the article filed in it, and whether it is a new story.

        ``new_post_path`` is where the story's post goes when the story is new.
        """
        urls = [url for url in (adapter.get("url"), adapter.get("canonical_url"), adapter.get("feed_url")) if url]
        record = self.store.story_of(urls)
        terms: list[str] = []
        if record is None:
            self._refresh()
            raw = self.grouper.features(adapter.get("title") or "", adapter.get("body_text") or "", adapter.get("story_terms"))
            terms = list(raw)
            try:
                published = parse_published(adapter.get("published") or "")
            except ValueError:
                published = None
            story_id = self.grouper.place(urls[0], raw, published, adapter.get("language") or "")
            record = self.store.get(story_id) or StoryRecord(self.grouper.stories[story_id])
            record.story = self.grouper.stories[story_id]
        is_new = not record.post_path
        if is_new:
            record.post_path, record.post_date = new_post_path, adapter.get("published") or ""
        source = {"name": adapter.get("source") or "", "url": adapter.get("url")}
        same = [index for index, known in enumerate(record.sources) if same_article(known, source)]
        if same:
            record.sources[same[0]] = source  # the article moved (another host, http to https): one entry
        else:
            record.sources.append(source)
        fields = {name: adapter.get(name) for name in MAIN_FIELDS}
        fields["completeness"] = list(completeness(adapter.get("title") or "", adapter.get("body_text") or ""))
        main = record.main
        if (
            not main
            or same_article({"name": main.get("source") or "", "url": main["url"]}, source)
            or fields["completeness"] > main["completeness"]
        ):
            record.main = fields
        seq = self.store.save(record, urls, terms)
        if seq == self.seq + 1:
            self.seq = seq  # nobody saved since this desk looked: the grouper already holds this change
        return record, is_new

    def close(self) -> None:
        self.store.close()
