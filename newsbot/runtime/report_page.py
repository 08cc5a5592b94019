"""``newsbot report``: one self-contained HTML page of the run history, charts drawn by matplotlib as inline SVG.

The page loads nothing (no script, no external style, font or image; its Content-Security-Policy says
so), reads on a phone (viewport, charts that scale to the screen's width) and escapes every string that
comes from the data. matplotlib is imported here only, so a crawl never pays for it.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from html import escape

from newsbot.files import replaced_whole
from newsbot.runtime.report import Overview, counted, duration_text
from newsbot.state.history import RunRow

MAX_POINTS = 120
"""A chart over runs draws at most this many points; more runs are summed into time buckets."""
BUCKETS = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1), timedelta(days=7))
SEEN_COLOR, NEW_COLOR, UPDATED_COLOR, ERROR_COLOR, DURATION_COLOR = "#555555", "#1f77b4", "#9ecae1", "#d62728", "#2ca02c"
DROP_COLORS = ("#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a")
BASIC_COUNTERS = ("feed/", "write/", "validate/", "normalize/", "sanitize/", "article/", "image/")
"""Counters the table already shows in its own columns; any other ``newsbot/*`` counter goes in 'other'."""

STYLE = """
body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0 auto;max-width:1100px;
padding:0 12px 40px;color:#222;background:#fff}
h1{font-size:1.4em;margin:16px 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:4px 0}.meta{color:#666;margin:0}
#failing li{margin:4px 0}.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
figure{margin:0;border:1px solid #eee;border-radius:6px;padding:6px}figcaption{font-size:.9em;color:#444}
figure svg{display:block;width:100%;height:auto}
.table{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;white-space:nowrap}
th,td{padding:3px 6px;border-bottom:1px solid #eee;text-align:right}th{background:#f6f6f6}
td.l,th.l{text-align:left;white-space:normal;min-width:8em}
"""


def write_report_page(path: str, overview: Overview, title: str = "newsbot runs") -> int:
    """Write the page atomically; the number of charts drawn. Its folder is made if need be, not
    the folders above it (as ``mkdir`` does): a mistyped path fails instead of being made."""
    page, charts = render_report_page(overview, title)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.mkdir(directory)
    with replaced_whole(path, prefix=".report-") as stream:
        stream.write(page.encode("utf-8"))
    return charts


def render_report_page(overview: Overview, title: str = "newsbot runs") -> tuple[str, int]:
    """The HTML page and how many charts it holds."""
    sections = [_failing_section(overview)]
    charts = 0
    for source in overview.sources:
        figures = source_charts(overview, source)
        charts += len(figures)
        sections.append(
            f'<section class="source"><h2>{escape(source)}</h2><div class="charts">'
            + "".join(f'<figure data-chart="{name}"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'
                      for name, caption, svg in figures)
            + "</div></section>"
        )
    sections.append(_runs_section(overview))
    sections.append(_publish_section(overview))
    span = (f"{counted(len(overview.runs), 'source run')} from {overview.runs[0].started_at:%Y-%m-%d %H:%M} "
            f"to {overview.runs[-1].ended_at:%Y-%m-%d %H:%M} UTC" if overview.runs else "no run recorded yet")
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class=\"meta\">{span}; page made {overview.now:%Y-%m-%d %H:%M} UTC</p>"
        + "".join(sections) + "</body></html>\n"
    )
    return page, charts


def _failing_section(overview: Overview) -> str:
    if not overview.alerts:
        return '<section id="failing"><h2>Failing now</h2><p class="ok">Nothing is failing.</p></section>'
    items = "".join(
        f'<li><span class="bad">{escape(alert.subject)}</span>: {escape(alert.text)}</li>' for alert in overview.alerts
    )
    return f'<section id="failing"><h2>Failing now</h2><ul>{items}</ul></section>'


def _runs_section(overview: Overview) -> str:
    recent = overview.recent()
    several_workers = len(overview.workers) > 1
    heads = ["started (UTC)", "source", *(["worker"] if several_workers else []),
             "status", "feeds", "304", "seen", "new", "upd", "dropped", "err", "secs", "other counters"]
    rows = []
    for run in recent:
        status = ('<span class="bad">FAILED</span>: ' + escape("; ".join(run.failures))) if run.failures else "ok"
        dropped = ", ".join(f"{count} {reason}" for reason, count in sorted(run.dropped.items()))
        cells = [
            f"{run.started_at:%m-%d %H:%M}", f'<td class="l">{escape(run.source)}',
            *([f'<td class="l">{escape(run.worker)}'] if several_workers else []),
            f'<td class="l">{status}', *(str(int(run.count(name))) for name in (
                "feeds_fetched", "feeds_not_modified", "articles_seen", "new_posts", "updated_posts")),
            f'<td class="l">{escape(dropped) or "0"}', str(int(run.count("errors"))),
            f"{run.count('duration_seconds'):.1f}", f'<td class="l">{escape(other_counters(run))}',
        ]
        rows.append("<tr>" + "".join(cell if cell.startswith("<td") else f"<td>{cell}" for cell in cells) + "</tr>")
    head = "".join(f'<th class="l">{name}</th>' if name in ("source", "worker", "status", "dropped", "other counters")
                   else f"<th>{name}</th>" for name in heads)
    body = "".join(rows) or f'<tr><td colspan="{len(heads)}">no run yet</td></tr>'
    return (f'<section id="runs"><h2>Last {len(recent)} runs</h2><div class="table"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></section>")


def _publish_section(overview: Overview) -> str:
    if not overview.publishes:
        return ""
    items = []
    for row in reversed(overview.publishes[-5:]):
        outcome = row.outcome
        state = '<span class="ok">ok</span>' if outcome.ok else '<span class="bad">FAILED</span>'
        tail = f"<pre>{escape(chr(10).join(outcome.output_tail))}</pre>" if outcome.output_tail else ""
        items.append(f"<li>{row.at:%m-%d %H:%M} {escape(outcome.mode)} {state}: {escape(outcome.message)}{tail}</li>")
    return f'<section id="publish"><h2>Publish</h2><ul>{"".join(items)}</ul></section>'


def other_counters(run: RunRow) -> str:
    """Counters beyond the table's columns (model calls, fallbacks, story merges…), ``name=n`` each."""
    counters = run.report.get("counters") or {}
    return ", ".join(
        f"{key.removeprefix('newsbot/')}={value:g}" for key, value in sorted(counters.items())
        if not key.removeprefix("newsbot/").startswith(BASIC_COUNTERS)
    )


def source_charts(overview: Overview, source: str) -> list[tuple[str, str, str]]:
    """``(name, caption, svg)`` of the source's charts: four, and model use once posts are rewritten."""
    runs = overview.runs_of(source)
    buckets, size = bucket_runs(runs)
    per = "per run" if size is None else f"per {duration_text(size)}"
    salt = f"source{overview.sources.index(source)}"  # element ids unique across the page's SVGs
    charts = [
        ("posts-per-day", "Posts per day (new and updated)", _posts_per_day(runs, overview.now, f"{salt}-posts")),
        ("articles", f"Articles {per}: seen, new, dropped by reason", _articles(buckets, f"{salt}-articles")),
        ("errors", f"Errors {per}", _bars(buckets, lambda group: sum(run.count("errors") for run in group),
                                           ERROR_COLOR, f"{salt}-errors")),
        ("duration", f"Run duration, seconds ({'mean ' + per if size else 'per run'})",
         _duration(buckets, f"{salt}-duration")),
    ]
    if any(run.report.get("rewrite") for run in runs):
        charts.append(("model", f"Model {per}: calls, accepted, cached, fell back to a brief",
                       _model(buckets, f"{salt}-model")))
    return charts


def bucket_runs(runs: list[RunRow]) -> tuple[list[tuple[datetime, list[RunRow]]], timedelta | None]:
    """Runs grouped so a chart has at most ``MAX_POINTS`` points: one per run, else per hour, 6 h, day or week."""
    if len(runs) <= MAX_POINTS:
        return [(run.started_at, [run]) for run in runs], None
    first = runs[0].started_at
    for size in BUCKETS:
        if (runs[-1].started_at - first) / size < MAX_POINTS or size == BUCKETS[-1]:
            groups: dict[int, list[RunRow]] = defaultdict(list)
            for run in runs:
                groups[int((run.started_at - first) / size)].append(run)
            return [(first + index * size, group) for index, group in sorted(groups.items())], size
    raise AssertionError("unreachable: the last bucket size always matches")


def _figure():
    from matplotlib.figure import Figure  # the Figure API needs no pyplot and no GUI backend

    figure = Figure(figsize=(5.0, 2.8), layout="constrained")  # small, so its text stays legible on a phone
    axes = figure.add_subplot()
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _legend(axes) -> None:
    """Above the plot, where it hides no point."""
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, borderaxespad=0.2, handlelength=1.2)


def _time_axis(axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=7)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _svg(figure, salt: str) -> str:
    """Inline SVG that scales to its container (no fixed size), element ids unique on the page."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)  # matplotlib names its groups figure_1, axes_1… in every chart alike
    return re.sub(r'^<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 role="img"', svg, count=1)


def _rc():
    import matplotlib

    return matplotlib.rc_context({"font.size": 9, "text.parse_math": False, "axes.titlesize": 9,
                                  "legend.fontsize": 8, "legend.frameon": False})


def _posts_per_day(runs: list[RunRow], now: datetime, salt: str) -> str:
    new: Counter[date] = Counter()
    updated: Counter[date] = Counter()
    for run in runs:
        new[run.started_at.date()] += run.count("new_posts")
        updated[run.started_at.date()] += run.count("updated_posts")
    first = runs[0].started_at.date()
    days = [first + timedelta(days=offset) for offset in range((now.date() - first).days + 1)] or [first]
    with _rc():
        figure, axes = _figure()
        new_counts = [new[day] for day in days]
        axes.bar(days, new_counts, color=NEW_COLOR, label="new", width=0.8)
        axes.bar(days, [updated[day] for day in days], bottom=new_counts, color=UPDATED_COLOR, label="updated",
                 width=0.8)
        _legend(axes)
        axes.yaxis.get_major_locator().set_params(integer=True)
        _time_axis(axes)
        return _svg(figure, salt)


Series = list[tuple[str, str, Callable[[RunRow], float]]]
"""``(label, colour, value of one run)`` per line of a chart."""


def _articles(buckets: list[tuple[datetime, list[RunRow]]], salt: str) -> str:
    reasons = sorted({reason for _, group in buckets for run in group for reason in run.dropped})
    series: Series = [
        ("seen", SEEN_COLOR, lambda run: run.count("articles_seen")),
        ("new", NEW_COLOR, lambda run: run.count("new_posts")),
    ]
    series += [(f"dropped: {reason}", DROP_COLORS[index % len(DROP_COLORS)],
                lambda run, reason=reason: run.dropped.get(reason, 0)) for index, reason in enumerate(reasons)]
    return _lines(buckets, series, salt)


def _model(buckets: list[tuple[datetime, list[RunRow]]], salt: str) -> str:
    names = ("calls", "accepted", "cached", "fallbacks")
    colors = (NEW_COLOR, DURATION_COLOR, UPDATED_COLOR, ERROR_COLOR)
    series: Series = [(name, color, lambda run, name=name: (run.report.get("rewrite") or {}).get(name, 0))
                      for name, color in zip(names, colors)]
    return _lines(buckets, series, salt)


def _lines(buckets: list[tuple[datetime, list[RunRow]]], series: Series, salt: str) -> str:
    times = [moment for moment, _ in buckets]
    with _rc():
        figure, axes = _figure()
        marker = "o" if len(times) <= 40 else None
        for label, color, value in series:
            axes.plot(times, [_total(group, value) for _, group in buckets], label=label, color=color,
                      marker=marker, markersize=3, linewidth=1.4)
        axes.set_ylim(bottom=0)
        _legend(axes)
        _time_axis(axes)
        return _svg(figure, salt)


def _bars(buckets: list[tuple[datetime, list[RunRow]]], value: Callable[[list[RunRow]], float], color: str,
          salt: str) -> str:
    times = [moment for moment, _ in buckets]
    with _rc():
        figure, axes = _figure()
        values = [value(group) for _, group in buckets]
        axes.bar(times, values, color=color, width=_bar_width(times))
        axes.set_ylim(bottom=0, top=max(values + [1]) * 1.15)
        if not any(values):
            axes.text(0.5, 0.5, "none", transform=axes.transAxes, ha="center", va="center", color="#888888")
        axes.yaxis.get_major_locator().set_params(integer=True)
        _time_axis(axes)
        return _svg(figure, salt)


def _duration(buckets: list[tuple[datetime, list[RunRow]]], salt: str) -> str:
    times = [moment for moment, _ in buckets]
    with _rc():
        figure, axes = _figure()
        values = [_total(group, lambda run: run.count("duration_seconds")) / len(group) for _, group in buckets]
        axes.plot(times, values, color=DURATION_COLOR, marker="o" if len(times) <= 40 else None, markersize=3)
        axes.fill_between(times, values, color=DURATION_COLOR, alpha=0.15)
        axes.set_ylim(bottom=0)
        _time_axis(axes)
        return _svg(figure, salt)


def _total(group: Iterable[RunRow], value: Callable[[RunRow], float]) -> float:
    return sum(value(run) for run in group)


def _bar_width(times: list[datetime]) -> float:
    """Bars as wide as 70% of the closest two points (in days, matplotlib's date unit)."""
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:]) if later > earlier]
    return 0.7 * (min(gaps) if gaps else 3600) / 86400
