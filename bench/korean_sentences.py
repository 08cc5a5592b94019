"""Korean sentences and summaries: newsbot's rules next to kiwipiepy, the tokenizer they replaced.

    pip install kiwipiepy        # the reference only; newsbot does not need it
    python bench/korean_sentences.py [--data ../shared/data] [--show]

Texts: every Korean news page we have (the Korean pages of tests/fixtures/pages: Hankook Ilbo,
Maeil Business, Dong-A Ilbo; the Daum News page of ../shared/data/korean-portal), as
``article_paragraphs`` gives them to the summarizer; and the descriptions of the Korean blog feeds
in ../shared/data/korean-legacy-feeds (2004-2010, informal, hard-wrapped, often cut off with "..").

Prints, per set and splitter: sentence boundaries found by kiwipiepy (as newsbot used it, with its
quote repair) and by the splitter, precision / recall / F1 of the splitter's boundaries against
kiwipiepy's, and the share of kiwipiepy's sentences reproduced exactly. ``--show`` lists every
disagreement, for a person to judge who is right. Then each news page's summary both ways, and the
peak memory and time of a fresh process that splits and summarizes all texts each way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree, html
from shared_data import DEFAULT, data_folder

from newsbot import summarize
from newsbot.extract import korean
from newsbot.summarize import article_paragraphs

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
DAUM_URL = "https://v.daum.net/v/20240513125214547"  # korean-portal/SOURCE.txt
_KIWI_CONTENT_TAGS = ("NNG", "NNP", "NNB", "VV", "VA", "SL", "SN", "XR")
_DANGLING_TAIL = re.compile(r"^(.*[.!?。！？][\"'”’)\]]*)\s+([^.!?。！？]+)$")

Splitter = Callable[[str], list[str]]


def news_pages(data: Path) -> list[tuple[str, str, str]]:
    """(name, article text, the page's own description) of every Korean news page: the test fixtures
    and the Daum page."""
    from newsbot import (
        extract_article,  # here: the measuring processes need only the summarizer
    )
    entries = [(entry["file"], entry["url"]) for entry in json.loads((PAGES / "manifest.json").read_text("utf-8"))]
    sources = [(PAGES / name, url) for name, url in entries]
    sources.append((data / "korean-portal" / "daum-news-1.html.gz", DAUM_URL))
    texts = []
    for path, url in sources:
        article = extract_article(gzip.decompress(path.read_bytes()), url)
        text = article_paragraphs(article.body_html)
        if korean.is_korean_text(text, article.language):
            texts.append((path.name.removesuffix(".html.gz"), text, article.description))
    return texts


def blog_texts(data: Path) -> list[tuple[str, str]]:
    """(feed, description) of every Korean item of the legacy blog feeds, tags and line breaks removed."""
    texts = []
    for path in sorted((data / "korean-legacy-feeds" / "utf8_converted").glob("*.xml")):
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(recover=True, encoding="utf-8"))
        if root is None:
            continue
        for description in root.iter("description"):
            markup = (description.text or "").strip()
            if not markup:
                continue
            text = " ".join(html.fromstring(f"<div>{markup}</div>").text_content().split())
            if korean.is_korean(text) and len(text) > 40:
                texts.append((path.stem, text))
    return texts


def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi(load_typo_dict=False, load_multi_dict=False)  # as newsbot loaded it


def kiwi_splitter(kiwi) -> Splitter:
    """kiwipiepy's sentences as newsbot took them: with the repair of an opening quote read as closing."""

    def split(paragraph: str) -> list[str]:
        repaired: list[str] = []
        carry = ""
        for sentence in kiwi.split_into_sents(paragraph):
            piece = f"{carry} {sentence.text.strip()}".strip() if carry else sentence.text.strip()
            carry = ""
            match = _DANGLING_TAIL.match(piece)
            if match and len(match.group(2)) < 40:
                piece, carry = match.group(1), match.group(2)
            repaired.append(piece)
        if carry:
            repaired.append(carry)
        return [piece for piece in repaired if piece]

    return split


def splitters() -> dict[str, Splitter]:
    """The candidates that can run here: newsbot's rules, sentencex if installed, the non-Korean rule."""
    candidates: dict[str, Splitter] = {"newsbot rules": summarize._split_korean}
    try:
        import sentencex
    except ImportError:
        print("(sentencex not installed: skipped)")
    else:
        candidates["sentencex"] = lambda paragraph: [piece.strip() for piece in sentencex.segment("ko", paragraph)]
    candidates["western rule"] = summarize._split_western
    return candidates


def boundaries(sentences: list[str]) -> set[int]:
    """Where sentences end, counted in non-space characters (so stripping does not matter)."""
    ends, count = set(), 0
    for sentence in sentences[:-1]:
        count += len("".join(sentence.split()))
        ends.add(count)
    return ends


def compare(name: str, paragraphs: list[str], reference: Splitter, candidate: Splitter, show: bool) -> None:
    found = expected = agreed = same = total = 0
    for paragraph in paragraphs:
        truth, guess = reference(paragraph), candidate(paragraph)
        truth_ends, guess_ends = boundaries(truth), boundaries(guess)
        found, expected, agreed = found + len(guess_ends), expected + len(truth_ends), agreed + len(truth_ends & guess_ends)
        normalized = {" ".join(sentence.split()) for sentence in guess}
        same += sum(" ".join(sentence.split()) in normalized for sentence in truth)
        total += len(truth)
        if show and truth_ends != guess_ends:
            print(f"  -- kiwipiepy: {truth}\n     {name}: {guess}")
    precision = agreed / found if found else 1.0
    recall = agreed / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"  {name:<14} boundaries {found:>4} (kiwipiepy {expected}), agree {agreed}: P {precision:.3f} R {recall:.3f} "
          f"F1 {f1:.3f}; kiwipiepy's sentences reproduced {same}/{total} ({same / total:.1%})")


