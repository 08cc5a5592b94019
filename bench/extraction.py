"""Extraction benchmark: newsbot.extract_article against trafilatura alone, in one run.

    python bench/extraction.py [--data ../shared/data]

Prints body F1/precision/recall on zyte-benchmark-dev with the benchmark's own
scoring (4-word shingles of \\w+ tokens, per-page normalised, averaged), and
title exact-match, date-day accuracy and body F1 on the Fundus pages, plus
milliseconds per page.
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

import trafilatura

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


def run_fundus(data: str) -> None:
    titles = dates = total = dated = 0
    precisions: list[float] = []
    recalls: list[float] = []
    started = time.perf_counter()
    for folder in sorted(glob.glob(os.path.join(data, "fundus", "*", "meta.info"))):
        country = os.path.dirname(folder)
        meta = json.load(open(folder, encoding="utf-8"))
        for expected_file in sorted(glob.glob(os.path.join(country, "*.json"))):
            publisher = os.path.basename(expected_file)[:-5]
            versions = json.load(open(expected_file, encoding="utf-8"))
            pages = sorted(glob.glob(os.path.join(country, f"{publisher}_*.html.gz")))
            for page, version in zip(pages, versions):
                expected = versions[version]
                article = extract_article(gzip.open(page).read(), meta[os.path.basename(page)]["url"])
                total += 1
                titles += _norm(article.title) == _norm(expected.get("title"))
                if expected.get("publishing_date"):
                    dated += 1
                    dates += article.published[:10] == expected["publishing_date"][:10]
                body = expected.get("body", {})
                truth_text = " ".join(
                    [*body.get("summary", [])]
                    + [line for section in body.get("sections", []) for line in section.get("headline", []) + section.get("paragraphs", [])]
                )
                precision, recall = page_scores(truth_text, article.body_text)
                precisions.append(precision)
                recalls.append(recall)
    elapsed = time.perf_counter() - started
    score, precision, recall = f1(precisions, recalls)
    print(f"fundus ({total} pages)")
    print(f"  newsbot      title exact {titles / total:.3f}  date day {dates / dated:.3f}  body F1 {score:.3f} (P {precision:.3f} R {recall:.3f})  {1000 * elapsed / total:.0f} ms/page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    options = parser.parse_args()
    run_zyte(options.data)
    run_fundus(options.data)


if __name__ == "__main__":
    main()
