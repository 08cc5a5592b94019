"""Excerpts: whole sentences from the article, chosen by TextRank, at most N characters.

Korean is split into sentences by rules for news Korean (measured against kiwipiepy in
bench/korean_sentences.py), other languages by a punctuation rule that knows common
abbreviations. Sentences are ranked by TextRank over word overlap plus a bonus for the
lead (news puts the essentials first); a summary is the lead (cut after a clause when it is
too long) and the best that fit beside it, in article order, each able to stand alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator

from newsbot.extract import korean
from newsbot.extract.wires import ENGLISH_DATELINE_NAMES
from newsbot.fragments import parse_fragment
from newsbot.text import LETTER, normalize_space, plain_text

ELLIPSIS = "…"
# The closing quotes and brackets after final punctuation belong to the sentence (group 1).
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])([\"'”’“»)\]]*)\s+(?=[\"'“‘«„(\[]?[A-Z0-9À-ÖØ-Þ\u0400-\u042f\u0600-\u06ff\u4e00-\u9fff])")
# Japanese and Chinese put no space after 。！？: a sentence ends there when text follows at once (not
# a closing quote: 「…。」と is one sentence).
_CJK_FINAL = "。！？"
_CJK_END = re.compile(f"(?<=[{_CJK_FINAL}])(?=[^\\s」』）)”’\"{_CJK_FINAL}])")
# A quotation or bracket closed within its paragraph ("…", “…”, „…“, «…», ‘…’, 「…」, (…)): a sentence goes on
# to its end. A ’ before a letter is an apostrophe (‘We can’t.’), not the close.
_WESTERN_QUOTATION = re.compile(
    r"“[^“”\n]*”|„[^„“”\n]*[“”]|«[^«»\n]*»|\"[^\"\n]*\"|‘[^‘\n]*?’(?!\w)|「[^「」\n]*」|『[^『』\n]*』|\([^()\n]*\)"
)
# Where a quotation opens and what closes it, for cutting text short outside any quotation.
_QUOTE_CLOSERS = {"“": "”", "„": "“", "«": "»", '"': '"'}
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Inc|Ltd|Co|Corp|No|vs|etc|U\.S|U\.K|U\.N|E\.U|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.$"
)
_ORDINAL_DAY = re.compile(r"(?<!\d)\d{1,2}\.$")
_MONTH_AHEAD = re.compile(
    r"(?:Januar|Jänner|Februar|März|Marts|Mars|April|Mai|Maj|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|December|Desember)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w{2,}", re.UNICODE)
MIN_SENTENCE_CHARS = 15
MAX_CANDIDATES = 40
# A whole sentence ends in final punctuation, maybe inside quotes: not a kicker like "가난에 일한 ‘소년공’".
_SENTENCE_FINAL = re.compile(r"[.!?。！？…][\"'”’»)\]]*$")
# "LA CROSSE, Wis. (AP) — ", "WASHINGTON (Reuters) - ", "SEOUL, May 30 (Yonhap) -- "; a dateline without
# the agency: "FLUSHING MEADOWS — ", "LINDI: ", "Neuss · ".
_WIRE_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z0-9 .,'’/-]{1,60}\((?:" + ENGLISH_DATELINE_NAMES + r")\)\s*(?:—|–|-{1,2})"
    r"|[A-Z][A-Z .'’/-]{3,40}(?:, [A-Z][A-Za-z. ]{1,30})?(?:\s(?:—|–|--)|:(?=\s))"
    r"|[A-ZÄÖÜ][\w.'’/-]*(?: [A-ZÄÖÜ][\w.'’/-]*){0,2} ·)\s*"
)


def split_sentences(text: str, language: str = "") -> list[str]:
    """Sentences of ``text`` (paragraphs separated by newlines), in order."""
    return [sentence for paragraph in split_paragraphs(text, language) for sentence in paragraph]


def split_paragraphs(text: str, language: str = "") -> list[list[str]]:
    """The sentences of each paragraph of ``text`` (paragraphs separated by newlines), in order."""
    return list(_paragraph_sentences(text, korean.is_korean_text(text, language)))


def _paragraph_sentences(text: str, is_korean: bool) -> Iterator[list[str]]:
    """:func:`split_paragraphs`, one paragraph at a time (a caller that needs the first few stops early)."""
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if is_korean and korean.HANGUL.search(paragraph):
            sentences = _split_korean(paragraph)
        else:
            sentences = _split_western(paragraph)
        yield [sentence for sentence in sentences if sentence]


# Korean: a sentence ends in final punctuation (after the verb ending: 했다. 합니다. 까? 죠.), maybe
# inside closing quotes or brackets, before a space; or in a full stop between two Hangul syllables
# (했다.그러나, a missing space).
_KOREAN_END = re.compile(r"(?:[.!?。！？]+|…+|\.{3,})[\"'”’」』)\]]*(?=\s)|(?<=[가-힣])[.!?]+(?=[가-힣])")
# A quotation or bracket closed in its paragraph: “…했다”라고, '…다'며, “…합니다. …겁니다.” is not split inside.
_QUOTATION = re.compile(r"“[^“”]*”|‘[^‘’]*’|\"[^\"]*\"|'[^']*'|「[^「」]*」|『[^『』]*』|\([^()]*\)|\[[^\[\]]*\]")
# "2024. 5. 13.": a date written with full stops, not sentences (a number's stop before a number,
# or the day's stop of a date).
_NUMBER_STOP = re.compile(r"\d\.$")
_DATE_STOPS = re.compile(r"(?:\d{2,4}\.\s?)?\d{1,2}\.\s?\d{1,2}\.$")


def _split_korean(paragraph: str) -> list[str]:
    """Split a Korean paragraph after sentence-final punctuation, but not inside a quotation or bracket
    that closes in the paragraph, nor after a Latin abbreviation or in a date written with full stops."""
    embedded = [match.span() for match in _QUOTATION.finditer(paragraph)]
    pieces: list[str] = []
    start = 0
    for match in _KOREAN_END.finditer(paragraph):
        end = match.end()
        if any(left < end < right for left, right in embedded):
            continue
        candidate = paragraph[start:end]
        rest = paragraph[end:].lstrip()
        if not rest or not LETTER.search(candidate) or _ABBREVIATION.search(candidate):
            continue  # "1. ", "…… ", "Mr. ": no sentence yet
        if _NUMBER_STOP.search(candidate) and rest[:1].isdigit() or _DATE_STOPS.search(candidate):
            continue
        pieces.append(candidate.strip())
        start = end
    pieces.append(paragraph[start:].strip())
    return pieces


def _split_western(paragraph: str) -> list[str]:
    """Split after final punctuation (and its closing quotes) before a capital, but not after an
    abbreviation nor inside a quotation that closes in the paragraph: ``"We won. They lost," he said.``
    is one sentence."""
    quoted = [match.span() for match in _WESTERN_QUOTATION.finditer(paragraph)]
    pieces: list[str] = []
    start = 0
    for stop, end, following in _possible_ends(paragraph):
        candidate = paragraph[start:end].strip()
        if _ABBREVIATION.search(paragraph[start:stop]) or any(left < end < right for left, right in quoted):
            continue
        if _ORDINAL_DAY.search(paragraph, start, stop) and _MONTH_AHEAD.match(paragraph, following):
            continue  # "am 20. Oktober 2021": a German (Danish, Norwegian) date, not a sentence end
        pieces.append(candidate)
        start = following
    pieces.append(paragraph[start:].strip())
    return pieces


def _possible_ends(paragraph: str) -> list[tuple[int, int, int]]:
    """Where a sentence may end: the final punctuation's position, the sentence's end (after its closing
    quotes) and where the next one starts."""
    ends = [(match.start(), match.end(1), match.end()) for match in _SENTENCE_END.finditer(paragraph)]
    if any(mark in paragraph for mark in _CJK_FINAL):
        ends = sorted({*ends, *((match.start(), match.end(), match.end()) for match in _CJK_END.finditer(paragraph))})
    return ends


# What closes each opening quotation mark. “ also closes a German „; ” and » also open (Swedish ”…”,
# Danish »…«). ’ and ' are left out: they are apostrophes as often as quotation marks.
_CLOSED_BY = {
    "“": "”", "„": "“”", "‚": "‘’", "‘": "’", "«": "»", "»": "«»", "”": "”", '"': '"', "「": "」", "『": "』",
}
_CLOSERS_ONLY = "」』"
_QUOTATION_MARK = re.compile("[" + re.escape("".join(_CLOSED_BY) + _CLOSERS_ONLY) + "]")


def unbalanced_quotation(sentence: str) -> bool:
    """Does ``sentence`` open a quotation it does not close (“We will.), or close one it did not open?

    Such a sentence was cut from a quotation going on past it (over paragraphs, in newspaper style):
    on its own it leaves the quotation open.
    """
    if not _QUOTATION_MARK.search(sentence):
        return False  # most sentences: no character-by-character walk
    opened: list[str] = []
    for char in sentence:
        if opened and char in _CLOSED_BY[opened[-1]]:
            opened.pop()
        elif char in _CLOSED_BY:
            opened.append(char)
        elif char in _CLOSERS_ONLY:
            return True
    return bool(opened)


def words(text: str, language: str = "") -> set[str]:
    """The words sentences are compared by (TextRank here; usable by anything that compares texts)."""
    return _words(text, korean.is_korean_text(text, language))


def _words(sentence: str, is_korean: bool) -> set[str]:
    """Lower-cased words; in Korean the first two syllables of each, which leaves out the particle or
    ending attached to it (대통령은, 대통령의 -> 대통). Measured against kiwipiepy's content morphemes
    on 187 Korean texts, this ranks sentences closest among syllable pairs, triples, whole words and
    words without common particles (bench/korean_sentences.py)."""
    found = (word.lower() for word in _WORD.findall(sentence))
    return {word[:2] for word in found} if is_korean else set(found)


def _textrank(word_sets: list[set[str]], damping: float = 0.85, iterations: int = 30) -> list[float]:
    """TextRank scores: sentences that share words with many others rank high (power iteration)."""
    import numpy  # here, not at the top: only the worker processes need it, not the crawl process

    size = len(word_sets)
    weights = numpy.zeros((size, size))
    # A sentence of one word links to none; each size's log is taken once, not once per pair.
    linked = [(i, words, math.log(len(words))) for i, words in enumerate(word_sets) if len(words) > 1]
    for k, (i, words_i, log_i) in enumerate(linked):
        for j, words_j, log_j in linked[k + 1 :]:
            shared = len(words_i & words_j)
            if shared:
                weights[i, j] = weights[j, i] = shared / (log_i + log_j)
    totals = weights.sum(axis=1)
    totals[totals == 0] = 1.0
    transition = (weights / totals[:, None]).T  # row i: what each sentence j passes to i
    scores = numpy.ones(size)
    for _ in range(iterations):
        scores = (1 - damping) + damping * (transition @ scores)
    return scores.tolist()


def article_paragraphs(body_html: str) -> str:
    """The body's running text, one paragraph per line: no headings, captions or tables."""
    fragment = parse_fragment(body_html)
    if fragment is None:
        return ""
    lines: list[str] = []
    for paragraph in fragment.iter("p", "blockquote"):
        if any(ancestor.tag in ("figure", "figcaption", "table", "blockquote") for ancestor in paragraph.iterancestors()):
            continue
        if paragraph.tag == "blockquote" and paragraph.find(".//p") is not None:
            continue
        text = normalize_space(paragraph.text_content())
        if text:
            lines.append(text)
    if lines:
        lines[0] = _WIRE_DATELINE.sub("", lines[0], count=1)
    return "\n".join(lines)


