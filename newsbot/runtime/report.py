"""The run summary cron users read (per source: what was fetched, posted, dropped and why), and what
the kept history of runs says now: what is failing, and ``newsbot status``'s screen."""

from __future__ import annotations

import json
import logging
import os
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from newsbot.config import STOPPED_STAT
from newsbot.files import replaced_whole
from newsbot.state.history import PublishRow, RunHistory, RunRow, utcnow

if TYPE_CHECKING:
    import asyncio

    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

    from newsbot.state.history import PublishOutcome

logger = logging.getLogger(__name__)

# Stats events that mean "this article was dropped", by the reason a person would read.
DROP_EVENTS = {
    "newsbot/validate/no_title": "no headline",
    "newsbot/validate/no_body": "no body",
    "newsbot/validate/short_body": "body too short",
    "newsbot/normalize/no_date": "no date",
    "newsbot/normalize/empty_title": "empty headline",
    "newsbot/normalize/too_old": "too old",
    "newsbot/sanitize/empty": "nothing left after sanitizing",
    "newsbot/write/unchanged": "already posted, unchanged",
    "newsbot/write/claimed_elsewhere": "another worker was posting it",
    "newsbot/article/not_html": "not HTML",
    "newsbot/filter/not_included": "matches no NEWSBOT_INCLUDE pattern",
    "newsbot/filter/excluded": "matches a NEWSBOT_EXCLUDE pattern",
}

# Stats events of requests and responses refused because of what a feed or page asked for.
REFUSAL_EVENTS = {
    "newsbot/ssrf/refused_address": "request to a non-public address",
    "newsbot/ssrf/refused_scheme": "request with a scheme other than http/https",
    "newsbot/bomb/redirect_loop": "redirect loop",
    "newsbot/bomb/inflated_body": "body inflating past DOWNLOAD_MAXSIZE",
    "newsbot/bomb/image_pixels": "image over NEWSBOT_IMAGE_MAX_PIXELS",
    "newsbot/bomb/deep_html": "page nested too deep, read in part",
}


BUG_REASONS = ("spider error", "did not start")
"""Failures whose cause is a traceback in the log (a bug), not a sentence in the report."""


def source_failures(
    stats: dict, shared_queue: bool = False, feed_failures: list[tuple[str, str]] | None = None,
    article_failures: Mapping[str, int] | None = None,
) -> list[str]:
    """Why a finished crawl counts as failed for cron; empty when it went fine.

    ``feed_failures`` gives each unreachable feed and its cause (``connection refused``);
    ``article_failures`` counts the articles that failed to download by cause: when every one of
    two or more failed (a blocked or unreachable site), the run failed although its feeds answered.
    With a shared (Redis) queue another worker may have fetched every feed: not a failure.
    """
    reasons = []
    if stats.get(STOPPED_STAT):
        reasons.append(f"stopped: {stats[STOPPED_STAT]}")
    elif stats.get("finish_reason") == "shutdown":
        reasons.append("interrupted (a signal stopped the crawl before it finished)")
    if feed_failures:
        reasons += _unreachable_feeds(feed_failures)
    elif stats.get("newsbot/feed/error"):
        reasons.append(f"{counted(stats['newsbot/feed/error'], 'feed')} unreachable")
    failed_articles = stats.get("newsbot/article/error", 0)
    if failed_articles >= 2 and not stats.get("newsbot/article/extracted") and not stats.get("newsbot/article/not_html"):
        causes = ", ".join(cause for cause, _ in Counter(article_failures or {}).most_common(3))
        reasons.append(f"all {failed_articles} articles failed to download" + (f" ({causes})" if causes else ""))
    if stats.get("newsbot/feed/unparseable"):
        reasons.append(f"{stats['newsbot/feed/unparseable']} feed(s) not parseable")
    if stats.get("spider_exceptions/count") or stats.get("log_count/CRITICAL"):
        reasons.append("spider error")
    if not stats.get("newsbot/feed/fetched") and not reasons and not shared_queue:
        reasons.append("no feed was fetched")
    return reasons


def _unreachable_feeds(failures: list[tuple[str, str]]) -> list[str]:
    """One reason per cause: a source whose 13 feeds fail to resolve gets one line, not 13 URLs."""
    by_cause: dict[str, list[str]] = {}
    for url, cause in failures:
        by_cause.setdefault(cause, []).append(url)
    reasons = []
    for cause, urls in by_cause.items():
        if len(urls) == 1:
            reasons.append(f"feed unreachable: {urls[0]} ({cause})")
        else:
            reasons.append(f"{len(urls)} feeds unreachable ({cause}): {urls[0]} and {len(urls) - 1} more")
    return reasons


