"""Which story an article belongs to: compare it with every open story, join the closest or start one.

An article is a unit TF-IDF vector of its terms (names weighted up). A story keeps the sum of
its articles' vectors, cut to its heaviest terms, so the dot product with that sum over the
story's size is the article's average cosine to the story's articles (average link). Average
link instead of the nearest member keeps a story from chaining into the next one of the same
kind, and a story that mixes two events scores lower with both. Candidates come from an
inverted index of the stories' heaviest terms. IDF comes from the articles seen so far.

Memory: a crawl keeps every story of the last ``window_hours`` open, thousands on a busy day, so a
story's terms are two flat arrays (interned term strings, 4-byte weights) and only its heaviest
terms are indexed: about 6 KiB a story of 400 terms instead of about 80 KiB as a dict and a full index.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import sys
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from datetime import datetime, timedelta, timezone

from newsbot.stories.features import article_terms
from newsbot.settings_reader import SettingsReader


CANDIDATE_TERMS = 15
"""An article is compared with the stories that hold one of its heaviest terms (as many as this)."""
INDEXED_TERMS = 50
"""A story is found through its heaviest terms (as many as this). Indexing 30, 50 or all 400 gave the
same stories on the benchmark file (bench/stories.py) and on shuffled crawls of its BASIL part."""
LONE_SPAN = timedelta(hours=24)
"""How near in time another story must be for a story not to count as alone (:meth:`Grouper._alone`)."""
IDF_PRIOR = 30
"""Articles the IDF counts as seen without any term, so the first few articles of a fresh state are
not weighted by a two-document IDF (which would make every shared word look common)."""


@dataclass
class GrouperConfig:
    """The grouper's knobs (``NEWSBOT_STORY_*`` settings)."""

    threshold: float = 0.34
    """Lowest average cosine similarity between an article and a story's articles for it to join."""
    lone_threshold: float = 0.30
    """The same, for a story that is the only open story published within a day of the article
    (no lower than this, no higher than :attr:`threshold`)."""
    window_hours: float = 48.0
    """An article joins a story only when published within this many hours of the story's articles."""
    name_weight: float = 3.0
    """How much more a name (a capitalized word) counts than another word."""
    title_weight: float = 1.0
    """How many times a title word counts."""
    story_terms: int = 400
    """Terms kept per story centroid (memory bound)."""
    max_open_stories: int = 5000
    """Open stories kept; the least recently joined are closed first."""
    max_terms: int = 100_000
    """Document-frequency entries kept (about 15 MiB); the rarest are dropped when there are more."""

    @classmethod
    def from_settings(cls, settings: SettingsReader) -> GrouperConfig:
        """The config the ``NEWSBOT_STORY_*`` settings give (checked by newsbot.config)."""
        return cls(
            threshold=float(settings.get("NEWSBOT_STORY_THRESHOLD", cls.threshold)),
            lone_threshold=float(settings.get("NEWSBOT_STORY_LONE_THRESHOLD", cls.lone_threshold)),
            window_hours=float(settings.get("NEWSBOT_STORY_WINDOW_HOURS", cls.window_hours)),
        )


class TermWeights(Mapping[str, float]):
    """A story's terms and weights in two flat arrays: shared (interned) term strings, 4-byte floats.

    Looked up by walking the arrays (:meth:`dot`), not hashed: a story is only ever compared with
    an article, whose terms are a dict.
    """

    __slots__ = ("_terms", "_weights")

    def __init__(self, weights: Mapping[str, float] | Iterable[tuple[str, float]] = ()) -> None:
        pairs = list(weights.items() if isinstance(weights, Mapping) else weights)
        self._terms = tuple(sys.intern(term) for term, _ in pairs)
        self._weights = array("f", [weight for _, weight in pairs])

    def __getitem__(self, term: str) -> float:
        try:
            return self._weights[self._terms.index(term)]
        except ValueError:
            raise KeyError(term) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def items(self) -> Iterator[tuple[str, float]]:  # type: ignore[override]
        return zip(self._terms, self._weights)

    def dot(self, vector: Mapping[str, float]) -> float:
        """The dot product with ``vector`` (an article's terms)."""
        return sum(weight * vector.get(term, 0.0) for term, weight in zip(self._terms, self._weights))

    def heaviest(self, count: int) -> list[str]:
        """The ``count`` terms of largest weight."""
        return [term for term, _ in heapq.nlargest(count, self.items(), key=lambda item: item[1])]


