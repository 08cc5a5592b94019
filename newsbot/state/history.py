"""Every run's report, kept in the state's SQLite file for ``NEWSBOT_HISTORY_DAYS``.

One row per source and run holds the source's report as JSON (the ``SourceReport`` fields plus every
``newsbot/*`` counter of the crawl), so counters other components add later show up without a schema
change. The publish step's outcomes sit beside them. In Redis mode every worker keeps its own runs
in its own SQLite file (``NEWSBOT_STATE``, by default under its ``NEWSBOT_OUTPUT``), with its worker id.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsbot.runtime.report import SourceReport

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    worker TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    exit_status INTEGER NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at);
CREATE TABLE IF NOT EXISTS publishes (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS publish_marks (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def worker_id() -> str:
    """Which machine ran: tells apart the runs of Redis workers whose state files are gathered in one."""
    return socket.gethostname()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RunRow:
    """One source in one run, as kept."""

    run_id: str
    worker: str
    source: str
    started_at: datetime
    ended_at: datetime
    exit_status: int
    report: dict[str, Any]
    """``SourceReport`` as a dict: ``new_posts``, ``dropped`` {reason: n}, ``counters`` {stats key: n}…"""

    def count(self, name: str) -> float:
        value = self.report.get(name) or 0
        return value if isinstance(value, (int, float)) else 0

    @property
    def failures(self) -> list[str]:
        return list(self.report.get("failures") or [])

    @property
    def dropped(self) -> dict[str, int]:
        return dict(self.report.get("dropped") or {})


@dataclass
class PublishOutcome:
    """What the publish step did after a run; ``ok`` False makes the run exit 1."""

    mode: str
    ok: bool = True
    message: str = ""
    """One line for people: what was committed, pushed or run, or why it failed."""
    files: list[str] = field(default_factory=list)
    commit: str = ""
    unpushed: int = 0
    """Commits the remote does not have yet (retried on the next run)."""
    exit_status: int | None = None
    """The publish command's exit status (command mode)."""
    output_tail: list[str] = field(default_factory=list)
    """Last lines the publish command or git printed."""


@dataclass(frozen=True)
class PublishRow:
    run_id: str
    at: datetime
    outcome: PublishOutcome


class RunHistory:
    """The ``runs`` and ``publishes`` tables of the state file."""

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> RunHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def record_run(
        self, run_id: str, reports: list[SourceReport], started_at: datetime, ended_at: datetime, exit_status: int
    ) -> None:
        worker = worker_id()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO runs (run_id, worker, source, started_at, ended_at, exit_status, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, worker, report.source, _iso(started_at), _iso(ended_at), exit_status,
                     json.dumps(asdict(report), ensure_ascii=False))
                    for report in reports
                ],
            )

    def record_publish(self, run_id: str, at: datetime, outcome: PublishOutcome) -> None:
        self._db.execute(
            "INSERT INTO publishes (run_id, at, outcome) VALUES (?, ?, ?)",
            (run_id, _iso(at), json.dumps(asdict(outcome), ensure_ascii=False)),
        )

    def prune(self, days: int, now: datetime | None = None) -> None:
        """Forget runs and publishes older than ``days`` (0: keep everything)."""
        if days <= 0:
            return
        cutoff = _iso((now or utcnow()) - timedelta(days=days))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM runs WHERE started_at < ?", (cutoff,))
            self._db.execute("DELETE FROM publishes WHERE at < ?", (cutoff,))

    def runs(self) -> list[RunRow]:
        """Every kept run, oldest first."""
        rows = self._db.execute(
            "SELECT run_id, worker, source, started_at, ended_at, exit_status, report FROM runs ORDER BY started_at, id"
        )
        return [
            RunRow(run_id, worker, source, _parse(started), _parse(ended), status, json.loads(report))
            for run_id, worker, source, started, ended, status, report in rows
        ]

    def publishes(self) -> list[PublishRow]:
        """Every kept publish outcome, oldest first."""
        rows = self._db.execute("SELECT run_id, at, outcome FROM publishes ORDER BY at, id")
        return [PublishRow(run_id, _parse(at), PublishOutcome(**json.loads(outcome))) for run_id, at, outcome in rows]

    def mark(self, name: str) -> str:
        """A value the publish step keeps between runs (the last commit pushed), or ``""``."""
        row = self._db.execute("SELECT value FROM publish_marks WHERE name = ?", (name,)).fetchone()
        return row[0] if row else ""

    def set_mark(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO publish_marks (name, value) VALUES (?, ?)", (name, value))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