def candidate_sentences(body_text: str, language: str = "", limit: int = 0) -> list[str]:
    """Sentences fit for a summary: no dateline, byline, credit, copyright, fragment or open quotation;
    the first ``limit`` of them when given.

    A sentence that leaves a quotation open, and the rest of its paragraph (the quotation goes on to a
    later paragraph, newspaper style), are left out: on their own they are quoted words without quotes.
    """
    return _candidates(body_text, korean.is_korean_text(body_text, language), limit)


def _candidates(body_text: str, is_korean: bool, limit: int) -> list[str]:
    """:func:`candidate_sentences` with the script known (it is worked out once per article)."""
    kept: list[str] = []
    for sentence in _outside_open_quotations(_paragraph_sentences(body_text, is_korean)):
        if limit and len(kept) >= limit:
            break
        if is_korean:
            sentence = korean.strip_dateline(sentence)
            if korean.is_boilerplate_line(sentence):
                continue
        else:
            # The dateline opens the first paragraph of the story, which is not always the page's first.
            sentence = _WIRE_DATELINE.sub("", sentence, count=1)
        sentence = plain_text(sentence)
        if (
            len(sentence) >= MIN_SENTENCE_CHARS
            and _SENTENCE_FINAL.search(sentence)
            and sentence not in kept
        ):
            kept.append(sentence)
    return kept


