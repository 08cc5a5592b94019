"""NEWSBOT_PUBLISH: the run's posts and images committed and pushed with real git, or handed to a command."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import PAGES, PROJECT_ROOT, newsbot_command
from newsbot import extract_article
from newsbot.devserver import LocalServer, LocalSite, SavedPage, load_saved_pages, respond

# Identities and config for git in the test repositories only, whatever the machine's global config says.
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "newsbot test", "GIT_AUTHOR_EMAIL": "test@newsbot.invalid",
    "GIT_COMMITTER_NAME": "newsbot test", "GIT_COMMITTER_EMAIL": "test@newsbot.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
FIRST_RUN = ("hankookilbo.com/News/Read/A2025051516330004328", "apnews.com/article/mexico-economy")
SECOND_RUN = ("bbc.com/news/explainers-63159607", "theguardian.com/world/2024/feb/24")


def git(directory: Path, *arguments: str) -> str:
    result = subprocess.run(["git", *arguments], cwd=directory, env=GIT_ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _photo(shade: int) -> bytes:
    """A generated test photo (not any site's image), one colour per page so each file differs."""
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (shade, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


class ChangingSite:
    """Saved real pages served locally, each page's lead image swapped for a local photo; pages added per run."""

    def __init__(self) -> None:
        self.saved = load_saved_pages(PAGES)
        self.site = LocalSite()
        self.server = LocalServer(self.site)
        self.url = self.server.url

    def add(self, *fragments: str) -> None:
        for fragment in fragments:
            path, page = next((path, page) for path, page in self.saved.pages.items() if fragment in path)
            photo = f"/photos/{len(self.site.pages)}.jpg"
            image_url = extract_article(page.body, self.url + path).image_url
            body = page.body.replace(image_url.encode(), (self.url + photo).encode())
            assert extract_article(body, self.url + path).image_url == self.url + photo
            self.site.add(SavedPage(path=path, body=body, title=page.title))
            self.site.handlers[photo] = lambda handler, data=_photo(40 * len(self.site.pages)): respond(handler, 200, data, "image/jpeg")


@pytest.fixture
def changing_site():
    site = ChangingSite()
    with site.server:
        yield site


@pytest.fixture
def blog(tmp_path) -> tuple[Path, Path]:
    """A Jekyll site's git work tree with the user's own work in progress, and its bare remote."""
    remote, site = tmp_path / "remote.git", tmp_path / "site"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    git(tmp_path, "init", "--quiet", "-b", "main", str(site))
    (site / "_config.yml").write_text("title: blog\nexclude: ['.newsbot']\n")
    (site / "about.md").write_text("about\n")
    git(site, "add", "_config.yml", "about.md")
    git(site, "commit", "--quiet", "-m", "the user's site")
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "--quiet", "origin", "main")
    # Work in progress newsbot must leave alone: an edited file, a staged file, an untracked draft post.
    (site / "about.md").write_text("about, being edited\n")
    (site / "staged.md").write_text("staged by the user\n")
    git(site, "add", "staged.md")
    (site / "_posts").mkdir()
    (site / "_posts" / "2026-01-01-my-draft.md").write_text("---\ntitle: my draft\n---\n")
    return site, remote


def crawl(site: Path, feed_url: str, *settings: str) -> subprocess.CompletedProcess:
    command = newsbot_command(site, feed_url, "-s", "NEWSBOT_IMAGE_MODE=download", *settings)
    return subprocess.run(command, cwd=PROJECT_ROOT, env=GIT_ENV, capture_output=True, text=True, timeout=240)


def _written(site: Path) -> set[str]:
    """Files newsbot wrote in the site: posts and stored images (not the user's draft)."""
    files = {str(path.relative_to(site)) for path in (site / "_posts").glob("*.md") if "my-draft" not in path.name}
    return files | {str(path.relative_to(site)) for path in (site / "assets").rglob("*") if path.is_file()}


def _user_work_untouched(site: Path) -> None:
    assert (site / "about.md").read_text() == "about, being edited\n"
    assert (site / "_posts" / "2026-01-01-my-draft.md").exists()
    status = git(site, "status", "--porcelain", "--untracked-files=all")
    assert " M about.md" in status.splitlines()
    assert "A  staged.md" in status.splitlines()
    assert "?? _posts/2026-01-01-my-draft.md" in status.splitlines()
    assert not [line for line in status.splitlines() if line.endswith(".jpg") or "_posts/2025" in line]


def test_git_publish_commits_each_runs_posts_and_images_and_pushes_them_leaving_the_users_work_alone(
    blog, changing_site
):
    site, remote = blog
    settings = ("-s", "NEWSBOT_PUBLISH=git", "-s", "NEWSBOT_PUBLISH_REMOTE=origin",
                "-s", f"NEWSBOT_REPORT_HTML={site.parent / 'report.html'}")
    changing_site.add(*FIRST_RUN)
    first = crawl(site, f"{changing_site.url}/feed.xml", *settings)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    after_first = _written(site)
    assert len([name for name in after_first if name.startswith("_posts/")]) == 2
    assert len([name for name in after_first if name.endswith(".jpg")]) == 2

    changing_site.add(*SECOND_RUN)
    second = crawl(site, f"{changing_site.url}/feed.xml", *settings)
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    after_second = _written(site)
    assert len(after_second) == 4 + 4 and after_first < after_second

    tree = set(git(remote, "ls-tree", "-r", "--name-only", "main").split())
    assert tree == after_second | {"_config.yml", "about.md"}
    log = git(remote, "log", "--format=%s", "main").splitlines()
    assert log == ["newsbot: 2 posts", "newsbot: 2 posts", "the user's site"]
    # Each commit holds its own run's files, and its message names its posts.
    first_commit = set(git(remote, "show", "--name-only", "--format=", "main~1").split())
    assert first_commit == after_first
    message = git(remote, "log", "-1", "--format=%B", "main")
    assert all(name in message for name in after_second - after_first if name.startswith("_posts/"))
    assert git(remote, "show", "main:about.md") == "about\n"
    _user_work_untouched(site)
    assert "pushed to origin main" in second.stdout
    assert (site.parent / "report.html").read_text(encoding="utf-8").count("<svg") == 4


def test_a_failed_push_keeps_the_commit_exits_1_and_the_next_run_pushes_it(blog, changing_site):
    site, remote = blog
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote is read-only' >&2\nexit 1\n")
    hook.chmod(0o755)
    settings = ("-s", "NEWSBOT_PUBLISH=git", "-s", "NEWSBOT_PUBLISH_REMOTE=origin", "-s", "NEWSBOT_PUBLISH_BRANCH=main")
    changing_site.add(*FIRST_RUN)

    failed = crawl(site, f"{changing_site.url}/feed.xml", *settings)
    assert failed.returncode == 1, failed.stdout + failed.stderr[-3000:]
    assert "push to origin main failed" in failed.stdout and "1 commit(s) kept locally" in failed.stdout
    assert git(site, "log", "-1", "--format=%s").strip() == "newsbot: 2 posts"
    assert set(git(site, "show", "--name-only", "--format=", "HEAD").split()) == _written(site)
    assert git(remote, "log", "--format=%s", "main").splitlines() == ["the user's site"]
    report = json.loads((site / ".newsbot" / "last-run.json").read_text())
    assert report["exit_status"] == 1 and report["publish"]["ok"] is False and report["publish"]["unpushed"] == 1
    assert report["sources"][0]["failures"] == []  # the crawl itself went fine
    status = subprocess.run([*newsbot_command(site, "")[:3], "status", "-s", f"NEWSBOT_OUTPUT={site}"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert status.returncode == 1 and "\n  publish: committed 2 post(s)" in status.stdout
    assert "push to origin main failed (remote: remote is read-only)" in status.stdout

    hook.unlink()
    retried = crawl(site, f"{changing_site.url}/feed.xml", *settings)  # nothing new: only the push is left
    assert retried.returncode == 0, retried.stdout + retried.stderr[-3000:]
    assert "no new or updated post to commit; pushed to origin main" in retried.stdout
    assert git(remote, "log", "--format=%s", "main").splitlines() == ["newsbot: 2 posts", "the user's site"]
    assert set(git(remote, "ls-tree", "-r", "--name-only", "main").split()) == _written(site) | {"_config.yml", "about.md"}
    _user_work_untouched(site)


def test_a_publish_command_gets_the_files_on_stdin_and_a_failing_one_gets_them_again(tmp_path, changing_site):
    site = tmp_path / "site"
    changing_site.add(*FIRST_RUN)
    failing = crawl(site, f"{changing_site.url}/feed.xml", "-s", "NEWSBOT_PUBLISH=sh -c 'echo uploading; echo boom >&2; exit 3'")
    assert failing.returncode == 1
    publish = json.loads((site / ".newsbot" / "last-run.json").read_text())["publish"]
    assert publish["exit_status"] == 3 and publish["output_tail"] == ["uploading", "boom"] and not publish["ok"]

    changing_site.add(SECOND_RUN[0])
    listed = tmp_path / "listed.txt"
    passing = crawl(site, f"{changing_site.url}/feed.xml", "-s", f"NEWSBOT_PUBLISH=sh -c 'cat > \"{listed}\"; echo sent'")
    assert passing.returncode == 0, passing.stdout + passing.stderr[-3000:]
    assert sorted(listed.read_text().splitlines()) == sorted(_written(site))  # the first run's files too
    publish = json.loads((site / ".newsbot" / "last-run.json").read_text())["publish"]
    assert publish["ok"] and publish["exit_status"] == 0 and publish["output_tail"] == ["sent"]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_a_publish_command_that_hangs_is_killed_with_what_it_started_and_the_run_exits_1(tmp_path, changing_site):
    site = tmp_path / "site"
    changing_site.add(*FIRST_RUN)
    sleeper = tmp_path / "sleeper.pid"
    # The upload never ends, and the process holding its output open is not the one newsbot started.
    hung = f"NEWSBOT_PUBLISH=sh -c 'echo uploading; sleep 100000 & echo $! > \"{sleeper}\"; wait'"
    result = crawl(site, f"{changing_site.url}/feed.xml", "-s", hung, "-s", "NEWSBOT_PUBLISH_TIMEOUT=1")
    assert result.returncode == 1, result.stderr[-3000:]
    message = "sh still running after 1 s (NEWSBOT_PUBLISH_TIMEOUT), killed; the same files are given again on the next run"
    assert result.stderr == f"newsbot: publish (command) failed: {message}\n"
    assert f"publish (command): FAILED: {message}" in result.stdout
    report = json.loads((site / ".newsbot" / "last-run.json").read_text())
    assert report["exit_status"] == 1
    assert not report["publish"]["ok"] and report["publish"]["output_tail"] == ["uploading"]
    assert not _running(int(sleeper.read_text()))
    assert (site / ".newsbot" / "publish-pending.jsonl").exists()  # given again next time


@pytest.mark.parametrize("settings, message", [
    (["NEWSBOT_PUBLISH=git"], "is not in a git work tree"),
    (["NEWSBOT_PUBLISH=no-such-program-for-newsbot --flag"], "no program 'no-such-program-for-newsbot' on the PATH"),
    (["NEWSBOT_PUBLISH=./deploy.sh"], "no program ./deploy.sh in"),
    (["NEWSBOT_PUBLISH=sh -c 'unclosed"], "not a command line"),
    (["NEWSBOT_PUBLISH_REMOTE=origin"], "used only with NEWSBOT_PUBLISH=git"),
    (["NEWSBOT_PUBLISH=git", "NEWSBOT_PUBLISH_BRANCH=main"], "NEWSBOT_PUBLISH_BRANCH needs NEWSBOT_PUBLISH_REMOTE"),
    (["NEWSBOT_HISTORY_DAYS=a week"], "NEWSBOT_HISTORY_DAYS='a week': not a whole number"),
    (["NEWSBOT_PUBLISH_BRANH=main"], "did you mean NEWSBOT_PUBLISH_BRANCH?"),
])
def test_bad_publish_settings_exit_2_with_one_line_before_crawling(tmp_path, settings, message):
    command = newsbot_command(tmp_path, "http://127.0.0.1:9/feed.xml")
    for setting in settings:
        command += ["-s", setting]
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=GIT_ENV, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "_posts").exists()
