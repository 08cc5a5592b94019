"""Which image the post shows, per ``NEWSBOT_IMAGE_MODE``; the brand image when none fits."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.images import is_unwanted_image
from newsbot.pipelines.download_image import image_mode

POSTS_IMAGE_PREFIX = "/assets/img/"


class ChooseImagePipeline:
    """Sets ``image``: the stored copy, the source URL, or the brand image."""

    brand_image = "/assets/img/newsdao_breakingnews.jpg"

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.mode = image_mode(crawler)
        self.brand_image = crawler.settings.get("NEWSBOT_BRAND_IMAGE", self.brand_image)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChooseImagePipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        source_url = adapter.get("image_url") or ""
        usable = source_url.startswith(("http://", "https://")) and not is_unwanted_image(source_url)
        stored = [image for image in adapter.get("images") or [] if image.get("path")]
        if self.mode == "download" and stored:
            adapter["image"] = POSTS_IMAGE_PREFIX + stored[0]["path"]
        elif self.mode == "remote" and usable:
            adapter["image"] = source_url
        else:
            adapter["image"] = self.brand_image
        self.stats.inc_value(f"newsbot/image/{'brand' if adapter['image'] == self.brand_image else self.mode}")
        return item
