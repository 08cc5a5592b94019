"""Extraction benchmark: newsbot.extract_article against trafilatura alone, in one run.

    python bench/extraction.py [--data ../shared/data]

Prints, for newsbot and for trafilatura alone side by side: body F1/precision/recall
on zyte-benchmark-dev with the benchmark's own scoring (4-word shingles of \\w+
tokens, per-page normalised, averaged); title exact-match, date-day accuracy and
body F1 on the Fundus pages and title/date on goose3's cases that have them;
must-appear / must-not-appear snippet rates on trafilatura-eval (trafilatura's
own micro-averaged scoring); milliseconds per page for each.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import re
import time
from collections import Counter

import dateparser
import trafilatura
from shared_data import DEFAULT, data_folder

from newsbot import extract_article

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter:
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))


def page_scores(truth: str, prediction: str) -> tuple[float, float]:
    """Precision and recall of one page (the benchmark's per-page normalised counts)."""
    expected, predicted = shingles(truth), shingles(prediction)
    tp = sum((expected & predicted).values())
    fp = sum(predicted.values()) - tp
    fn = sum(expected.values()) - tp
    total = tp + fp + fn or 1
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def f1(precisions: list[float], recalls: list[float]) -> tuple[float, float, float]:
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0, precision, recall


def run_zyte(data: str) -> None:
    truth = json.load(open(os.path.join(data, "zyte-benchmark-dev", "ground-truth.json"), encoding="utf-8"))
    results = {"newsbot": ([], [], 0.0), "trafilatura": ([], [], 0.0)}
    for key, entry in sorted(truth.items()):
        html = gzip.open(os.path.join(data, "zyte-benchmark-dev", "html_gz", f"{key}.html.gz")).read()
        for name in results:
            started = time.perf_counter()
            if name == "newsbot":
                text = extract_article(html, entry["url"]).body_text
            else:
                text = trafilatura.extract(html, url=entry["url"]) or ""
            elapsed = time.perf_counter() - started
            precision, recall = page_scores(entry["articleBody"], text)
            precisions, recalls, seconds = results[name]
            precisions.append(precision)
            recalls.append(recall)
            results[name] = (precisions, recalls, seconds + elapsed)
    print(f"zyte-benchmark-dev ({len(truth)} pages)")
    for name, (precisions, recalls, seconds) in results.items():
        score, precision, recall = f1(precisions, recalls)
        print(f"  {name:12s} F1 {score:.3f}  P {precision:.3f}  R {recall:.3f}  {1000 * seconds / len(truth):.0f} ms/page")


def _norm(text: str) -> str:
    return " ".join((text or "").replace("\u200b", "").replace("\xad", "").split())


def _day(value: str) -> str:
    """``YYYY-MM-DD`` of a ground-truth date, ISO or not ("Sun Nov 23 16:00:00 EDT 2014")."""
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    parsed = dateparser.parse(value)
    return parsed.date().isoformat() if parsed else value


class Tally:
    """Counts for one extractor on one data set."""

    def __init__(self) -> None:
        self.pages = self.titles = self.titled = self.dates = self.dated = 0
        self.precisions: list[float] = []
        self.recalls: list[float] = []
        self.seconds = 0.0

    def add(self, title: str, date: str, text: str, truth: dict, seconds: float) -> None:
        self.pages += 1
        self.seconds += seconds
        if truth.get("title"):
            self.titled += 1
            self.titles += _norm(title) == _norm(truth["title"])
        if truth.get("date"):
            self.dated += 1
            self.dates += (date or "")[:10] == _day(truth["date"])
        if truth.get("body") is not None:
            precision, recall = page_scores(truth["body"], text)
            self.precisions.append(precision)
            self.recalls.append(recall)

    def line(self, name: str) -> str:
        parts = [f"  {name:12s}"]
        if self.titled:
            parts.append(f"title exact {self.titles / self.titled:.3f} ({self.titles}/{self.titled})")
        if self.dated:
            parts.append(f"date day {self.dates / self.dated:.3f} ({self.dates}/{self.dated})")
        if self.precisions:
            score, precision, recall = f1(self.precisions, self.recalls)
            parts.append(f"body F1 {score:.3f} (P {precision:.3f} R {recall:.3f})")
        parts.append(f"{1000 * self.seconds / max(1, self.pages):.0f} ms/page")
        return "  ".join(parts)


def newsbot_fields(html: bytes, url: str) -> tuple[str, str, str]:
    article = extract_article(html, url)
    return article.title, article.published, article.body_text


def trafilatura_fields(html: bytes, url: str) -> tuple[str, str, str]:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, as_dict=False)
    if document is None:
        return "", "", ""
    return document.title or "", document.date or "", document.text or ""