def rank_agreement(texts: list[str], kiwi) -> None:
    """How close TextRank's order of the sentences comes to the order by kiwipiepy's content morphemes."""
    def morphemes(sentence: str, is_korean: bool) -> set[str]:
        return {token.form for token in kiwi.tokenize(sentence) if token.tag in _KIWI_CONTENT_TAGS}

    def pairs(sentence: str, is_korean: bool) -> set[str]:
        return {word[i : i + 2] for word in summarize._WORD.findall(sentence) for i in range(len(word) - 1)}

    def whole(sentence: str, is_korean: bool) -> set[str]:
        return set(summarize._WORD.findall(sentence))

    candidates = {"first two syllables (newsbot)": summarize._words, "syllable pairs": pairs, "whole words": whole}
    sentence_lists = [summarize.candidate_sentences(text, "ko")[: summarize.MAX_CANDIDATES] for text in texts]
    sentence_lists = [sentences for sentences in sentence_lists if len(sentences) >= 4]
    for name, tokens in candidates.items():
        correlation = top = 0.0
        for sentences in sentence_lists:
            reference = summarize._textrank([morphemes(sentence, True) for sentence in sentences])
            scores = summarize._textrank([tokens(sentence, True) for sentence in sentences])
            correlation += _spearman(reference, scores)
            best = set(sorted(range(len(scores)), key=scores.__getitem__)[-3:])
            top += len(best & set(sorted(range(len(reference)), key=reference.__getitem__)[-3:])) / 3
        print(f"  {name:<30} Spearman {correlation / len(sentence_lists):.3f}, "
              f"top 3 shared {top / len(sentence_lists):.1%} ({len(sentence_lists)} texts of 4+ sentences)")


def _spearman(first: list[float], second: list[float]) -> float:
    def ranks(values: list[float]) -> list[int]:
        order = sorted(range(len(values)), key=values.__getitem__)
        result = [0] * len(values)
        for position, index in enumerate(order):
            result[index] = position
        return result

    a, b = ranks(first), ranks(second)
    mean = (len(a) - 1) / 2
    covariance = sum((x - mean) * (y - mean) for x, y in zip(a, b))
    variance = sum((x - mean) ** 2 for x in a)
    return covariance / variance if variance else 1.0


