"""The run summary cron users read: per source, what was fetched, posted, dropped and why."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field

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
        )


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
    return "\n".join(lines)


def write_json(path: str, reports: list[SourceReport], exit_status: int) -> None:
    """Write the report atomically next to the state file."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    payload = {"exit_status": exit_status, "sources": [asdict(report) for report in reports]}
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".last-run-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(payload, stream, ensure_ascii=False, indent=2)
    os.replace(temporary, path)
