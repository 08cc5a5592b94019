"""Where open stories live between articles and runs: the SQLite state file, or Redis.

A story record is the grouper's :class:`Story` plus what its post needs: the post's path, the
main article's post fields and the ``sources`` list. Records change only under :meth:`lock`;
in Redis that is one atomic claim all workers share, so two workers never open two posts for
one story. Document frequencies (the grouper's IDF) are kept too, as increments.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from newsbot.state import url_key
from newsbot.state.sqlite import open_state_file
from newsbot.stories.grouper import Story

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    expires REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_seq ON stories (seq);
CREATE TABLE IF NOT EXISTS story_articles (
    url_key TEXT PRIMARY KEY,
    story TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles (story);
CREATE TABLE IF NOT EXISTS story_terms (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
"""
_DOCUMENTS = ""  # the story_terms row holding how many articles the frequencies count
TERM_COUNTS_EVERY = 50
"""Articles whose term counts the SQLite store gathers before adding them to ``story_terms`` in one
transaction. Adding each article's ~600 terms in its own transaction rewrote about 0.5 MB of the
state file per article, a tenth of the crawl process's CPU; only the grouper's next start reads
the counts. A run killed with -9 loses the counts of at most this many articles (a later run's IDF
barely moves), never a story or a post."""


@dataclass
class StoryRecord:
    """An open story and its post."""

    story: Story
    post_path: str = ""
    """The post's path relative to the output directory; empty until it is first written."""
    main: dict[str, Any] = field(default_factory=dict)
    """Post fields of the main (most complete) article."""
    sources: list[dict[str, str]] = field(default_factory=list)
    """``{"name", "url"}`` of every article of the story, in arrival order."""
    post_date: str = ""
    """Publication time of the article that opened the post: the post's date, whichever article is main."""

    def to_json(self) -> str:
        return json.dumps(
            {"story": self.story.to_dict(), "post_path": self.post_path, "main": self.main, "sources": self.sources,
             "post_date": self.post_date},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> StoryRecord:
        data = json.loads(text)
        # A story saved before post_date existed is dated by its main article, as its post was.
        return cls(Story.from_dict(data["story"]), data["post_path"], data["main"], data["sources"],
                   data.get("post_date") or data["main"].get("published") or "")


def _waits() -> Iterator[float]:
    """Seconds between tries of the story claim, doubling from 1 ms to 50 ms: it is held for
    milliseconds (a group decision and one file write)."""
    delay = 0.001
    while True:
        yield delay
        delay = min(delay * 2, 0.05)


def _expiry(window_hours: float) -> float:
    """When a story saved now closes: ``window_hours`` after its last article joined.

    Wall-clock time, not publication time: a crawl that reads old articles (a backfill) still
    groups them, and an open story's articles always reach its post.
    """
    return time.time() + window_hours * 3600


class SqliteStoryStore:
    """Stories in the SQLite state file (tables ``stories``, ``story_articles``, ``story_terms``)."""

    def __init__(self, path: str, window_hours: float) -> None:
        self.window_hours = window_hours
        self._db = open_state_file(path, _SCHEMA)
        self._term_counts: Counter[str] = Counter()
        """Document frequencies gathered since they were last added to ``story_terms``."""

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        """Nothing to take: the run lock keeps other processes out, and a crawl files one article at a time."""
        yield

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def story_of(self, urls: list[str]) -> StoryRecord | None:
        """The open story an article (any of its URLs) already belongs to."""
        for url in urls:
            row = self._db.execute(
                "SELECT s.data FROM story_articles a JOIN stories s ON s.id = a.story WHERE a.url_key = ?",
                (url_key(url),),
            ).fetchone()
            if row:
                return StoryRecord.from_json(row[0])
        return None

    def get(self, story_id: str) -> StoryRecord | None:
        row = self._db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        return StoryRecord.from_json(row[0]) if row else None

    def changed_since(self, seq: int) -> tuple[list[Story], int]:
        """Open stories saved after ``seq``, and the latest seq."""
        rows = self._db.execute("SELECT data, seq FROM stories WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        stories = [StoryRecord.from_json(data).story for data, _ in rows]
        return stories, max([seq] + [row[1] for row in rows])

    def save(self, record: StoryRecord, urls: list[str], terms: list[str]) -> int:
        """Store ``record`` and the article URLs that joined it in one transaction; returns the change's
        sequence number. The joining article's terms are counted, and added to the stored document
        frequencies every :data:`TERM_COUNTS_EVERY` articles and on :meth:`close`."""
        with self._transaction():
            seq = self._save(record, urls)
        if terms:
            self._term_counts.update([_DOCUMENTS, *terms])
            if self._term_counts[_DOCUMENTS] >= TERM_COUNTS_EVERY:
                self._add_term_counts()
        return seq

    def _save(self, record: StoryRecord, urls: list[str]) -> int:
        (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone()
        self._db.execute(
            "INSERT OR REPLACE INTO stories (id, seq, expires, data) VALUES (?, ?, ?, ?)",
            (record.story.id, seq, _expiry(self.window_hours), record.to_json()),
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO story_articles (url_key, story) VALUES (?, ?)",
            [(url_key(url), record.story.id) for url in dict.fromkeys(urls) if url],
        )
        return seq

    def _add_term_counts(self) -> None:
        """Add the gathered document frequencies to ``story_terms`` (new terms in first-seen order)."""
        with self._transaction():
            self._db.executemany(
                "INSERT INTO story_terms (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                self._term_counts.items(),
            )
        self._term_counts.clear()

    def frequencies(self, max_terms: int) -> tuple[int, Counter]:
        """Articles counted and each term's document frequency; beyond ``max_terms`` the rarest are forgotten."""
        with self._transaction():
            (count,) = self._db.execute("SELECT COUNT(*) FROM story_terms").fetchone()
            if count > max_terms:
                self._db.execute(
                    "DELETE FROM story_terms WHERE term != ? AND term NOT IN "
                    "(SELECT term FROM story_terms ORDER BY df DESC LIMIT ?)",
                    (_DOCUMENTS, max_terms // 2),
                )
        frequency = Counter(dict(self._db.execute("SELECT term, df FROM story_terms")))
        return frequency.pop(_DOCUMENTS, 0), frequency

    def close_expired(self) -> int:
        """Close the stories past the window: forget them and which articles they had."""
        with self._transaction():
            expired = [row[0] for row in self._db.execute("SELECT id FROM stories WHERE expires < ?", (time.time(),))]
            self._db.executemany("DELETE FROM story_articles WHERE story = ?", [(story,) for story in expired])
            self._db.executemany("DELETE FROM stories WHERE id = ?", [(story,) for story in expired])
        return len(expired)

    def close(self) -> None:
        try:
            if self._term_counts:
                self._add_term_counts()
        finally:
            self._db.close()


class RedisStoryStore:
    """Stories in Redis, for many workers: every key starts with ``newsbot:story``."""

    lock_seconds = 30
    prefix = "newsbot:story"

    def __init__(self, url: str, window_hours: float) -> None:
        from newsbot.state.redis import WORKER_ID, connect

        self.server = connect(url)
        self.window_hours = window_hours
        self.worker_id = WORKER_ID
        # Deletes the lock only when this worker still holds it (it may have expired and moved on).
        self._unlock = self.server.register_script(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
        )

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        """The claim every worker takes to group an article and write its story's post; waiting for
        it leaves the reactor to the crawl's downloads."""
        waits = _waits()
        while not self._claim():
            await asyncio.sleep(next(waits))
        try:
            yield
        finally:
            self._release()

    def _claim(self) -> bool:
        return bool(self.server.set(f"{self.prefix}:lock", self.worker_id, nx=True, ex=self.lock_seconds))

    def _release(self) -> None:
        self._unlock(keys=[f"{self.prefix}:lock"], args=[self.worker_id])

    def story_of(self, urls: list[str]) -> StoryRecord | None:
        for url in urls:
            story_id = self.server.get(f"{self.prefix}:url:{url_key(url)}")
            record = self.get(story_id) if story_id else None
            if record:
                return record
        return None

    def get(self, story_id: str) -> StoryRecord | None:
        data = self.server.get(f"{self.prefix}:data:{story_id}")
        return StoryRecord.from_json(data) if data else None

    def changed_since(self, seq: int) -> tuple[list[Story], int]:
        pairs = self.server.zrangebyscore(f"{self.prefix}:seq", f"({seq}", "+inf", withscores=True)
        stories = [record.story for story_id, _ in pairs if (record := self.get(story_id))]
        return stories, int(max([seq] + [score for _, score in pairs]))

    def save(self, record: StoryRecord, urls: list[str], terms: list[str]) -> int:
        expires = _expiry(self.window_hours)
        ttl = max(int(expires - time.time()), 60) + 86400  # a backstop; close_expired removes them first
        seq = self.server.incr(f"{self.prefix}:counter")
        with self.server.pipeline() as pipe:
            pipe.set(f"{self.prefix}:data:{record.story.id}", record.to_json(), ex=ttl)
            pipe.zadd(f"{self.prefix}:seq", {record.story.id: seq})
            pipe.zadd(f"{self.prefix}:expires", {record.story.id: expires})
            for url in dict.fromkeys(urls):
                if url:
                    pipe.set(f"{self.prefix}:url:{url_key(url)}", record.story.id, ex=ttl)
            if terms:
                pipe.incr(f"{self.prefix}:documents")
                for term in terms:
                    pipe.hincrby(f"{self.prefix}:df", term, 1)
            pipe.execute()
        return seq

    def frequencies(self, max_terms: int) -> tuple[int, Counter]:
        frequency = Counter({term: int(df) for term, df in self.server.hscan_iter(f"{self.prefix}:df")})
        if len(frequency) > max_terms:
            rare = [term for term, _ in frequency.most_common()[max_terms // 2 :]]
            for start in range(0, len(rare), 1000):
                self.server.hdel(f"{self.prefix}:df", *rare[start : start + 1000])
            frequency = Counter(dict(frequency.most_common(max_terms // 2)))
        return int(self.server.get(f"{self.prefix}:documents") or 0), frequency

    def close_expired(self) -> int:
        waits = _waits()
        while not self._claim():
            time.sleep(next(waits))  # at start-up, before the crawl: nothing else waits on this thread yet
        try:
            expired = self.server.zrangebyscore(f"{self.prefix}:expires", "-inf", time.time())
            for story_id in expired:
                self.server.delete(f"{self.prefix}:data:{story_id}")
                self.server.zrem(f"{self.prefix}:seq", story_id)
                self.server.zrem(f"{self.prefix}:expires", story_id)
        finally:
            self._release()
        return len(expired)

    def close(self) -> None:
        self.server.close()
