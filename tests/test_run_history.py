"""Run history: what is kept, what counts as failing now, the report page and ``newsbot status``."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from conftest import PROJECT_ROOT
from newsbot.files import replaced_whole
from newsbot.runtime.report import SourceReport, overview, write_json
from newsbot.runtime.report_page import MAX_POINTS, NEW_COLOR, bucket_runs, render_report_page, write_report_page
from newsbot.state.history import PublishOutcome, RunHistory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
HOSTILE = '<img src=x onerror=alert(1)> "Evil" & Co'


def _report(source: str, new: int = 3, failures: list[str] | None = None, rewrite: dict[str, int] | None = None,
            **counters: float) -> SourceReport:
    return SourceReport(
        source=source, feeds_fetched=2, articles_seen=new + 5, new_posts=new, updated_posts=1,
        dropped={"already posted, unchanged": 5, "body too short": new % 2}, errors=len(failures or []),
        duration_seconds=2.5 + new, failures=failures or [], counters={f"newsbot/{k}": v for k, v in counters.items()},
        rewrite=rewrite or {},
    )


def _history(path: Path, runs: int = 12, every: timedelta = timedelta(hours=4)) -> None:
    """``runs`` runs of three sources ending two hours before ``NOW``: yonhap fine, newsis's feed failing
    in its last two runs, and a third source (a hostile name) silent for its last half."""
    with RunHistory(str(path)) as history:
        for index in range(runs):
            started = NOW - timedelta(hours=2) - every * (runs - 1 - index)
            last = index >= runs - 2
            reports = [
                _report("yonhap", new=index % 5 + 1, rewrite={"calls": index, "accepted": index - 1, "fallbacks": 1},
                        **{"compose/model_calls": index}),
                _report("newsis", new=0 if last else 2, failures=["feed unreachable: https://feeds.example/n.xml (HTTP 404)"] if last else None),
                _report(HOSTILE, new=4 if index < runs // 2 else 0),
            ]
            history.record_run(f"run{index}", reports, started, started + timedelta(seconds=9), 1 if last else 0)
        history.record_publish("run11", NOW - timedelta(hours=2), PublishOutcome(
            "git", ok=False, message="push to origin main failed (<denied>); 1 commit(s) kept locally"))


def test_failing_now_names_a_failing_feed_a_silent_source_and_a_failed_push_but_not_a_healthy_source(tmp_path):
    _history(tmp_path / "state.sqlite3")
    with RunHistory(str(tmp_path / "state.sqlite3")) as history:
        facts = overview(history, now=NOW)
    alerts = {alert.subject: alert.text for alert in facts.alerts}
    assert set(alerts) == {"newsis", HOSTILE, "publish"}
    assert alerts["newsis"].startswith("failed in its last 2 runs") and "feed unreachable: https://feeds.example/n.xml (HTTP 404)" in alerts["newsis"]
    assert alerts[HOSTILE].startswith("no new article for 1d 1h (longest gap before: 4h 0m")
    # The new counter another component added is kept with the run, untouched.
    assert facts.runs_of("yonhap")[-1].report["counters"] == {"newsbot/compose/model_calls": 11}


def test_a_run_where_every_rewrite_fell_back_is_failing(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    dead = {"calls": 26, "accepted": 0, "fallbacks": 26, "fallback_unreachable": 26}
    with RunHistory(path) as history:
        history.record_run("r1", [_report("yonhap", rewrite={"calls": 26, "accepted": 25, "fallbacks": 1})], NOW, NOW, 0)
        assert overview(history, now=NOW).alerts == []
    assert _run("status", "-s", f"NEWSBOT_STATE={path}").stdout.startswith("1 source run kept,")
    with RunHistory(path) as history:
        history.record_run("r2", [_report("yonhap", rewrite=dead)], NOW, NOW, 0)
        alerts = overview(history, now=NOW).alerts
    assert [(alert.subject, alert.text) for alert in alerts] == [
        ("yonhap", "model: 26 of 26 rewrites fell back to a brief in the last run (unreachable 26)")]
    result = _run("status", "-s", f"NEWSBOT_STATE={path}")
    assert result.stdout.startswith("2 source runs kept")
    assert result.returncode == 1 and "FAILING NOW" in result.stdout and "nothing failing" not in result.stdout


def test_status_columns_line_up_under_their_headings_for_a_short_source_name(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with RunHistory(path) as history:
        history.record_run("r1", [_report("feed", new=3)], NOW, NOW, 0)
    lines = _run("status", "-s", f"NEWSBOT_STATE={path}").stdout.splitlines()
    heading, row = lines[2], lines[3]
    assert row.startswith("feed ")
    # each heading ends where its value does (right-aligned numbers)
    for title in ("secs", "runs", "new 24h", "err 7d"):
        end = heading.index(title) + len(title)
        assert row[end - 1] != " " and row[end] == " ", (heading, row)


def test_status_secs_are_the_last_runs_seconds_not_a_typical_run(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with RunHistory(path) as history:
        for index, new in enumerate((7, 7, 0)):  # 9.5 s, 9.5 s, then 2.5 s
            started = NOW - timedelta(hours=3 - index)
            history.record_run(f"r{index}", [_report("feed", new=new)], started, started, 0)
    lines = _run("status", "-s", f"NEWSBOT_STATE={path}").stdout.splitlines()
    heading, row = lines[2], lines[3]
    end = heading.index(" secs") + len(" secs")
    assert row[:end].split()[-1] == "2.5", (heading, row)


def test_a_silence_shorter_than_the_source_ever_went_is_not_failing(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with RunHistory(path) as history:
        for day, new in enumerate([3, 0, 0, 0, 3, 3, 3, 0, 0]):  # once went three days without a post
            started = NOW - timedelta(days=9 - day)
            history.record_run(f"r{day}", [_report("weekly", new=new)], started, started, 0)
        assert overview(history, now=NOW).alerts == []  # two days now, three before: not unusual


def test_history_is_pruned_to_its_days(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with RunHistory(path) as history:
        for age in (100, 50, 1):
            started = NOW - timedelta(days=age)
            history.record_run(f"r{age}", [_report("yonhap")], started, started, 0)
        history.prune(90, now=NOW)
        assert [run.run_id for run in history.runs()] == ["r50", "r1"]
        history.prune(0, now=NOW)
        assert len(history.runs()) == 2


def test_many_runs_are_summed_into_buckets_so_a_chart_stays_readable(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with RunHistory(path) as history:
        for index in range(600):  # every 10 minutes for 100 hours
            started = NOW - timedelta(minutes=10 * (600 - index))
            history.record_run(f"r{index}", [_report("yonhap", new=1)], started, started, 0)
        runs = history.runs()
    buckets, size = bucket_runs(runs)
    assert size == timedelta(hours=1) and len(buckets) <= MAX_POINTS
    assert sum(len(group) for _, group in buckets) == 600


def test_report_page_is_self_contained_and_escapes_every_string_from_the_data(tmp_path):
    _history(tmp_path / "state.sqlite3")
    with RunHistory(str(tmp_path / "state.sqlite3")) as history:
        page, charts = render_report_page(overview(history, now=NOW))
    assert charts == 13  # four per source, and model use for the source whose posts were rewritten
    assert page.count("<svg") == 13
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 13
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#)""", page)  # only in-page references (#ids)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; &quot;Evil&quot; &amp; Co" in page
    assert "&lt;denied&gt;" in page
    assert "compose/model_calls=11" in page
    assert 'name="viewport"' in page