def _outside_open_quotations(paragraphs: Iterable[list[str]]) -> Iterator[str]:
    """The sentences of ``paragraphs`` before any that leaves a quotation open in its paragraph."""
    for paragraph in paragraphs:
        for sentence in paragraph:
            if unbalanced_quotation(sentence):
                break
            yield sentence


# Measured against the pages' own descriptions on 249 Fundus articles (word F1): TextRank alone
# 0.195, lead only 0.337, TextRank/best + 1/(1+i) 0.331, TextRank/best + 2/(1+i) 0.344.
LEAD_WEIGHT = 2.0


def _rank(score: float, index: int, best: float) -> float:
    """TextRank (scaled to the best sentence) plus a lead bonus: news puts the essentials first."""
    return score / best + LEAD_WEIGHT / (1 + index)


# Openers that point back at the sentence before ("이를", "However", "Monate später", "Cependant", "Algo que"):
# without it they read as a non sequitur. Pronouns, demonstratives, relatives, connectives; a verb first
# where its subject was named before (Spanish "Ha ocurrido", French "Il a"); Italian "Il" is an article.
_LEANS_ON_PREVIOUS = re.compile(
    r"^[\"'“‘«„(\[]?(?:이를|이에|이같은|이 같은|이와 같은|이와 관련해|이와|이는|이로써|이로 인해|이 때문에|이때문에|이날|이어|이후|"
    r"이러한|이런|그런|그러한|이들은|이들의|이들이|이들|그 결과|이 밖에|이밖에|해당|다만|특히|"
    r"그러나|하지만|그런데|그러면서|그러자|그래서|따라서|그럼에도|또한|또|아울러|반면|한편|그는|그가|그의|그를|그에게|그녀는|그녀의|그들은|그들의|"
    r"This|These|That|Those|Such|It|He|She|They|His|Her|Their|Its|Both|Which|Whose|Whom|Who|And|Or|So|Nor|"
    r"(?:It|That|He|She|They)[’'](?:s|re|d|ll)|However|But|Also|Moreover|Furthermore|Meanwhile|Still|Yet|"
    r"Nevertheless|Nonetheless|Instead|Thus|Hence|Therefore|Otherwise|Besides|Likewise|Similarly|Again|Even so|"
    r"In addition|As a result|For (?:example|instance)|Since then|By then|At the time|"
    r"The (?:two|latter|former|same|move|decision|announcement|proposals?|measures?|plans?|changes?|remarks|comments|"
    r"statement|incident|attack|deal|agreement|step|findings|latest)|"
    r"Then|Later|Afterward|Afterwards|(?:\w+ )?(?:[Hh]ours|[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears) later|"
    r"Dies|Er|Sie|Es|Ihr|Ihre|Ihren|Ihrem|Sein|Seine|Seinen|Seinem|Deren|Dessen|Beide|Damit|Dabei|Dafür|Darauf|Darüber|"
    r"Dazu|Davon|Dagegen|Dennoch|Deshalb|Daher|Demnach|Somit|Zuvor|Und|Doch|Aber|Allerdings|Zudem|Außerdem|Auch|"
    r"(?:Das|Diese|Dieser|Dieses) (?:ist|sind|sei|seien|war|waren|wäre|hat|haben|habe|hatte|wird|würde|soll)|"
    r"Trotzdem|Jedoch|Danach|Dann|Später|(?:\w+ )?(?:Stunden|Tage|Wochen|Monate|Jahre) (?:später|danach)|"
    r"Il (?:a|avait|est|était|sera|serait|fait|dit|ajoute|estime|explique|affirme|y|n[’']|s[’'])|"
    r"Elle|Ils|Elles|Cela|Ceci|Ce|Cet|Cette|Ces|Celui|Celle|Ceux|Celles|C[’']est|Son|Sa|Ses|Leur|Leurs|Lequel|Laquelle|"
    r"Dont|Ainsi|Aussi|En outre|De plus|Par ailleurs|Néanmoins|Dès lors|"
    r"Mais|Cependant|Pourtant|Toutefois|Ensuite|Puis|Alors|Donc|"
    r"(?:Algo|Lo|Todo|Aquello) que|Esto|Eso|Ello|Éste|Ésta|Este|Esta|Estos|Estas|Ese|Esa|Esos|Esas|Aquel|Aquella|"
    r"Dicho|Dicha|Dichos|Dichas|Su|Sus|Ambos|Ambas|Así|Asimismo|También|Tampoco|Aun así|Por ello|Por eso|"
    r"Por tanto|No obstante|Cuyo|Cuya|Quien|Quienes|(?:El|La|Lo|Los|Las) (?:cual|cuales)|"
    r"Ha|Han|Había|Habían|Es|Son|Era|Fue|Será|Sería|Está|Están|"
    r"Él|Ella|Ellos|Ellas|Pero|Sin embargo|Además|Luego|Después|Entonces)(?=[\s,:;])"
)
# A definite subject of one or two common nouns that says or is something ("The institute said", "The
# company has", "Los expertos dijeron"): the thing was named in a sentence before.
_DEFINITE_SUBJECT = re.compile(
    r"^(?:The(?: [a-z][\w-]*){1,2} (?:said|says|added|adds|told|noted|stated|explained|include[sd]?|is|was|are|were|"
    r"has|have|had|will|would|could|can|may|also)"
    r"|(?:El|La|Los|Las)(?: [a-záéíóúñ][\w-]*){1,2} (?:dijo|dice|afirmó|añadió|señaló|explicó|aseguró|indicó|incluye|incluyen)"
    r"|(?:Le|La|Les|L[’'])(?: ?[a-zéèêàç][\w-]*){1,2} (?:a (?:dit|déclaré|ajouté|précisé|expliqué)|inclut|incluent))\b"
)
# A pronoun that stands for someone named before, inside the sentence: '"…," he said', "selon elle",
# "a-t-il ajouté", "sagte er", "All said", "Wearing the crown, he read".
_PRONOUN_SOURCE = re.compile(
    r"[,”\"’]\s(?:he|she|they) (?:said|says|added|told|noted|explained)\b|\bselon (?:elle|lui|eux|elles)\b"
    r"|\b(?:a|ont|dit|ajoute|estime|explique|affirme|précise)-t?-?(?:il|elle|ils|elles)\b"
    r"|\b(?:sagte|sagt|erklärte|betonte|so) (?:er|sie)\b"
    r"|^(?:All|Some|Many|Most|Others|Neither|None) (?:of (?:them|those|these)|said|say|were|are|have|had)\b"
    r"|^(?:[A-Z]\w+ing|After|Before|While|When|Although|Though|As|Since|Despite)\b[^,.]{0,80}, (?:he|she|they|it|his|her|their)\b"
)
# Korean names a person in full, then by family name and title ("이재명 후보는" ... "이 후보는").
_KOREAN_SURNAME_TITLE = re.compile(
    r"^([가-힣]) (후보|대표|대통령|당선인|의원|장관|총리|위원장|지사|시장|회장|사장|부회장|대변인|교수|감독|청장|원장|차관|씨)"
    r"(?:은|는|이|가|도|의|을|를|에게|과|와)?\s"
)