EXTRACTORS = {"newsbot": newsbot_fields, "trafilatura": trafilatura_fields}


def _timed(extractor, html: bytes, url: str) -> tuple[tuple[str, str, str], float]:
    started = time.perf_counter()
    fields = extractor(html, url)
    return fields, time.perf_counter() - started


def run_fundus(data: str) -> None:
    tallies = {name: Tally() for name in EXTRACTORS}
    for folder in sorted(glob.glob(os.path.join(data, "fundus", "*", "meta.info"))):
        country = os.path.dirname(folder)
        meta = json.load(open(folder, encoding="utf-8"))
        for expected_file in sorted(glob.glob(os.path.join(country, "*.json"))):
            publisher = os.path.basename(expected_file)[:-5]
            versions = json.load(open(expected_file, encoding="utf-8"))
            pages = sorted(glob.glob(os.path.join(country, f"{publisher}_*.html.gz")))
            for page, version in zip(pages, versions):
                expected = versions[version]
                body = expected.get("body", {})
                truth = {
                    "title": expected.get("title") or "",
                    "date": expected.get("publishing_date") or "",
                    "body": " ".join(
                        [*body.get("summary", [])]
                        + [line for section in body.get("sections", []) for line in section.get("headline", []) + section.get("paragraphs", [])]
                    ),
                }
                html = gzip.open(page).read()
                for name, extractor in EXTRACTORS.items():
                    (title, date, text), seconds = _timed(extractor, html, meta[os.path.basename(page)]["url"])
                    tallies[name].add(title, date, text, truth, seconds)
    print(f"fundus ({tallies['newsbot'].pages} pages, all countries)")
    for name, tally in tallies.items():
        print(tally.line(name))


def run_goose3(data: str) -> None:
    """goose3's cases that state a title or a publication date (some are small hand-made pages)."""
    tallies = {name: Tally() for name in EXTRACTORS}
    for case in sorted(glob.glob(os.path.join(data, "goose3", "*", "*.json"))):
        entry = json.load(open(case, encoding="utf-8"))
        expected = entry.get("expected", {})
        truth = {"title": expected.get("title") or "", "date": expected.get("publish_date") or ""}
        page = case[:-5] + ".html"
        if not (truth["title"] or truth["date"]) or not os.path.exists(page):
            continue
        html = open(page, "rb").read()
        for name, extractor in EXTRACTORS.items():
            (title, date, _), seconds = _timed(extractor, html, entry.get("url") or "http://example.com/")
            tallies[name].add(title, date, "", truth, seconds)
    print(f"goose3 ({tallies['newsbot'].pages} cases with a title or a date)")
    for name, tally in tallies.items():
        print(tally.line(name))


def run_trafilatura_eval(data: str) -> None:
    """Snippets that must / must not appear in the main text, scored as trafilatura's own evaluation does."""
    corpus = os.path.join(data, "trafilatura-eval")
    entries = json.load(open(os.path.join(corpus, "evaldata.json"), encoding="utf-8"))
    counts = {name: Counter() for name in EXTRACTORS}
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    pages = 0
    for url, entry in entries.items():
        path = next(
            (candidate for folder in ("cache", "eval")
             if os.path.exists(candidate := os.path.join(corpus, "html_gz", folder, entry["file"] + ".gz"))),
            None,
        )
        if path is None:
            continue
        pages += 1
        html = gzip.open(path).read()
        for name, extractor in EXTRACTORS.items():
            (_, _, text), elapsed = _timed(extractor, html, url)
            seconds[name] += elapsed
            text = " ".join(text.split())
            for snippet in entry.get("with", []):
                counts[name]["tp" if " ".join(snippet.split()) in text else "fn"] += 1
            for snippet in entry.get("without", []):
                counts[name]["fp" if " ".join(snippet.split()) in text else "tn"] += 1
    print(f"trafilatura-eval ({pages} pages)")
    for name, count in counts.items():
        tp, fn, fp, tn = count["tp"], count["fn"], count["fp"], count["tn"]
        print(
            f"  {name:12s}must-appear found {tp / (tp + fn):.3f}  must-not-appear absent {tn / (tn + fp):.3f}  "
            f"P {tp / (tp + fp):.3f} R {tp / (tp + fn):.3f} F1 {2 * tp / (2 * tp + fp + fn):.3f}  "
            f"{1000 * seconds[name] / pages:.0f} ms/page"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=data_folder, default=str(DEFAULT))
    options = parser.parse_args()
    run_zyte(options.data)
    run_fundus(options.data)
    run_goose3(options.data)
    run_trafilatura_eval(options.data)


if __name__ == "__main__":
    main()
