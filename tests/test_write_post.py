"""The post writer's order of durable steps: the file, its rename, the directory entry, then the state."""

from __future__ import annotations

import asyncio
import os
import stat

from scrapy.utils.test import get_crawler

from newsbot.items import Article
from newsbot.pipelines.write_post import WritePostPipeline


def test_the_posts_directory_is_synced_after_the_rename_and_before_the_state_records_it(tmp_path, monkeypatch):
    crawler = get_crawler(settings_dict={
        "NEWSBOT_OUTPUT": str(tmp_path), "EXTENSIONS": {"newsbot.state.extension.StateExtension": 0},
    })
    pipeline = WritePostPipeline.from_crawler(crawler)
    pipeline.open_spider()
    steps: list[tuple[str, str]] = []
    real_fsync, real_replace, real_record = os.fsync, os.replace, pipeline.state.record

    def fsync(fd: int) -> None:
        steps.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source, target) -> None:
        real_replace(source, target)
        steps.append(("rename", str(target)))

    def record(urls, path, *args, **kwargs) -> None:
        steps.append(("record", path))
        real_record(urls, path, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(pipeline.state, "record", record)
    asyncio.run(pipeline.process_item(Article(
        url="https://example.org/news/1", source="Example", title="A headline", published="2025-05-30T20:15:00+00:00",
        timezone="UTC", body_html="<p>Body.</p>", excerpt="Body.", categories=["News"], image="/assets/img/x.jpg",
    )))
    posts_dir = str(tmp_path / "_posts")
    kinds = [kind for kind, _ in steps]
    assert kinds == ["fsync", "rename", "fsync", "record"], steps
    assert os.path.dirname(steps[1][1]) == posts_dir and steps[2][1] == posts_dir


def test_posts_are_readable_as_the_umask_allows_not_private_like_a_temporary_file(tmp_path):
    """mkstemp makes 0600 files: renamed as they were, posts would be unreadable to the web server or
    the user who builds the site (found by a new user's trial)."""
    crawler = get_crawler(settings_dict={
        "NEWSBOT_OUTPUT": str(tmp_path), "EXTENSIONS": {"newsbot.state.extension.StateExtension": 0},
    })
    previous = os.umask(0o022)
    try:
        pipeline = WritePostPipeline.from_crawler(crawler)
        pipeline.open_spider()
        asyncio.run(pipeline.process_item(Article(
            url="https://example.org/news/2", source="Example", title="Another headline",
            published="2025-05-30T20:15:00+00:00", timezone="UTC", body_html="<p>Body.</p>", excerpt="Body.",
            categories=["News"], image="/assets/img/x.jpg",
        )))
    finally:
        os.umask(previous)
    (post,) = (tmp_path / "_posts").iterdir()
    assert stat.S_IMODE(post.stat().st_mode) == 0o644