def leans_on_previous(sentence: str) -> bool:
    """Does ``sentence`` open by referring to the one before it (이를, 이에, 그러나, This, However, The
    institute said, Algo que, ...) or name its speaker by a pronoun ("…," he said)?"""
    return bool(
        _LEANS_ON_PREVIOUS.match(sentence) or _DEFINITE_SUBJECT.match(sentence) or _PRONOUN_SOURCE.search(sentence)
    )


# A capitalized word not after another capitalized word ("Murray was back", "added Baker,", "killed
# Abdallah, 37"): a family name alone when the article gave it after a first name before ("Andy Murray").
_NAME_WORD = re.compile(r"^[\"'“‘«(]?([A-ZÀ-ÖØ-Þ][\w’'-]+)([^\w\s]*)$")


def _bare_names(sentence: str) -> Iterator[str]:
    """Capitalized words of ``sentence`` with no capitalized word of the same phrase right before; the
    first word only when a lower-case word follows (a sentence opens with a capital anyway)."""
    words = sentence.split()
    joined_to_previous = False  # the word before is capitalized, with no punctuation between
    for position, word in enumerate(words):
        match = _NAME_WORD.match(word)
        if match is None:
            joined_to_previous = False
            continue
        if position == 0:
            if len(words) > 1 and words[1][:1].islower():
                yield match.group(1)
        elif not joined_to_previous:
            yield match.group(1)
        joined_to_previous = not match.group(2)