@dataclass
class Story:
    """An open story: its id, the sum of its articles' unit TF-IDF vectors and the span of their dates."""

    id: str
    terms: Mapping[str, float]
    size: int = 1
    language: str = ""
    earliest: datetime | None = None
    latest: datetime | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.terms, TermWeights):
            self.terms = TermWeights(self.terms)

    def to_dict(self) -> dict[str, Any]:
        """The story as JSON values (dates as ISO text)."""
        return {
            "id": self.id, "terms": dict(self.terms.items()), "size": self.size, "language": self.language,
            "earliest": self.earliest.isoformat() if self.earliest else "",
            "latest": self.latest.isoformat() if self.latest else "",
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        return cls(
            id=data["id"], terms=data["terms"], size=data["size"], language=data["language"],
            earliest=parse_published(data["earliest"]), latest=parse_published(data["latest"]),
        )


def _normalized(terms: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(weight * weight for weight in terms.values())) or 1.0
    return {term: weight / norm for term, weight in terms.items()}


class Grouper:
    """Assigns articles to stories, one at a time, in arrival order."""

    def __init__(self, config: GrouperConfig | None = None) -> None:
        self.config = config or GrouperConfig()
        self.document_count = 0
        self.document_frequency: Counter = Counter()
        self.stories: OrderedDict[str, Story] = OrderedDict()
        self._index: dict[str, set[str]] = {}

    def tf_idf(self, raw: Mapping[str, float]) -> dict[str, float]:
        """``raw`` weights times each term's inverse document frequency over the articles seen so far
        (names weighted up); one pass with the lookups hoisted: it runs for every term of every article."""
        seen = self.document_count + 1 + IDF_PRIOR
        frequency, name_weight, log = self.document_frequency, self.config.name_weight, math.log
        weighted = {}
        for term, weight in raw.items():
            value = log(seen / (frequency[term] + 1)) + 1.0
            weighted[term] = weight * (value * name_weight if term[0] == "@" else value)
        return weighted

    def similarity(self, article: dict[str, float], story: Story) -> float:
        """Average cosine between ``article`` (a unit TF-IDF vector) and the story's articles."""
        return story.terms.dot(article) / story.size

    def _in_window(self, story: Story, published: datetime | None) -> bool:
        if published is None or story.latest is None:
            return True
        window = timedelta(hours=self.config.window_hours)
        return story.earliest - window <= published <= story.latest + window

    def _alone(self, story: Story, published: datetime | None) -> bool:
        """Whether ``story`` is the only open story of its language published within a day of
        ``published``. Time alone never joins an article to a story: a busy feed has every story of
        the day in its window. But the fewer stories there are at the time, the likelier the article
        belongs to the one there is, so it needs less text in common (``lone_threshold``). Undated
        stories may be of any day, so they count as near. The most recently joined are looked at
        first: on a busy feed one of them is near."""
        if not _near(story, published):
            return False
        for other in reversed(self.stories.values()):
            if other is story or other.language != story.language:
                continue
            if other.latest is None or _near(other, published):
                return False
        return True

    def add(
        self, article_id: str, title: str, text: str, published: datetime | None = None, language: str = ""
    ) -> str:
        """The story ``article_id`` joins: an open one of its language, or a new one named after it."""
        return self.place(article_id, self.features(title, text), published, language)

    def features(self, title: str, text: str, made: dict | None = None) -> dict[str, float]:
        """An article's terms before IDF; ``made``: the worker's, used when made from this title and text."""
        return article_terms(title, text, self.config.title_weight, made)

    def place(self, article_id: str, raw: dict[str, float], published: datetime | None, language: str) -> str:
        """:meth:`add` for an article's :meth:`features`."""
        # One string per term, shared by the frequencies and every story that keeps it.
        raw = {sys.intern(term): weight for term, weight in raw.items()}
        self.document_count += 1
        self.document_frequency.update(raw.keys())
        article = _normalized(self.tf_idf(raw))
        best, best_score = None, min(self.config.lone_threshold, self.config.threshold)
        for story_id in self._candidates(article):
            story = self.stories[story_id]
            if story.language != language or not self._in_window(story, published):
                continue
            score = self.similarity(article, story)
            if score >= best_score:
                best, best_score = story, score
        if best is not None and best_score < self.config.threshold and not self._alone(best, published):
            best = None
        if best is None:
            story_id = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]
            best = Story(id=story_id, terms={}, size=0, language=language, earliest=published, latest=published)
            self.stories[best.id] = best
        self._join(best, article, published)
        self._bound()
        return best.id

    def _candidates(self, article: dict[str, float]) -> set[str]:
        top = heapq.nlargest(CANDIDATE_TERMS, article.items(), key=lambda item: item[1])
        found: set[str] = set()
        for term, _ in top:
            found.update(self._index.get(term, ()))
        return found

    def _join(self, story: Story, unit: dict[str, float], published: datetime | None) -> None:
        self._unindex(story)
        merged = Counter(dict(story.terms.items()))
        merged.update(unit)
        story.terms = TermWeights(heapq.nlargest(self.config.story_terms, merged.items(), key=lambda item: item[1]))
        self._reindex(story)
        story.size += 1
        if published is not None:
            story.earliest = min(story.earliest or published, published)
            story.latest = max(story.latest or published, published)
        self.stories.move_to_end(story.id)

    def _unindex(self, story: Story) -> None:
        for term in story.terms.heaviest(INDEXED_TERMS):
            members = self._index.get(term)
            if members is not None:
                members.discard(story.id)
                if not members:
                    del self._index[term]

    def _reindex(self, story: Story) -> None:
        for term in story.terms.heaviest(INDEXED_TERMS):
            self._index.setdefault(term, set()).add(story.id)

    def put(self, story: Story) -> None:
        """Take ``story`` as it is now (another process changed or opened it)."""
        self.close(story.id)
        self.stories[story.id] = story
        self._reindex(story)

    def close(self, story_id: str) -> None:
        """Forget a story: no article joins it any more."""
        story = self.stories.pop(story_id, None)
        if story is not None:
            self._unindex(story)

    def close_before(self, moment: datetime) -> list[str]:
        """Close every dated story whose latest article is more than the window before ``moment``."""
        cutoff = moment - timedelta(hours=self.config.window_hours)
        closed = [story.id for story in self.stories.values() if story.latest is not None and story.latest < cutoff]
        for story_id in closed:
            self.close(story_id)
        return closed

    def _bound(self) -> None:
        while len(self.stories) > self.config.max_open_stories:
            self.close(next(iter(self.stories)))
        if len(self.document_frequency) > self.config.max_terms:
            keep = self.document_frequency.most_common(self.config.max_terms // 2)
            self.document_frequency = Counter(dict(keep))


def _near(story: Story, published: datetime | None) -> bool:
    """Whether ``published`` is within :data:`LONE_SPAN` of the dates of ``story``'s articles."""
    if published is None or story.earliest is None or story.latest is None:
        return False
    return story.earliest - LONE_SPAN <= published <= story.latest + LONE_SPAN


def group(
    articles: Iterable[tuple[str, str, str, datetime | None, str]], config: GrouperConfig | None = None
) -> list[str]:
    """Story ids of ``(id, title, text, published, language)`` articles, in input order."""
    grouper = Grouper(config)
    return [grouper.add(*article) for article in articles]


def parse_published(value: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (UTC when it gives no offset); None when empty."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
