"""The lead image stored under ``assets/img/posts/`` with Scrapy's ImagesPipeline."""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from io import BytesIO
from pathlib import Path

from itemadapter import ItemAdapter
from PIL import Image
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.pipelines.images import ImageException, ImagesPipeline
from scrapy.utils.defer import ensure_awaitable
from twisted.python.failure import Failure

from newsbot.files import output_dir
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
    """Downloads only in ``download`` mode; names files by URL hash so reruns reuse them.

    An image that cannot be had (no DNS, HTTP error, refused, not an image, too many
    pixels) leaves the post to the brand image with one warning line and no traceback.
    """

    # item_completed logs the one line for a missing image.
    LOG_FAILED_RESULTS = False
    max_pixels = 40_000_000

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DownloadImagePipeline:
        if image_mode(crawler) != "download":
            logger.debug("off: NEWSBOT_IMAGE_MODE is not 'download'")
            raise NotConfigured  # without a message: Scrapy logs one at WARNING, and this is the default
        store = os.path.abspath(os.path.join(output_dir(crawler.settings), "assets", "img"))
        Path(store).mkdir(parents=True, exist_ok=True)
        pipeline = cls(store, crawler=crawler)
        pipeline.newsbot_stats = crawler.stats
        pipeline.max_pixels = crawler.settings.getint("NEWSBOT_IMAGE_MAX_PIXELS", cls.max_pixels)
        # Pillow's decompression-bomb guard, at our limit: warns above it, raises above twice it.
        Image.MAX_IMAGE_PIXELS = pipeline.max_pixels
        return pipeline

    def get_media_requests(self, item, info):
        url = ItemAdapter(item).get("image_url") or ""
        if not url.startswith(("http://", "https://")) or is_unwanted_image(url):
            return []
        # Not retried: a lead image that fails once is replaced by the brand image, with one line.
        return [Request(url, meta={"dont_retry": True})]

    async def media_downloaded(self, response, request, info, *, item=None):
        """Scrapy's checks and storage, raising the reason (for :meth:`media_failed`) instead of logging a traceback."""
        if response.status != 200:
            raise ImageException(f"HTTP {response.status}")
        if not response.body:
            raise ImageException("empty response")
        self._check_pixels(response.body)
        checksum = await ensure_awaitable(self.file_downloaded(response, request, info, item=item))
        status = "cached" if "cached" in response.flags else "downloaded"
        self.inc_stats(status)
        path = self.file_path(request, response=response, info=info, item=item)
        return {"url": request.url, "path": path, "checksum": checksum, "status": status}

    def _check_pixels(self, body: bytes) -> None:
        """Reads only the image's header: a pixel bomb is refused before anything is decoded."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(BytesIO(body)) as image:
                    width, height = image.size
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            self.newsbot_stats.inc_value("newsbot/bomb/image_pixels")
            raise ImageException(f"more than {self.max_pixels} pixels") from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageException("not an image") from exc
        if width * height > self.max_pixels:
            self.newsbot_stats.inc_value("newsbot/bomb/image_pixels")
            raise ImageException(f"{width} x {height} is more than {self.max_pixels} pixels")

    def media_failed(self, failure: Failure, request, info):
        """Every image that cannot be had takes Scrapy's quiet path for a filtered request (no traceback)."""
        if not failure.check(IgnoreRequest):
            failure = Failure(IgnoreRequest(failure.getErrorMessage()))
        return super().media_failed(failure, request, info)

    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        return f"posts/{hashlib.sha1(request.url.encode('utf-8')).hexdigest()[:20]}.jpg"

    def item_completed(self, results, item, info):
        adapter = ItemAdapter(item)
        adapter["images"] = [result for ok, result in results if ok]
        failed = [result for ok, result in results if not ok]
        if failed:
            self.newsbot_stats.inc_value("newsbot/image/download_failed")
            logger.warning(
                "lead image not used, the post gets the brand image: %s (%s)",
                adapter.get("image_url"), failed[0].getErrorMessage(),
            )
        elif adapter["images"]:
            self.newsbot_stats.inc_value("newsbot/image/downloaded")
        return item