# A capitalized word right after another, each place one starts ("Andy Murray", "O'Brien Smith").
_AFTER_CAPITALIZED = re.compile(r"(?=\b[A-ZÀ-ÖØ-Þ][\w’'-]+ ([A-ZÀ-ÖØ-Þ][\w’'-]+))")


def _named_in_full(sentences: dict[int, str]) -> dict[str, int]:
    """Each word written after a capitalized word ("Murray" of "Andy Murray"), and its prefixes that end
    at a word boundary ("Baker" of "Lee Baker's"), with the first of ``sentences`` that writes it so.
    Made once per pick: looking each family name up in all the text before it cost 2.6 ms an article."""
    first: dict[str, int] = {}
    for index in sorted(sentences, reverse=True):  # the earliest is written last and stays
        sentence = sentences[index]
        for match in _AFTER_CAPITALIZED.finditer(sentence):
            word, end = match.group(1), match.end(1)
            for cut in range(2, len(word) + 1):
                following = word[cut] if cut < len(word) else sentence[end : end + 1]
                if _is_word_char(word[cut - 1]) != _is_word_char(following):
                    first[word[:cut]] = index
    return first


def _is_word_char(char: str) -> bool:
    """Whether ``char`` is one ``\\w`` matches (empty: the end of the text, which is not)."""
    return char.isalnum() or char == "_"