def test_last_run_json_and_the_report_page_are_written_like_posts_readable_and_synced(tmp_path, monkeypatch):
    """One way to replace a file whole: 0644 under umask 022 (mkstemp's 0600 kept a monitor out of
    last-run.json), the file synced before its rename and the directory after it."""
    _history(tmp_path / "state.sqlite3")
    synced: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd))[1])
    previous = os.umask(0o022)
    try:
        write_json(str(tmp_path / "site" / "last-run.json"), [_report("yonhap")], 0)
        with RunHistory(str(tmp_path / "state.sqlite3")) as history:
            write_report_page(str(tmp_path / "site" / "report.html"), overview(history, now=NOW))
    finally:
        os.umask(previous)
    site = tmp_path / "site"
    assert sorted(path.name for path in site.iterdir()) == ["last-run.json", "report.html"]
    assert [stat.S_IMODE((site / name).stat().st_mode) for name in ("last-run.json", "report.html")] == [0o644, 0o644]
    assert json.loads((site / "last-run.json").read_text(encoding="utf-8"))["sources"][0]["source"] == "yonhap"
    assert [path.endswith(".tmp") for path in synced] == [True, False, True, False], synced  # file, then directory
    assert synced[1] == synced[3] == str(site)


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "last-run.json"
    target.write_text('{"exit_status": 0}', encoding="utf-8")
    with pytest.raises(OSError, match="No space left"), replaced_whole(target) as stream:
        stream.write(b'{"exit_st')
        raise OSError(28, "No space left on device")
    assert target.read_text(encoding="utf-8") == '{"exit_status": 0}'
    assert list(tmp_path.iterdir()) == [target]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsbot.cli", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120)


