"""The lead image stored under ``assets/img/posts/`` with Scrapy's ImagesPipeline."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.pipelines.images import ImagesPipeline

from newsbot.images import is_unwanted_image

logger = logging.getLogger(__name__)

IMAGE_MODES = ("download", "remote", "brand")


def image_mode(crawler: Crawler) -> str:
    """``NEWSBOT_IMAGE_MODE``, checked."""
    mode = crawler.settings.get("NEWSBOT_IMAGE_MODE", "download")
    if mode not in IMAGE_MODES:
        raise NotConfigured(f"set NEWSBOT_IMAGE_MODE to one of {', '.join(IMAGE_MODES)} (got {mode!r})")
    return mode


class DownloadImagePipeline(ImagesPipeline):
    """Downloads only in ``download`` mode; names files by URL hash so reruns reuse them."""

    # A missing image is routine (the post gets the brand image); item_completed logs one line for it.
    LOG_FAILED_RESULTS = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DownloadImagePipeline:
        if image_mode(crawler) != "download":
            raise NotConfigured("NEWSBOT_IMAGE_MODE is not 'download'")
        store = os.path.abspath(os.path.join(crawler.settings.get("NEWSBOT_OUTPUT", "output"), "assets", "img"))
        Path(store).mkdir(parents=True, exist_ok=True)
        pipeline = cls(store, crawler=crawler)
        pipeline.newsbot_stats = crawler.stats
        return pipeline

    def get_media_requests(self, item, info):
        url = ItemAdapter(item).get("image_url") or ""
        if not url.startswith(("http://", "https://")) or is_unwanted_image(url):
            return []
        return [Request(url, meta={"newsbot_image": True})]

    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        return f"posts/{hashlib.sha1(request.url.encode('utf-8')).hexdigest()[:20]}.jpg"

    def item_completed(self, results, item, info):
        adapter = ItemAdapter(item)
        adapter["images"] = [result for ok, result in results if ok]
        failed = [result for ok, result in results if not ok]
        if failed:
            self.newsbot_stats.inc_value("newsbot/image/download_failed")
            logger.info("lead image not stored for %s: %s", adapter.get("url"), failed[0].getErrorMessage())
        elif adapter["images"]:
            self.newsbot_stats.inc_value("newsbot/image/downloaded")
        return item