def _named_before(sentence: str, index: int, named_in_full: dict[str, int], shown: Callable[[], list[str]]) -> bool:
    """Is every person ``sentence`` (at ``index``) calls by family name alone ("이 후보는", "Murray was",
    "added Baker") named in what is ``shown`` with it? True when it calls no one so, or the article named
    them in full only later (``named_in_full``: :func:`_named_in_full`)."""
    match = _KOREAN_SURNAME_TITLE.match(sentence)
    if match is not None:
        surname, title = match.groups()
        named = re.compile(f"{surname}[가-힣]{{1,2}}\\b.{{0,30}}{title}")
        return any(named.search(text) for text in shown())
    return all(
        named_in_full.get(name, index) >= index or any(name in text for text in shown())
        for name in set(_bare_names(sentence))
    )


# Wire boilerplate that says nothing on its own: "did not immediately respond to a request for comment".
_SAYS_NOTHING = re.compile(
    r"request(?:s)? for comment|could not be reached for comment|declined to comment|no immediate comment"
    r"|could not (?:independently )?(?:verify|confirm)|did not (?:immediately )?(?:respond|reply|return)",
    re.IGNORECASE,
)


def ranked_sentences(body_text: str, language: str = "") -> list[tuple[int, str]]:
    """Candidate sentences as ``(position, sentence)``, best first (TextRank plus the lead bonus)."""
    # The lead bonus decides past the first few dozen sentences; TextRank is quadratic in their number.
    is_korean = korean.is_korean_text(body_text, language)
    sentences = _candidates(body_text, is_korean, MAX_CANDIDATES)
    if not sentences:
        return []
    scores = _textrank([_words(sentence, is_korean) for sentence in sentences])
    best = max(scores) or 1.0
    order = sorted(range(len(sentences)), key=lambda index: _rank(scores[index], index, best), reverse=True)
    return [(index, sentences[index]) for index in order]


