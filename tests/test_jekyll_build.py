"""Crawled and hostile posts built by real Jekyll under a theme that prints fields unescaped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import run_crawl
from test_writer_golden import CASES
from newsbot.exporters.jekyll import PostTemplate, post_filename, render_post
from itemadapter import ItemAdapter

LAYOUT = """<!doctype html><html><head><title>{{ page.title }}</title></head><body>
<h1>{{ page.title }}</h1><p class="excerpt">{{ page.excerpt }}</p>
<img src="{{ page.image }}"><div class="feature">{{ page.feature_text | markdownify }}</div>
<article>{{ content }}</article></body></html>
"""


@pytest.fixture
def jekyll():
    path = shutil.which("jekyll")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("jekyll is not installed; .ci/run installs it with apt-get")
        pytest.skip("jekyll not installed")
    return path


def test_crawled_and_hostile_posts_build_safely(tmp_path, served, jekyll):
    site_dir = tmp_path / "site"
    _, url = served
    assert run_crawl(site_dir, f"{url}/feed.xml").returncode == 0
    for article in CASES.values():
        (site_dir / "_posts" / post_filename(ItemAdapter(article))).write_text(
            render_post(article, PostTemplate()), encoding="utf-8"
        )
    (site_dir / "_layouts").mkdir()
    (site_dir / "_layouts" / "post.html").write_text(LAYOUT, encoding="utf-8")
    (site_dir / "_config.yml").write_text(
        "title: newsbot test\nmarkdown: kramdown\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n"
        "exclude: ['.newsbot']\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [jekyll, "build", "--source", str(site_dir), "--destination", str(tmp_path / "_site")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = list((tmp_path / "_site").rglob("*.html"))
    assert len(pages) >= 20
    built = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    assert "<script" not in built.lower()
    assert not re.search(r"\son\w+\s*=", built, re.IGNORECASE)
    assert not re.search(r"(?:href|src)\s*=\s*[\"']?\s*javascript:", built, re.IGNORECASE)
    # Liquid from the pages was shown, not run.
    assert "{{ site.secret }}" in built
    assert "Template {{ page.title }} and {% endraw %}{% include x.html %} stay text." not in built
    assert "&#123;&#123; page.title &#125;&#125;" in built or "{{ page.title }}" in built
    assert "Costs 6 dollars" not in built