def test_status_shows_the_same_facts_on_one_screen(tmp_path):
    _history(tmp_path / "state.sqlite3")
    result = _run("status", "-s", f"NEWSBOT_STATE={tmp_path / 'state.sqlite3'}")
    assert result.returncode == 1, result.stderr  # something is failing
    lines = result.stdout.splitlines()
    assert len(lines) <= 24 and max(map(len, lines)) <= 160
    assert lines[1] == "FAILING NOW"
    assert any(line.startswith("  newsis: failed in its last 2 runs") for line in lines)
    yonhap = next(line for line in lines if line.startswith("yonhap "))
    assert " ok " in yonhap and re.search(r"\s12\s", yonhap)
    assert lines[-1].startswith("publish (git)") and "FAILED" in lines[-1]


def test_report_and_status_without_a_history_say_so_in_one_line(tmp_path):
    for command in ("report", "status"):
        result = _run(command, "-s", f"NEWSBOT_OUTPUT={tmp_path / 'nowhere'}")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "no run history at" in result.stderr
        assert not (tmp_path / "nowhere").exists()


def test_report_makes_the_pages_folder_but_refuses_a_path_whose_parents_are_missing(tmp_path):
    """As for the crawl's paths: a mistyped --output or NEWSBOT_REPORT_HTML is one line and exit 2, no folders made."""
    _history(tmp_path / "state.sqlite3")
    state = f"NEWSBOT_STATE={tmp_path / 'state.sqlite3'}"
    for arguments in (["--output", str(tmp_path / "no" / "such" / "r.html")],
                      ["-s", f"NEWSBOT_REPORT_HTML={tmp_path / 'no' / 'such' / 'r.html'}"]):
        result = _run("report", *arguments, "-s", state)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and f"{tmp_path / 'no'} does not exist" in result.stderr
        assert not (tmp_path / "no").exists()
    result = _run("report", "--output", str(tmp_path / "site" / "r.html"), "-s", state)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "r.html").is_file()


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed")
    return path


def _browser(chromium: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", "--window-size=412,2000", *arguments],
        capture_output=True, text=True, timeout=120,
    )


MEASURE = """<script>
const charts = [...document.querySelectorAll("figure[data-chart] svg")].map(svg => {
  const box = svg.getBoundingClientRect();
  return {chart: svg.parentElement.dataset.chart, width: box.width, height: box.height,
          marks: svg.querySelectorAll("path, rect, use").length};
});
document.body.dataset.measured = JSON.stringify(
  {charts, viewport: window.innerWidth, pageWidth: document.documentElement.scrollWidth});
</script>"""


def test_report_charts_are_drawn_in_headless_chromium_at_phone_width(tmp_path, chromium):
    _history(tmp_path / "state.sqlite3")
    page = tmp_path / "report.html"
    result = _run("report", "--output", str(page), "-s", f"NEWSBOT_STATE={tmp_path / 'state.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert "13 charts" in result.stdout

    # Sizes as laid out by the browser: a copy of the page with a measuring script (the page's own
    # Content-Security-Policy forbids scripts, so the copy drops it).
    measured_copy = tmp_path / "measured.html"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    measured_copy.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _browser(chromium, "--virtual-time-budget=5000", "--dump-dom", measured_copy.as_uri())
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, dom.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    charts = measured["charts"]
    assert len(charts) == 13
    assert {chart["chart"] for chart in charts} == {"posts-per-day", "articles", "errors", "duration", "model"}
    for chart in charts:
        assert chart["width"] >= 300 and chart["height"] >= 150, chart
        assert chart["marks"] >= 10, chart
    assert measured["pageWidth"] <= measured["viewport"]  # nothing wider than a phone screen

    # The page itself, as a person sees it: not blank, and the bars drawn in their colour.
    shot = tmp_path / "shot.png"
    result = _browser(chromium, f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (412, 2000)
    assert max(ImageStat.Stat(image).stddev) > 30
    red, green, blue = (int(NEW_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    colours = image.getcolors(image.width * image.height)
    bar_pixels = sum(count for count, (r, g, b) in colours if abs(r - red) < 12 and abs(g - green) < 12 and abs(b - blue) < 12)
    assert bar_pixels > 2000