def old_summary(text: str, kiwi, split: Splitter) -> str:
    """The summary as newsbot made it with kiwipiepy: its sentences and its content morphemes."""
    split_korean, words = summarize._split_korean, summarize._words
    summarize._split_korean = split
    summarize._words = lambda sentence, is_korean: (
        {token.form for token in kiwi.tokenize(sentence) if token.tag in _KIWI_CONTENT_TAGS} if is_korean else words(sentence, is_korean)
    )
    try:
        return summarize.summarize(text, 150, "ko")
    finally:
        summarize._split_korean, summarize._words = split_korean, words


def _peak_kib() -> int:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not carried over from the parent by exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def measure(texts_file: Path, way: str) -> None:
    """In this fresh process: split and summarize every text one way; print peak RSS and seconds."""
    texts = json.loads(texts_file.read_text("utf-8"))
    before = _peak_kib()
    started = time.perf_counter()
    if way == "kiwipiepy":
        kiwi = _kiwi()
        split = kiwi_splitter(kiwi)
        for text in texts:
            old_summary(text, kiwi, split)
    else:
        for text in texts:
            summarize.summarize(text, 150, "ko")
    seconds = time.perf_counter() - started
    peak = _peak_kib()
    print(json.dumps({"before_mib": before / 1024, "peak_mib": peak / 1024, "seconds": seconds, "texts": len(texts)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=data_folder, default=str(DEFAULT))
    parser.add_argument("--show", action="store_true", help="print every paragraph where a splitter disagrees")
    parser.add_argument("--measure", choices=("kiwipiepy", "newsbot"), help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.texts, options.measure)
        return
    try:
        kiwi = _kiwi()
    except ImportError:
        sys.exit("kiwipiepy is the reference: pip install kiwipiepy")
    reference = kiwi_splitter(kiwi)
    news, blogs = news_pages(options.data), blog_texts(options.data)
    sets = {
        f"news ({len(news)} pages)": [p for _, text, _ in news for p in text.split("\n") if korean.HANGUL.search(p)],
        f"blogs ({len(blogs)} feed items)": [text for _, text in blogs],
    }
    for set_name, paragraphs in sets.items():
        print(f"{set_name}, {len(paragraphs)} paragraphs:")
        for name, candidate in splitters().items():
            compare(name, paragraphs, reference, candidate, options.show and name == "newsbot rules")
    texts = [text for _, text, _ in news] + [text for _, text in blogs]
    print("\nTextRank's order of the sentences (newsbot's), word tokens against kiwipiepy's content morphemes:")
    rank_agreement(texts, kiwi)
    print("\nsummaries, 150 characters (kiwipiepy's sentences and morphemes | newsbot's rules and tokens):")
    for name, text, description in news:
        old, new = old_summary(text, kiwi, reference), summarize.summarize(text, 150, "ko")
        print(f"- {name}\n    kiwipiepy: {old}\n    newsbot:   {new}" if old != new else f"- {name} (identical)\n    {new}")
        print(f"    page's own description: {description[:150]}")
    identical = sum(old_summary(text, kiwi, reference) == summarize.summarize(text, 150, "ko") for text in texts)
    print(f"identical summaries: {identical}/{len(texts)} texts (news and blogs)")
    print("\nmemory and time (measured under load), one fresh process each, all texts split and summarized:")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as texts_file:
        json.dump(texts, texts_file)
        texts_file.flush()
        results = {}
        for way in ("kiwipiepy", "newsbot"):
            command = [sys.executable, __file__, "--measure", way, "--texts", texts_file.name]
            results[way] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    for way, result in results.items():
        print(f"  {way:<10} peak RSS {result['peak_mib']:.0f} MiB (after imports {result['before_mib']:.0f}), "
              f"{result['seconds']:.2f} s for {result['texts']} texts")


if __name__ == "__main__":
    main()
