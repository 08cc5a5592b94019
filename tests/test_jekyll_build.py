"""Crawled and hostile posts built by real Jekyll under a theme that prints fields unescaped."""

from __future__ import annotations

from conftest import build_with_jekyll, run_crawl
from test_writer_golden import CASES
from newsbot.exporters.jekyll import PostTemplate, post_filename, render_post
from itemadapter import ItemAdapter


def test_crawled_and_hostile_posts_build_safely(tmp_path, served, jekyll):
    site_dir = tmp_path / "site"
    _, url = served
    assert run_crawl(site_dir, f"{url}/feed.xml").returncode == 0
    for article in CASES.values():
        name = post_filename(ItemAdapter(article))
        for mode in ("brief", "full"):
            (site_dir / "_posts" / name.replace(".md", f"-{mode}.md")).write_text(
                render_post(article, PostTemplate(body_mode=mode)), encoding="utf-8"
            )
    built = build_with_jekyll(jekyll, site_dir, tmp_path / "_site", min_pages=20)
    # Every permalink is under the file name's day, non-Korean sources' posts too (the site is in Seoul).
    for post in (site_dir / "_posts").glob("*.md"):
        year, month, day, slug = post.stem.split("-", 3)
        assert (tmp_path / "_site" / year / month / day / slug / "index.html").exists(), post.name
    # Liquid from the pages was shown, not run.
    assert "{{ site.secret }}" in built
    assert "Template {{ page.title }} and {% endraw %}{% include x.html %} stay text." not in built
    # The body's braces arrive as entities, which a browser shows as braces; Jekyll ran nothing.
    body = "<p>Template &#123;&#123; page.title &#125;&#125; and &#123;% endraw %&#125;&#123;% include x.html %&#125; stay text.</p>"
    assert body in built
    assert "Costs 6 dollars" not in built