def crawler_failures(crawler: Crawler, start_errors: dict[str, str]) -> list[str]:
    """:func:`source_failures` of a finished crawler: what ``newsbot crawl`` and ``scrapy crawl`` both judge by.

    A crawler whose spider never started failed with its ``start_errors`` entry (:func:`catch_start_error`).
    """
    if crawler.spider is None:
        error = start_errors.get(crawler.spidercls.name)
        return [f"did not start ({error})" if error else "did not start"]
    return source_failures(crawler.stats.get_stats(), shared_queue=bool(crawler.settings.get("NEWSBOT_REDIS_URL")),
                           feed_failures=getattr(crawler.spider, "feed_failures", None),
                           article_failures=getattr(crawler.spider, "article_failures", None))


def crawler_stats(crawler: Crawler) -> dict:
    """The crawl's stats; none for a crawler whose spider never started."""
    return crawler.stats.get_stats() if crawler.spider is not None else {}


def catch_start_error(crawl: Deferred | asyncio.Future, name: str, start_errors: dict[str, str]) -> None:
    """Watch what ``CrawlerProcess.crawl`` returned (a Deferred, or an asyncio task from Scrapy's async
    process): a spider or component that raised before the crawl began (a bug) has its traceback logged
    and its cause kept in ``start_errors`` for the one failure line."""

    def record(error: BaseException) -> None:
        logger.error("source %s did not start", name, exc_info=(type(error), error, error.__traceback__))
        start_errors[name] = f"{type(error).__name__}: {error}"

    if hasattr(crawl, "addErrback"):
        crawl.addErrback(lambda failure: record(failure.value))
    else:
        crawl.add_done_callback(lambda task: None if task.cancelled() or task.exception() is None else record(task.exception()))


def failure_line(source: str, failures: list[str]) -> str:
    """The one line a failed source gives, the same from both commands."""
    return f"source {source} failed: {'; '.join(failures)}"


@dataclass
class SourceReport:
    """One source's run, as printed and as written to ``last-run.json``."""

    source: str
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    articles_seen: int = 0
    new_posts: int = 0
    updated_posts: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    """Requests and responses refused because of what content asked for, by reason (not failures)."""
    errors: int = 0
    duration_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    """Why cron should hear about this source (empty when it went fine)."""
    counters: dict[str, float] = field(default_factory=dict)
    """Every ``newsbot/*`` stats counter of the run, so the history keeps counters added later."""
    bodies: dict[str, int] = field(default_factory=dict)
    """Posts written per body kind: ``brief``, ``full``, ``rewrite``."""
    rewrite: dict[str, int] = field(default_factory=dict)
    """Model use: ``calls``, ``accepted``, ``cached``, ``fallbacks``, ``retries``, ``prompt_tokens``,
    ``completion_tokens``, and ``fallback_<reason>`` per reason (empty when no rewrite was asked for)."""

    @classmethod
    def from_stats(cls, source: str, stats: dict, failures: list[str]) -> SourceReport:
        return cls(
            source=source,
            feeds_fetched=stats.get("newsbot/feed/fetched", 0),
            feeds_not_modified=stats.get("newsbot/feed/not_modified", 0),
            articles_seen=stats.get("newsbot/feed/entries", 0),
            new_posts=stats.get("newsbot/write/new", 0),
            updated_posts=stats.get("newsbot/write/updated", 0),
            dropped={reason: stats[key] for key, reason in DROP_EVENTS.items() if stats.get(key)},
            refused={reason: stats[key] for key, reason in REFUSAL_EVENTS.items() if stats.get(key)},
            errors=stats.get("newsbot/feed/error", 0) + stats.get("newsbot/article/error", 0)
            + stats.get("spider_exceptions/count", 0),
            duration_seconds=round(float(stats.get("elapsed_time_seconds", 0.0)), 1),
            failures=failures,
            counters={key: value for key, value in stats.items()
                      if key.startswith("newsbot/") and isinstance(value, (int, float))},
            bodies={key.rsplit("/", 1)[1]: value for key, value in stats.items() if key.startswith("newsbot/write/body/")},
            rewrite=_rewrite_figures(stats),
        )


def _rewrite_figures(stats: dict) -> dict[str, int]:
    figures = {
        name: stats.get(key, 0)
        for name, key in (
            ("calls", "newsbot/rewrite/calls"), ("accepted", "newsbot/rewrite/accepted"),
            ("cached", "newsbot/rewrite/cached"), ("fallbacks", "newsbot/rewrite/fallback"),
            ("retries", "newsbot/rewrite/retries"), ("prompt_tokens", "newsbot/rewrite/tokens/prompt"),
            ("completion_tokens", "newsbot/rewrite/tokens/completion"),
        )
    }
    prefix = "newsbot/rewrite/fallback/"
    figures.update({f"fallback_{key[len(prefix):]}": value for key, value in stats.items() if key.startswith(prefix)})
    return figures if any(figures.values()) else {}


