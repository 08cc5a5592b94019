"""The brief: headline, summary and a few key sentences of the article, within a copy limit.

Korean press rules allow a headline, a small part and a link, not the article. A brief
copies at most a third of the article's text and never more than 600 characters of it,
counted as 20-character runs the post shares with the article (:func:`copied_chars`).
Where a summary and key sentences would go over, key sentences are dropped, then the
summary is cut: the limit wins.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import TYPE_CHECKING

from newsbot.summarize import (
    join_sentences,
    leans_on_previous,
    pick_sentences,
    pick_summary,
    ranked_sentences,
    shorten,
    split_sentences,
    summarize,
    words,
)
from newsbot.text import digest, plain_text

if TYPE_CHECKING:  # itemadapter imports Scrapy: not in the workers
    from itemadapter import ItemAdapter

COPY_RUN = 20
"""Length of the character runs compared between a post and its article."""
MAX_COPY_SHARE = 1 / 3
MAX_COPY_CHARS = 600
MAX_KEY_SENTENCES = 5
KEY_SENTENCE_MAX_CHARS = 300
"""A longer sentence makes a poor list item; it is passed over."""
KEY_SENTENCE_SHARE = 3
"""A key sentence is at most a third of what the copy limit leaves after the summary (half, when the
article has room for two; all of it, for one) ..."""
KEY_SENTENCE_FLOOR_CHARS = 100
"""... or this many characters, when that is more."""
KEY_SENTENCE_MIN_WORDS = 5
"""A shorter sentence ("Ahora está abierta a explorarlo.") says little on its own; so does a question."""


def _normalized(text: str) -> str:
    """White space collapsed to single spaces (``str.split`` splits at the same 29 characters as ``\\s``)."""
    return " ".join(text.split())


def copied_chars(post_text: str, article_text: str, run: int = COPY_RUN) -> int:
    """How many characters of ``article_text`` lie in a ``run``-character run that ``post_text`` also holds.

    Counted on the article's side, so a sentence the post repeats (summary and excerpt) counts once.
    White space is collapsed on both sides first.
    """
    return ArticleRuns(article_text, run).copied(post_text)


class ArticleRuns:
    """An article's text, white space collapsed once, that posts are measured against in ``run``-character runs.

    Each measure indexes the post's runs and looks up the article's: a post is several times
    shorter than its article, and most of the article's runs are not in it.
    """

    def __init__(self, article_text: str, run: int = COPY_RUN) -> None:
        self.run = run
        self.article = _normalized(article_text)
        self.length = len(self.article)

    def copied(self, post_text: str) -> int:
        """:func:`copied_chars` of ``post_text`` against this article."""
        by_prefix = self.copied_prefixes(post_text)
        return by_prefix[-1] if by_prefix else 0

    def copied_prefixes(self, post_text: str) -> list[int]:
        """:meth:`copied` of every prefix of ``post_text`` (white space collapsed) in one pass: entry
        ``i`` is for its first ``i + run`` characters, and prefixes shorter than a run copy nothing."""
        post, run, article = _normalized(post_text), self.run, self.article
        if len(post) < run or self.length < run:
            return []
        first: dict[str, int] = {}  # each run of the post -> where the post first has it
        for start in range(len(post) - run + 1):
            first.setdefault(post[start : start + run], start)
        shared = [at for at in self._near_shared_blocks(post) if article[at : at + run] in first]
        found: defaultdict[int, list[int]] = defaultdict(list)  # post position -> where the article has its run
        for at in shared:
            found[first[article[at : at + run]]].append(at)
        covered = bytearray(self.length)
        full = b"\x01" * run
        counts: list[int] = []
        total = 0
        previous = -2
        for start in range(len(post) - run + 1):
            for at in found.get(start, ()):
                if at == previous + 1:  # a copied stretch goes on: the run before covered all but the last character
                    if not covered[at + run - 1]:
                        covered[at + run - 1] = 1
                        total += 1
                else:
                    total += run - covered[at : at + run].count(1)
                    covered[at : at + run] = full
                previous = at
            counts.append(total)
        return counts

    def _near_shared_blocks(self, post: str) -> list[int]:
        """Where in the article a run the post shares can start, in order: around the article's
        blocks of half a run that start at a multiple of half a run and that the post has.

        A shared run holds such a block whole, so no shared run is missed; the article's runs are
        looked up only there, not at every position (most of an article is not in its post).
        """
        run, article = self.run, self.article
        half = run // 2
        pieces = {post[start : start + half] for start in range(len(post) - half + 1)}
        last = self.length - run
        starts: set[int] = set()
        for block in range(0, self.length - half + 1, half):
            if article[block : block + half] in pieces:
                starts.update(range(max(block - run + half, 0), min(block, last) + 1))
        return sorted(starts)


def copy_limit(article_text: str) -> int:
    """Characters of the article a post may copy: a third of it, never more than 600."""
    return _copy_limit_of(len(_normalized(article_text)))


def _copy_limit_of(length: int) -> int:
    """:func:`copy_limit` of an article ``length`` characters long (white space collapsed)."""
    return min(int(length * MAX_COPY_SHARE), MAX_COPY_CHARS)


def article_text(adapter: ItemAdapter) -> str:
    """The article's whole text, the measure of what a post copies."""
    return adapter.get("body_text") or plain_text(adapter.get("body_html"))


