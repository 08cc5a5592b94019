"""The lead image downloaded through Scrapy's ImagesPipeline, and the brand image when there is none."""

from __future__ import annotations

import io
import re

from PIL import Image

from conftest import read_post, run_crawl
from newsbot.devserver import LocalServer, SavedPage


def _jpeg(width: int, height: int) -> bytes:
    """A generated test photo (not any site's image)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_lead_image_is_stored_under_assets_and_a_page_without_one_gets_the_brand_image(tmp_path, saved_site):
    site = saved_site
    ap_path = next(path for path, page in site.pages.items() if b"historic tumult" in page.body)
    reuters_path = next(path for path in site.pages if "reuters.com" in path)
    site.pages = {path: page for path, page in site.pages.items() if path in (ap_path, reuters_path)}
    site.add(SavedPage(path="/photos/lead.jpg", body=_jpeg(800, 450), content_type="image/jpeg"))
    # The Reuters copy names no image at all: no JSON-LD image, no og:image, no photo in the body.
    reuters = site.pages[reuters_path]
    reuters.body = re.sub(rb'(property|name)="(og|twitter):image[^"]*"', rb'\1="ignored"', reuters.body)
    reuters.body = re.sub(rb'"(image|thumbnailUrl)"\s*:', rb'"ignored":', reuters.body)
    reuters.body = re.sub(rb"<img\b", b"<ignored", reuters.body)
    with LocalServer(site) as url:
        ap = site.pages[ap_path]
        ap.body = re.sub(rb"https://dims\.apnews\.com/dims4/[^\"'\s<>]*", f"{url}/photos/lead.jpg".encode(), ap.body)
        result = run_crawl(tmp_path, f"{url}/feed.xml", "NEWSBOT_IMAGE_MODE=download")
    assert result.returncode == 0, result.stderr[-3000:]
    posts = [read_post(path) for path in (tmp_path / "_posts").glob("*.md")]
    assert len(posts) == 2
    ap_matter, ap_body = next(post for post in posts if "apnews.com" in post[0]["source_url"])
    assert re.fullmatch(r"/assets/img/posts/[0-9a-f]{20}\.jpg", ap_matter["image"])
    stored = tmp_path / ap_matter["image"].removeprefix("/")
    assert stored.exists() and Image.open(stored).size == (800, 450)
    assert not (tmp_path / "assets/img/posts/thumbs").exists()  # no post shows a thumbnail: none is made
    assert f'<img src="{ap_matter["image"]}"' in ap_body
    reuters_matter, _ = next(post for post in posts if "reuters.com" in post[0]["source_url"])
    assert reuters_matter["image"] == "/assets/img/newsdao_breakingnews.jpg"


def test_logos_pixels_and_small_images_are_never_the_lead_image():
    from newsbot import extract_article
    from newsbot.images import is_unwanted_image

    for url in ("https://r.yna.co.kr/global/home/v01/img/yonhapnews_logo_1200x800_en01.jpg",
                "https://example.com/static/favicon.ico", "https://ads.example.com/pixel.gif?id=1",
                "https://example.com/img/spacer.gif", "https://example.com/assets/placeholder.png"):
        assert is_unwanted_image(url), url
    assert not is_unwanted_image("https://img.example.com/2025/05/30/photo-800.jpg")
    page = (
        "<html><head><title>Lead image test headline for a page</title></head><body><article>"
        '<p><img src="/img/tiny.jpg" width="40"><img src="/img/site-logo.png"><img src="/img/photo.jpg"></p>'
        + "<p>An ordinary paragraph of article text that goes on long enough to count as a body.</p>" * 5
        + "</article></body></html>"
    )
    assert extract_article(page, "https://news.example.com/a").image_url == "https://news.example.com/img/photo.jpg"
    without_photo = page.replace('<img src="/img/photo.jpg">', "")
    assert extract_article(without_photo, "https://news.example.com/a").image_url == ""