def format_table(reports: list[SourceReport]) -> str:
    """A plain-text table, one line per source."""
    header = f"{'source':<12} {'feeds':>5} {'304':>4} {'seen':>5} {'new':>4} {'upd':>4} {'dropped':>7} {'err':>4} {'secs':>6}  status"
    lines = [header]
    for report in reports:
        status = "FAILED: " + "; ".join(report.failures) if report.failures else "ok"
        lines.append(
            f"{report.source:<12} {report.feeds_fetched:>5} {report.feeds_not_modified:>4} {report.articles_seen:>5} "
            f"{report.new_posts:>4} {report.updated_posts:>4} {sum(report.dropped.values()):>7} {report.errors:>4} "
            f"{report.duration_seconds:>6.1f}  {status}"
        )
        for reason, count in sorted(report.dropped.items()):
            lines.append(f"{'':<12} dropped {count}: {reason}")
        for reason, count in sorted(report.refused.items()):
            lines.append(f"{'':<12} refused {count}: {reason}")
        if report.rewrite:
            lines.append(f"{'':<12} model: {_model_line(report.rewrite)}")
    return "\n".join(lines)


def _model_line(model: dict[str, int]) -> str:
    reasons = ", ".join(f"{name[9:]} {count}" for name, count in sorted(model.items()) if name.startswith("fallback_"))
    return (
        f"{model['calls']} calls, {model['accepted']} accepted, {model['cached']} cached, "
        f"{model['fallbacks']} fell back to a brief{f' ({reasons})' if reasons else ''}, "
        f"{model['retries']} retries, {model['prompt_tokens']} + {model['completion_tokens']} tokens"
    )


def write_json(path: str, reports: list[SourceReport], exit_status: int, published: PublishOutcome | None = None) -> None:
    """Write the report atomically next to the state file."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    payload = {"exit_status": exit_status, "sources": [asdict(report) for report in reports],
               "publish": asdict(published) if published else None}
    with replaced_whole(path, prefix=".last-run-") as stream:
        stream.write(json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))


RECENT_RUNS = 20
"""Rows of the last-runs table."""
MIN_POSTING_GAPS = 3
"""Gaps between posting runs a source needs before its silence can count as unusual."""
SILENCE_FACTOR = 3
"""A silence is unusual past the longest gap seen and this many times the median gap."""


@dataclass(frozen=True)
class Alert:
    """Something failing now, for the top of the page and of ``newsbot status``."""

    subject: str
    """A source name, or ``publish``."""
    text: str


@dataclass
class Overview:
    """What the history says, shared by the HTML page and ``newsbot status``."""

    runs: list[RunRow]
    publishes: list[PublishRow]
    now: datetime
    alerts: list[Alert]

    @property
    def sources(self) -> list[str]:
        return sorted({run.source for run in self.runs})

    def runs_of(self, source: str) -> list[RunRow]:
        return [run for run in self.runs if run.source == source]

    def recent(self, limit: int = RECENT_RUNS) -> list[RunRow]:
        """The last ``limit`` source runs, newest first."""
        return sorted(self.runs, key=lambda run: run.started_at, reverse=True)[:limit]

    @property
    def workers(self) -> list[str]:
        return sorted({run.worker for run in self.runs})


def overview(history: RunHistory, now: datetime | None = None) -> Overview:
    runs, publishes = history.runs(), history.publishes()
    now = now or utcnow()
    alerts = []
    for source in sorted({run.source for run in runs}):
        alerts += source_alerts(source, [run for run in runs if run.source == source], now)
    if publishes and not publishes[-1].outcome.ok:
        alerts.append(Alert("publish", publishes[-1].outcome.message))
    return Overview(runs, publishes, now, alerts)


def source_alerts(source: str, runs: list[RunRow], now: datetime) -> list[Alert]:
    """A feed failing in its latest runs; no new article for longer than the source ever went."""
    alerts = []
    failing = 0
    for run in reversed(runs):
        if not run.failures:
            break
        failing += 1
    if failing:
        first = runs[-failing]
        span = "every run kept" if failing == len(runs) else f"its last {counted(failing, 'run')}"
        alerts.append(Alert(source, f"failed in {span}, since {first.started_at:%Y-%m-%d %H:%M} UTC: "
                                    + "; ".join(runs[-1].failures)))
    model = _model_alert(runs[-1].report.get("rewrite") or {})
    if model:
        alerts.append(Alert(source, model))
    posting = [run.ended_at for run in runs if run.count("new_posts") > 0]
    gaps = [later - earlier for earlier, later in zip(posting, posting[1:])]
    if len(gaps) >= MIN_POSTING_GAPS:
        longest, typical = max(gaps), statistics.median(gaps)
        silent = now - posting[-1]
        if silent > max(longest, typical * SILENCE_FACTOR) and runs[-1].ended_at > posting[-1]:
            alerts.append(Alert(source, f"no new article for {duration_text(silent)} (longest gap before: "
                                        f"{duration_text(longest)}, typical: {duration_text(typical)})"))
    return alerts


def _model_alert(model: dict[str, int]) -> str:
    """``model: 26 of 26 rewrites fell back to a brief (timeout 26)`` when the model gave no post of a
    run (dead server, bad key...); '' when one was rewritten or only the per-run limit was reached."""
    fallbacks = model.get("fallbacks", 0)
    reasons = {name[9:]: count for name, count in model.items() if name.startswith("fallback_") and count}
    if not fallbacks or model.get("accepted", 0) or model.get("cached", 0) or set(reasons) <= {"max_per_run"}:
        return ""
    listed = ", ".join(f"{name} {count}" for name, count in sorted(reasons.items()))
    return f"model: {fallbacks} of {fallbacks} rewrites fell back to a brief in the last run ({listed})"


def counted(number: int, noun: str) -> str:
    """``1 source run``, ``2 source runs``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def duration_text(span: timedelta) -> str:
    """``3d 4h``, ``2h 5m``, ``40m``, ``12s``."""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m" if minutes else f"{seconds}s"