def pick_sentences(
    ranked: list[tuple[int, str]],
    max_length: int,
    limit: int = 0,
    taken: frozenset[int] = frozenset(),
    eligible: Callable[[str], bool] | None = None,
) -> list[int]:
    """Positions of the best sentences that fit ``max_length`` characters (at most ``limit`` when given),
    of those ``eligible`` accepts when given.

    Every one stands on its own: a sentence that leans on the one before is taken only when that one
    is taken too (or in ``taken``), one that calls a person by family name ("이 후보는", "Murray
    said") only with one that names them; the article's first sentence leans only on the headline,
    which the post shows.
    Boilerplate ("did not respond to a request for comment") is passed over.
    """
    sentences = dict(ranked)
    named_in_full = _named_in_full(sentences)
    chosen: list[int] = []
    length = -1
    for index, sentence in ranked:
        if index in taken:
            continue
        if limit and len(chosen) >= limit:
            break
        added = len(sentence) + 1
        if length + added > max_length:
            continue  # first: most sentences do not fit, and the checks below only pass sentences over
        if _SAYS_NOTHING.search(sentence) or eligible is not None and not eligible(sentence):
            continue
        if index and leans_on_previous(sentence) and index - 1 not in chosen and index - 1 not in taken:
            continue
        def shown(index: int = index) -> list[str]:
            return [sentences[i] for i in (*chosen, *taken) if i < index and i in sentences]

        if index and not _named_before(sentence, index, named_in_full, shown):
            continue
        chosen.append(index)
        length += added
    return sorted(chosen)


SUMMARY_REACH = 3
"""How many sentences after the lead a summary may add: a sentence from further down, picked for
fitting the room, read as a non sequitur ("A partir de ahí, el viento hizo el resto.")."""


def pick_summary(ranked: list[tuple[int, str]], max_length: int) -> tuple[list[int], str]:
    """The summary's positions and text: the lead (the first candidate sentence) and the best of the next
    :data:`SUMMARY_REACH` that fit beside it; a lead longer than ``max_length`` alone, cut at a clause
    (:func:`cut_at_clause`).

    News puts the essentials in the lead; skipping a long one left summaries of the fourth sentence.
    Measured against the pages' own descriptions (word F1, bench/summaries.py): the demo's 26 pages
    0.384 before the lead came first, 0.512 with it, 0.517 adding only sentences near it.
    """
    sentences = dict(ranked)
    lead = sentences.get(0)
    if lead is None:
        return [], ""
    if len(lead) > max_length:
        return [0], cut_at_clause(lead, max_length)
    near = [(index, sentence) for index, sentence in ranked if 0 < index <= SUMMARY_REACH]  # best first
    chosen = pick_sentences([(0, lead), *near], max_length)
    return chosen, join_sentences([sentences[index] for index in chosen])


def summarize(body_text: str, max_length: int = 150, language: str = "") -> str:
    """At most ``max_length`` characters: the lead and whole sentences near it (:func:`pick_summary`)."""
    ranked = ranked_sentences(body_text, language)
    if not ranked:
        fallback = plain_text(body_text)
        return shorten(fallback, max_length) if fallback else ""
    chosen, summary = pick_summary(ranked, max_length)
    return summary if chosen else shorten(ranked[0][1], max_length)


# Where a long lead may be cut: before a comma, semicolon, colon or dash that a space follows, or after
# a Korean connective ending (했으며, 했지만, 하면서, 했는데).
_CLAUSE_BREAK = re.compile(r"(?P<ending>(?<=[가-힣])(?:며|지만|면서|는데))(?=\s)|[,;:](?=\s)|\s[—–-](?=\s)")


