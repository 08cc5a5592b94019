"""`newsbot demo` (what `make demo` runs): the bundled real pages, crawled twice."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

from conftest import FAST, PROJECT_ROOT
from newsbot.cli import DEMO_PORT
from newsbot.stories.desk import same_article


def demo(output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsbot.cli", "demo", "-s", f"NEWSBOT_OUTPUT={output}", *FAST],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )


def test_demo_help_says_what_pages_takes():
    result = subprocess.run([sys.executable, "-m", "newsbot.cli", "demo", "--help"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    option = result.stdout[result.stdout.index("\n  --pages"):].split("\n  -")[1]
    assert "manifest.json" in option and "tests/fixtures/pages" in option, result.stdout


def test_a_second_demo_finds_nothing_new_and_changes_no_post(tmp_path):
    first = demo(tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    posts = {path.name: path.read_bytes() for path in (tmp_path / "_posts").glob("*.md")}
    assert len(posts) == 26
    # README's way to find the demo's posts among real ones finds every one of them
    pattern = re.search(r"`grep -l '([^']+)' output/_posts/\*\.md", (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert pattern and all(pattern[1].encode() in post for post in posts.values())
    second = demo(tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["sources"][0]
    assert report.get("new_posts", 0) == 0 and report.get("updated_posts", 0) == 0, report
    assert {path.name: path.read_bytes() for path in (tmp_path / "_posts").glob("*.md")} == posts


def test_a_second_demo_finds_nothing_new_when_another_program_holds_the_demo_port(tmp_path):
    with socket.socket() as other_program:
        other_program.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past the last demo's TIME_WAIT
        try:
            other_program.bind(("127.0.0.1", DEMO_PORT))
            other_program.listen()
        except OSError:
            pass  # something else holds it already: the same case
        first = demo(tmp_path)
        assert first.returncode == 0 and f"port {DEMO_PORT} is taken" in first.stdout, first.stderr[-2000:]
        second = demo(tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["sources"][0]
    assert report.get("new_posts", 0) == 0 and report.get("updated_posts", 0) == 0, report


def test_one_article_under_another_host_or_port_is_one_source_of_its_story():
    yonhap = {"name": "Yonhap News Agency", "url": "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk"}
    assert same_article(yonhap, {**yonhap, "url": "http://m.yna.co.kr/view/AEN20190820002300325?section=nk/nk"})
    assert same_article(yonhap, {**yonhap, "url": "http://127.0.0.1:8741/view/AEN20190820002300325?section=nk/nk"})
    assert same_article(yonhap, {**yonhap, "url": "https://www.yna.co.kr/view/AEN20190820002300325?section=nk/nk&utm_source=x"})
    # Another outlet, or another article of the same outlet, is another source.
    assert not same_article(yonhap, {"name": "Newsis", "url": yonhap["url"].replace("yna.co.kr", "newsis.com")})
    assert not same_article(yonhap, {**yonhap, "url": "https://en.yna.co.kr/view/AEN20190820002400325"})
    assert not same_article(yonhap, {**yonhap, "url": "https://en.yna.co.kr/"})
