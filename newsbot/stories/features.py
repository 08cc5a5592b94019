"""What an article says, as weighted terms the grouper compares: content words, names, numbers.

Latin-script text gives lower-cased content words cut to a short stem (so "sentenced" and
"sentence" meet) and marks words written with a capital inside a sentence as names. Hangul
runs give character bigrams, which match across particles and spacing without a
morphological analyser. Numbers are kept as they are written (digits only). Dotted
abbreviations are read without their dots ("F.B.I." is "FBI", as other outlets write it), and a
word after a title such as "Mr." or "Gov." is inside its sentence (so "Mr. Lieberman" is a name,
as "Joe Lieberman" is elsewhere). Weekdays and months are not terms: every story has them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import regex

from newsbot.text import digest

# Groups: 1 a Hangul run, 2 a word of another script, 3 a number.
_WORD = regex.compile(r"(\p{Hangul}+)|([\p{L}\p{M}][\p{L}\p{M}'’]*)|(\d[\d,.]*\d|\d)")
_SENTENCE_END_CHARACTERS = frozenset(".!?…\"“”'‘’:;")
_TITLE_BEFORE = regex.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|Prof|Rev|Sr|Jr|Atty|Det|Supt)\.\s*$"
)
_DOTTED = regex.compile(r"\b(?:\p{Lu}\.){2,}")
STEM_LENGTH = 7
_STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are around as at be because been before
    being below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how however i if in into is it its itself just last
    like made make many may me might more most much must my myself near new news no nor not now of off on once
    one only or other our ours ourselves out over own per said same say says she should since so some such
    than that the their theirs them themselves then there these they this those though through to told too
    two under until up upon us very was we were what when where whether which while who whom whose why will
    with within without would year years yet you your yours yourself yourselves according including reported
    reports report mr mrs ms dr st inc ap reuters afp
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december
    """.split()
)


@dataclass(frozen=True)
class Features:
    """One article's terms: ``term -> weight`` before IDF (names prefixed ``@``, numbers ``#``)."""

    terms: dict[str, float]


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip("'")[:STEM_LENGTH]


def _terms(text: str, counts: defaultdict[str, float], weight: float, case: defaultdict[str, int] | None) -> None:
    """Add ``text``'s terms to ``counts``; with ``case``, count per stem how often it is written
    capitalized inside a sentence (+1) or lower-case (-1)."""
    # split() gives [separator, Hangul run, word, number, separator, ...] without a match object per
    # word; what each word is (stem, "" for a stopword, and its case) is worked out once per article.
    parts = _WORD.split(text)
    words: dict[str, tuple[str, bool, bool]] = {}
    previous_end = end = 0
    for index in range(1, len(parts), 4):
        start = end + len(parts[index - 1])
        hangul, word, number = parts[index], parts[index + 1], parts[index + 2]
        if word is not None:
            end = start + len(word)
            known = words.get(word)
            if known is None:
                lower = word.lower()
                stem = "" if lower in _STOPWORDS or len(lower) < 3 else _stem(word)
                known = words[word] = (stem, word[0].islower(), word.isupper())
            stem, starts_lower, all_upper = known
            if stem:
                counts[stem] += weight
                if case is not None:
                    if starts_lower:
                        case[stem] -= 1
                    elif not all_upper and _inside_sentence(text, previous_end, start):
                        case[stem] += 1
        elif hangul is not None:
            end = start + len(hangul)
            for i in range(len(hangul) - 1):
                counts[hangul[i : i + 2]] += weight
            if len(hangul) == 1:
                counts[hangul] += weight
        else:
            end = start + len(number)
            digits = number.replace(",", "")
            if len(digits) > 1:
                counts["#" + digits] += weight
        previous_end = end


def _inside_sentence(text: str, previous_end: int, start: int) -> bool:
    """Whether the word at ``start`` follows other words of its sentence (or a title like "Mr.")."""
    before = text[max(previous_end - 3, 0) : start].rstrip()
    return (bool(before) and before[-1] not in _SENTENCE_END_CHARACTERS) or bool(
        _TITLE_BEFORE.search(text[max(start - 8, 0) : start])
    )


def _undotted(text: str) -> str:
    """``text`` with dotted abbreviations written without dots ("F.B.I." -> "FBI")."""
    return _DOTTED.sub(lambda match: match.group().replace(".", ""), text)


def extract_features(title: str, text: str, title_weight: float = 2.0) -> Features:
    """Terms of an article; title words count ``title_weight`` times, names are marked ``@``.

    A name is a word the body writes with a capital inside sentences more often than in lower
    case; headlines capitalize every word, so the title only counts towards the body's names.
    """
    # defaultdicts, not Counters: a new key costs no Python-level __missing__ call.
    counts: defaultdict[str, float] = defaultdict(float)
    case: defaultdict[str, int] = defaultdict(int)
    _terms(_undotted(text), counts, 1.0, case)
    _terms(_undotted(title), counts, title_weight, None)
    # Sublinear term frequency: a word said ten times is not ten times the evidence.
    return Features(
        {("@" + term if case[term] > 0 else term): 1.0 + math.log(weight) for term, weight in counts.items()}
    )


def made_terms(title: str, text: str, title_weight: float) -> dict:
    """:func:`extract_features`' terms, made once in the worker, with the digest of what they were
    made from (the ``story_terms`` field of an Article)."""
    return {"for": digest(title, text, str(title_weight)), "terms": extract_features(title, text, title_weight).terms}


def article_terms(title: str, text: str, title_weight: float, made: dict | None) -> dict[str, float]:
    """:func:`extract_features`' terms; the worker's (:func:`made_terms`) when made from these same values."""
    if made and made.get("for") == digest(title, text, str(title_weight)):
        return made["terms"]
    return extract_features(title, text, title_weight).terms
