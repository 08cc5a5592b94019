"""Write each story (or, with ``NEWSBOT_STORIES=False``, each article) as a Jekyll post, atomically.

A story's first article creates its post; every later one rewrites the same file in place with
the story's main article and all its sources. An article already posted is rewritten only when
it changed. With ``NEWSBOT_BODY=rewrite`` the model is asked here, under the post's claim (a
story's: the story lock) and only for a post that is new or changed, so a re-run or another
worker never pays for the same call.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot import signals as newsbot_signals
from newsbot.compose.rewrite import Rewriter
from newsbot.config import RunError, out_of_space, stop_crawl
from newsbot.exporters.jekyll import JekyllPostExporter, PostTemplate, post_filename
from newsbot.files import output_dir, published_file_mode, replaced_whole
from newsbot.state import PostRecord
from newsbot.state.extension import StateExtension
from newsbot.stories.desk import MAIN_FIELDS, StoryDesk

logger = logging.getLogger(__name__)

POSTS_DIR = "_posts"
STALE_TEMP_SECONDS = 600


def content_hash(adapter: ItemAdapter) -> str:
    """What decides whether an article changed: its title and body."""
    digest = hashlib.sha256()
    for field in ("title", "body_html"):
        digest.update((adapter.get(field) or "").encode("utf-8"))
        digest.update(b"\x00")
    for source in adapter.get("sources") or []:
        digest.update(f"{source['name']}\x00{source['url']}\x00".encode("utf-8"))
    return digest.hexdigest()


class WritePostPipeline:
    """The last step: the post file first, then the state record (so a crash never loses a post)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.output_dir = output_dir(settings)
        self.template = PostTemplate.from_settings(settings)
        self.state = StateExtension.store_of(crawler)
        self.rewriter = Rewriter(crawler, self.state) if self.template.body_mode == "rewrite" else None
        self.desk = StoryDesk.from_crawler(crawler)
        self.posts_dir = Path(self.output_dir, POSTS_DIR)
        # Temporary files live outside _posts/ so a kill leaves nothing half-written there.
        self.tmp_dir = Path(self.output_dir, ".newsbot", "tmp")
        self.file_mode = published_file_mode()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WritePostPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.posts_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        # Leftovers of a killed run; old enough that no live writer still owns them.
        cutoff = time.time() - STALE_TEMP_SECONDS
        for leftover in self.tmp_dir.glob("post-*.tmp"):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)

    def close_spider(self) -> None:
        if self.desk:
            self.desk.close()

    async def process_item(self, item: object) -> object:
        try:
            return await self._post(item)
        except RunError as error:  # Redis gone mid-run: one line and exit status 1, not a traceback per item
            stop_crawl(self.crawler, str(error))
            raise DropItem(f"not written, the run stopped: {error}") from None

    async def _post(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if self.desk is None:
            return await self._post_article(item, adapter)
        identity = adapter.get("canonical_url") or adapter.get("url")
        if not self.state.claim(identity):
            self.stats.inc_value("newsbot/write/claimed_elsewhere")
            raise DropItem(f"another worker is posting it: {adapter.get('url')}")
        try:
            async with self.desk.store.lock():  # the story's post must show the story as just saved
                return await self._post_story(item, adapter)
        finally:
            self.state.release(identity)

    async def _post_story(self, item: object, adapter: ItemAdapter) -> object:
        """File the article in its story, then write the story's post with the main article's fields."""
        urls = [url for url in (adapter.get("url"), adapter.get("canonical_url"), adapter.get("feed_url")) if url]
        previous = self.state.lookup(*urls)
        new_path = previous.path if previous else self._new_post_path(adapter)
        try:
            record, is_new = self.desk.file(adapter, new_path)
        except (OSError, sqlite3.OperationalError) as error:
            self._stop_if_disk_full(error, new_path, adapter)
        for name in MAIN_FIELDS:
            adapter[name] = record.main.get(name)  # a story saved before a field existed lacks it
        adapter["sources"] = record.sources
        adapter["post_date"] = record.post_date
        if not is_new:
            adapter["last_modified_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        digest = content_hash(adapter)
        if previous and previous.content_hash == digest:
            self._drop_unchanged(urls, previous, digest, adapter)
        if self.rewriter is not None:
            await self.rewriter.rewrite_item(item)
        self._write_and_record(record.post_path, urls, digest, adapter)
        event = "new" if is_new else "updated"
        self.stats.inc_value(f"newsbot/write/{event}")
        if not is_new:
            self.stats.inc_value("newsbot/story/joined")
        self._count_body(adapter)
        logger.info("%s post %s (%s, story of %d)", event, record.post_path, urls[0], len(record.sources))
        return item

    def _drop_unchanged(self, urls: list[str], previous: PostRecord, digest: str, adapter: ItemAdapter) -> None:
        """Nothing to write; the feed's new date for it is kept, else that date brings it back on every run."""
        self.stats.inc_value("newsbot/write/unchanged")
        feed_modified = adapter.get("feed_modified") or ""
        if feed_modified != previous.modified:
            self.state.record(urls, previous.path, digest, modified=feed_modified, published=previous.published)
        raise DropItem(f"already posted, unchanged: {urls[0]} -> {previous.path}")

    async def _post_article(self, item: object, adapter: ItemAdapter) -> object:
        """One post per article (``NEWSBOT_STORIES=False``)."""
        urls = [adapter.get("url"), adapter.get("canonical_url"), adapter.get("feed_url")]
        digest = content_hash(adapter)
        identity = adapter.get("canonical_url") or adapter.get("url")
        if not self.state.claim(identity):
            self.stats.inc_value("newsbot/write/claimed_elsewhere")
            raise DropItem(f"another worker is posting it: {adapter.get('url')}")
        try:
            previous = self.state.lookup(*urls)  # under the claim: no other worker writes it now
            if previous and previous.content_hash == digest:
                self._drop_unchanged([url for url in urls if url], previous, digest, adapter)
            relative = previous.path if previous else self._new_post_path(adapter)
            if self.rewriter is not None:
                await self.rewriter.rewrite_item(item)
            self._write_and_record(relative, [url for url in urls if url], digest, adapter)
        finally:
            self.state.release(identity)
        event = "updated" if previous else "new"
        self.stats.inc_value(f"newsbot/write/{event}")
        self._count_body(adapter)
        logger.info("%s post %s (%s)", event, relative, adapter.get("url"))
        return item

    def _new_post_path(self, adapter: ItemAdapter) -> str:
        """Where an article not posted before gets its post, relative to the output directory."""
        return os.path.join(POSTS_DIR, post_filename(adapter, self.template.site_timezone))

    def _count_body(self, adapter: ItemAdapter) -> None:
        body = "rewrite" if adapter.get("rewrite") else "full" if self.template.body_mode == "full" else "brief"
        self.stats.inc_value(f"newsbot/write/body/{body}")

    def _write_and_record(self, relative: str, urls: list[str], digest: str, adapter: ItemAdapter) -> None:
        """The post file first, then the state record; a full disk stops the crawl."""
        try:
            self.crawler.signals.send_catch_log(newsbot_signals.post_writing, path=relative, item=adapter.item)
            with replaced_whole(Path(self.output_dir, relative), self.file_mode, self.tmp_dir, prefix="post-") as stream:
                JekyllPostExporter(stream, template=self.template).export_item(adapter.item)
            self.state.record(
                urls, relative, digest, modified=adapter.get("feed_modified") or "", published=adapter.get("published") or ""
            )
        except (OSError, sqlite3.OperationalError) as error:
            self._stop_if_disk_full(error, relative, adapter)

    def _stop_if_disk_full(self, error: Exception, relative: str, adapter: ItemAdapter) -> None:
        """Re-raise ``error`` unless it is a full disk; then stop the crawl and drop the item."""
        if not out_of_space(error):
            raise error
        self.stats.inc_value("newsbot/write/disk_full")
        stop_crawl(self.crawler, f"disk full writing {relative} under {self.output_dir} ({error}); "
                   "free some space and run again: the next run posts the rest")
        raise DropItem(f"disk full: {adapter.get('url')}") from None