SPARK = " ▁▂▃▄▅▆▇█"
STATUS_DAYS = 14


def format_status(overview: Overview) -> str:
    """``newsbot status``: what is failing, then one line per source, fitting one terminal screen."""
    now = overview.now
    if not overview.runs:
        return "no run recorded yet"
    lines = [f"{counted(len(overview.runs), 'source run')} kept, {overview.runs[0].started_at:%Y-%m-%d %H:%M} to "
             f"{overview.runs[-1].ended_at:%Y-%m-%d %H:%M} UTC"]
    lines.append("FAILING NOW" if overview.alerts else "nothing failing now")
    lines += [f"  {alert.subject}: {alert.text}" for alert in overview.alerts]
    width = max(len("source"), *(len(source) for source in overview.sources))
    lines.append(f"{'source':<{width}} {'last run':>11} {'status':<6} {'secs':>5} {'runs':>5} {'new 24h':>7} "
                 f"{'new 7d':>6} {'last new':>11} {'err 7d':>6}  posts/day, last {STATUS_DAYS} days")
    for source in overview.sources:
        runs = overview.runs_of(source)
        last = runs[-1]
        day, week = now - timedelta(days=1), now - timedelta(days=7)
        posting = [run.ended_at for run in runs if run.count("new_posts")]
        last_new = duration_text(now - posting[-1]) + " ago" if posting else "never"
        lines.append(
            f"{source:<{width}} {last.started_at:%m-%d %H:%M} {'FAILED' if last.failures else 'ok':<6} "
            f"{last.count('duration_seconds'):>5.1f} {len(runs):>5} "
            f"{sum(run.count('new_posts') for run in runs if run.started_at >= day):>7g} "
            f"{sum(run.count('new_posts') for run in runs if run.started_at >= week):>6g} {last_new:>11} "
            f"{sum(run.count('errors') for run in runs if run.started_at >= week):>6g}  {_sparkline(runs, now)}"
        )
    if overview.publishes:
        row = overview.publishes[-1]
        lines.append(f"publish ({row.outcome.mode}) {row.at:%m-%d %H:%M}: "
                     f"{'ok' if row.outcome.ok else 'FAILED'}: {row.outcome.message}")
    return "\n".join(lines)


def _sparkline(runs: list[RunRow], now: datetime) -> str:
    """New posts per day over the last ``STATUS_DAYS`` days, one block character a day."""
    today = now.date()
    per_day = [0.0] * STATUS_DAYS
    for run in runs:
        age = (today - run.started_at.date()).days
        if 0 <= age < STATUS_DAYS:
            per_day[STATUS_DAYS - 1 - age] += run.count("new_posts")
    top = max(per_day) or 1
    return "".join(SPARK[round(value / top * (len(SPARK) - 1))] if value else "·" for value in per_day)