def excerpt_and_key_sentences(text: str, max_length: int, language: str = "") -> tuple[str, list[str]]:
    """The summary (as :func:`~newsbot.summarize.summarize`) and up to five other key sentences, in article order.

    Runs in the worker pools: it splits the article once for both. Fewer key sentences for a short
    article: at most one for every three candidate sentences left after the summary.
    """
    ranked = ranked_sentences(text, language)
    summary_positions, summary = pick_summary(ranked, max_length)
    if not summary_positions:
        return summarize(text, max_length, language), []
    sentences = dict(ranked)
    room = min(MAX_KEY_SENTENCES, (len(ranked) - len(summary_positions)) // 3)
    budget = copy_limit(text) - len(summary)
    # Sentences that leave room for others: five 150-character sentences are over the 600 limit.
    longest = min(KEY_SENTENCE_MAX_CHARS, max(budget // max(min(room, KEY_SENTENCE_SHARE), 1), KEY_SENTENCE_FLOOR_CHARS))
    key_positions = pick_sentences(
        ranked, budget, limit=room, taken=frozenset(summary_positions),
        eligible=lambda sentence: len(sentence) <= longest and _statement(sentence, language),
    ) if room else []
    return summary, [sentences[index] for index in key_positions]


def _statement(sentence: str, language: str) -> bool:
    """Is ``sentence`` a statement a key point can be: enough words to say something, not a question?
    (Its length is checked against the room the brief has, never above ``KEY_SENTENCE_MAX_CHARS``.)"""
    return len(words(sentence, language)) >= KEY_SENTENCE_MIN_WORDS and not sentence.rstrip("\"'”’»)").endswith(("?", "？"))


def fit_copy_limit(title: str, summary: str, key_sentences: list[str], text: str) -> tuple[str, list[str]]:
    """``summary`` and ``key_sentences`` cut until the post copies no more than :func:`copy_limit` allows.

    A key sentence that would go over is left out (a shorter one after it may still fit, unless it
    leans on the sentence before); when title and summary alone go over, every key sentence is, and
    the summary loses its last sentences, then words.
    """
    article = ArticleRuns(text)
    limit = _copy_limit_of(article.length)  # the article's white space collapsed once, for both
    # One pass counts every prefix: whether all fits (most briefs), or title and summary alone.
    whole = " ".join([title, summary, *key_sentences])
    by_prefix = article.copied_prefixes(whole)
    if _at_prefix(by_prefix, whole) <= limit:
        return summary, list(key_sentences)
    if _at_prefix(by_prefix, " ".join([title, summary])) <= limit:
        keys: list[str] = []
        left_out = False
        for sentence in key_sentences:
            if left_out and leans_on_previous(sentence):
                continue
            post = " ".join([title, summary, *keys, sentence])
            # Until a sentence is left out, the post is a prefix of the one measured above.
            if (article.copied(post) if left_out else _at_prefix(by_prefix, post)) <= limit:
                keys.append(sentence)
            else:
                left_out = True
        return summary, keys

    def copied() -> int:
        return article.copied(" ".join([title, summary]))

    while summary and copied() > limit:
        sentences = split_sentences(summary)  # whole sentences, quotations and their closing marks kept
        if len(sentences) > 1:
            summary = join_sentences(sentences[:-1])
        else:
            # A run of COPY_RUN characters is copying; below that a cut summary copies nothing.
            summary = shorten(summary, max(len(summary) - COPY_RUN, 0)) if len(summary) > COPY_RUN else ""
    return summary, []


def _at_prefix(by_prefix: list[int], prefix: str) -> int:
    """What ``prefix`` copies, from :meth:`ArticleRuns.copied_prefixes` of a post it begins."""
    length = len(_normalized(prefix))
    return by_prefix[length - COPY_RUN] if length >= COPY_RUN and by_prefix else 0


def made_brief(title: str, summary: str, key_sentences: list[str], text: str) -> dict:
    """:func:`fit_copy_limit`'s cut, made once in the worker, with the digest of what it was cut from
    (the ``brief`` field of an Article)."""
    summary_cut, keys_cut = fit_copy_limit(title, summary, key_sentences, text)
    return {"for": digest(title, summary, *key_sentences, text), "summary": summary_cut, "key_sentences": keys_cut}


def brief_cut(title: str, summary: str, key_sentences: list[str], text: str, made: dict | None) -> tuple[str, list[str]]:
    """:func:`fit_copy_limit`; the worker's cut (:func:`made_brief`) when it was made from these same values."""
    if made and made.get("for") == digest(title, summary, *key_sentences, text):
        return made["summary"], list(made["key_sentences"])
    return fit_copy_limit(title, summary, key_sentences, text)


def render_brief(title: str, summary: str, key_sentences: list[str], key_points_heading: str) -> str:
    """The brief's body HTML between the image paragraph and the attribution (all values plain text)."""
    parts = [f"<h2>{html.escape(title)}</h2>"]
    if summary:
        parts.append(f"<p>{html.escape(summary)}</p>")
    if key_sentences:
        items = "\n".join(f"<li>{html.escape(sentence)}</li>" for sentence in key_sentences)
        parts.append(f"<h2>{html.escape(key_points_heading)}</h2>\n\n<ul>\n{items}\n</ul>")
    return "\n\n".join(parts)