def cut_at_clause(text: str, max_length: int) -> str:
    """``text`` cut after its last whole clause that fits, with an ellipsis; at a word (:func:`shorten`)
    when no clause of at least a third of ``max_length`` fits, not after a word that needs the next
    ("after…", "and then…"). Never inside a quotation or brackets."""
    if len(text) <= max_length:
        return text
    best = ""
    for match in _CLAUSE_BREAK.finditer(text, 0, max_length):
        cut = text[: match.end("ending") if match.group("ending") else match.start()].rstrip()
        if len(cut) + len(ELLIPSIS) > max_length:
            break
        if len(cut) >= max_length // 3 and _open_quotation(cut) is None and cut.count("(") == cut.count(")"):
            best = cut
    if best:
        return best + ELLIPSIS
    short = shorten(text, max_length)
    if not short.endswith(ELLIPSIS):
        return short  # a quotation closed after the ellipsis: left as it is
    trimmed = _DANGLING_WORDS.sub("", short.removesuffix(ELLIPSIS))
    return (trimmed if len(trimmed) >= max_length // 3 else short.removesuffix(ELLIPSIS)) + ELLIPSIS


# Words that announce what follows them: a cut after one leaves it hanging.
_DANGLING_WORDS = re.compile(
    r"(?:\s+(?:and|or|but|then|after|before|while|when|as|than|that|which|who|the|a|an|of|to|in|on|at|by|for|from|with|"
    r"without|about|into|over|under|against|between|through|during|toward|towards|via|if|because|whether|until|not|"
    r"is|was|are|were|has|have|had|will|would|"
    r"its|his|her|their|y|o|e|que|el|la|los|las|de|del|en|und|oder|der|die|das|den|dem|von|zu|im|et|ou|le|les|du|des|au))+$"
)


def shorten(text: str, max_length: int) -> str:
    """``text`` cut at a word boundary with an ellipsis so the result fits ``max_length``.

    Not inside a quotation: the cut goes before a quotation it would leave open, unless that leaves
    less than a third of the room; then the quotation is closed after the ellipsis (``“We will…”``).
    """
    if len(text) <= max_length:
        return text
    cut = _cut_at_word(text, max_length - len(ELLIPSIS))
    opened = _open_quotation(cut)
    if opened is None:
        return cut + ELLIPSIS
    before = cut[:opened].rstrip(" ,;:·-")
    if len(before) >= max_length // 3:
        return before + ELLIPSIS
    closer = _QUOTE_CLOSERS[cut[opened]]
    return _cut_at_word(text, max_length - len(ELLIPSIS) - len(closer)) + ELLIPSIS + closer


def _cut_at_word(text: str, length: int) -> str:
    cut = text[:length]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:·-")


def _open_quotation(text: str) -> int | None:
    """Where a quotation opens in ``text`` that does not close in it; None when every one closes."""
    position = 0
    while True:
        opener = next((index for index in range(position, len(text)) if text[index] in _QUOTE_CLOSERS), None)
        if opener is None:
            return None
        closer = text.find(_QUOTE_CLOSERS[text[opener]], opener + 1)
        if closer < 0:
            return opener
        position = closer + 1


def whole_sentences(text: str, max_length: int, language: str = "") -> str:
    """The first sentences of ``text`` that fit ``max_length`` together; else the first one shortened."""
    if len(text) <= max_length:
        return text
    kept: list[str] = []
    for sentence in split_sentences(text, language):
        if len(join_sentences([*kept, sentence])) > max_length:
            break
        kept.append(sentence)
    return join_sentences(kept) if kept else shorten(text, max_length)


def join_sentences(sentences: list[str]) -> str:
    """``sentences`` as one text: a space between two, none after 。！？ (Japanese and Chinese put none)."""
    return "".join(
        sentence if not position or sentences[position - 1].endswith(tuple(_CJK_FINAL)) else " " + sentence
        for position, sentence in enumerate(sentences)
    )
