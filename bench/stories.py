"""Story grouping benchmark: `newsbot stories` against a plain TF-IDF single-link grouping.

    python bench/stories.py [--data ../shared/data]

Scores pairwise precision and recall (a pair of articles is right when both groupings put it in
one story) on stories/dev_en.jsonl, run through `newsbot stories` as a user would, on the whole
file and on its tune and check halves (split by ECB+ topic and by BASIL event, so no story is
in both), per corpus. BASIL is also scored with its dates removed, the hard case for the time
window, and with every date set to one day (a crawl sees all of a day's stories in one window),
counting the posts that mix two stories; and, with its own dates, with a story's articles all
dated its first article's day, and in one day, in shuffled orders as a crawl meets them (the
file lists each story's articles together, the easy order).
ECB+ is also scored with the threshold chosen by leave-one-topic-out cross-validation: each topic is scored at the threshold that does best on the
other 20 (by F0.5, and by recall with precision >= 0.95), an honest figure where one tune half
is not. The baseline is TF-IDF cosine over lower-cased words (IDF from the whole file),
single link: its threshold is the lowest that keeps precision >= 0.95 on the tune half.
Then the time to group 1,000 articles, the grouper's memory over a 10,000-article stream, and
what one open story costs (every article of the file its own story).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

from shared_data import DEFAULT, data_folder

from newsbot.stories import Grouper, GrouperConfig, group

_WORD = re.compile(r"\w+")


def load(data: str) -> list[dict]:
    with open(os.path.join(data, "stories", "dev_en.jsonl"), encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def corpus(row: dict) -> str:
    return "BASIL" if row["dataset"] == "BASIL" else "ECB+"


def half(row: dict) -> str:
    """tune or check: ECB+ by topic number, BASIL by event id, so every story is in one half."""
    if row["dataset"] == "BASIL":
        return "tune" if int(row["cluster"].split("_")[1][:8], 16) % 2 == 0 else "check"
    return "tune" if int(row["id"].split("_")[1]) % 4 == 1 else "check"


def true_pairs(labels: list[str]) -> set[tuple[int, int]]:
    members = defaultdict(list)
    for index, label in enumerate(labels):
        members[label].append(index)
    return {pair for group_ in members.values() for pair in itertools.combinations(group_, 2)}


def scores(rows: list[dict], predicted: dict[str, str], subset: list[int]) -> tuple[float, float]:
    truth = true_pairs([rows[i]["cluster"] for i in subset])
    guess = true_pairs([predicted[rows[i]["id"]] for i in subset])
    hits = len(truth & guess)
    return (hits / len(guess) if guess else 1.0), (hits / len(truth) if truth else 1.0)


def run_cli(
    rows: list[dict], dated: bool = True, published: str | None = None, settings: tuple[str, ...] = ()
) -> dict[str, str]:
    """Story of each article id, from `newsbot stories -s NAME=VALUE...` in a subprocess (every date ``published`` if given)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as stream:
        for row in rows:
            line = {
                "id": row["id"], "title": row["title"], "text": row["text"], "language": row["lang"],
                "published": published if published is not None else ((row["date"] or "") if dated else ""),
                "source": row["source"] or "",
            }
            stream.write(json.dumps(line, ensure_ascii=False) + "\n")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "newsbot.cli", "stories", stream.name,
             *itertools.chain.from_iterable(("-s", setting) for setting in settings)],
            capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(stream.name)
    return {entry["id"]: entry["story"] for entry in map(json.loads, result.stdout.splitlines())}


CV_THRESHOLDS = (0.28, 0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.44)
"""The values of NEWSBOT_STORY_THRESHOLD the cross-validation chooses from."""


def posts_and_mixed(predicted: dict[str, str], rows: list[dict]) -> tuple[int, int]:
    """Stories (posts) among ``rows`` and how many of them mix two true stories."""
    posts = defaultdict(set)
    for row in rows:
        posts[predicted[row["id"]]].add(row["cluster"])
    return len(posts), sum(1 for clusters in posts.values() if len(clusters) > 1)


SHUFFLES = 5
"""Arrival orders tried: the file lists each story's articles together, a crawl meets them in any order."""


def shuffles(rows: list[dict]) -> list[list[dict]]:
    """``rows`` in :data:`SHUFFLES` fixed random orders."""
    orders = []
    for seed in range(SHUFFLES):
        order = list(rows)
        random.Random(seed).shuffle(order)
        orders.append(order)
    return orders


def story_days(rows: list[dict]) -> list[dict]:
    """``rows`` with every article of a story dated its first article's day (outlets often publish a
    day apart; a crawl of one story's reports dated the same day is the case the issue checks)."""
    first: dict[str, str] = {}
    for row in rows:
        first.setdefault(row["cluster"], row["date"])
    return [{**row, "date": first[row["cluster"]]} for row in rows]


def topic(row: dict) -> str:
    return row["id"].split("_")[1]


def topic_counts(rows: list[dict], predicted: dict[str, str], subset: list[int]) -> dict[str, Counter]:
    """Per ECB+ topic, right, wrong and missed pairs, each pair counted under its first article's topic."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for a, b in itertools.combinations(subset, 2):
        same, joined = rows[a]["cluster"] == rows[b]["cluster"], predicted[rows[a]["id"]] == predicted[rows[b]["id"]]
        if same or joined:
            counts[topic(rows[a])]["right" if same and joined else "wrong" if joined else "missed"] += 1
    return counts


def precision_recall(counts: list[Counter]) -> tuple[float, float]:
    right, wrong, missed = (sum(count[key] for count in counts) for key in ("right", "wrong", "missed"))
    return (right / (right + wrong) if right + wrong else 1.0), (right / (right + missed) if right + missed else 1.0)


def f_half(precision: float, recall: float) -> float:
    return 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0


def at_least_95(precision: float, recall: float) -> float:
    return recall if precision >= 0.95 else precision - 1.0


def leave_topic_out(by_threshold: dict[float, dict[str, Counter]], objective) -> tuple[float, float, Counter]:
    """Precision and recall over ECB+ topics, each at the threshold best on the others by ``objective``."""
    topics = sorted({name for counts in by_threshold.values() for name in counts}, key=int)
    held_out, chosen = [], Counter()
    for name in topics:
        threshold = max(by_threshold, key=lambda value: objective(
            *precision_recall([by_threshold[value][other] for other in topics if other != name])))
        held_out.append(by_threshold[threshold][name])
        chosen[threshold] += 1
    return (*precision_recall(held_out), chosen)


def baseline_similarities(rows: list[dict]) -> dict[tuple[int, int], float]:
    """Cosine of every pair of plain TF-IDF vectors (lower-cased words, IDF over the file)."""
    counts = [Counter(_WORD.findall(f"{row['title']} {row['text']}".lower())) for row in rows]
    frequency = Counter(word for count in counts for word in count)
    vectors = []
    for count in counts:
        vector = {word: n * math.log(len(rows) / frequency[word]) for word, n in count.items()}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        vectors.append({word: value / norm for word, value in vector.items()})
    similar = {}
    for a, b in itertools.combinations(range(len(rows)), 2):
        small, large = sorted((vectors[a], vectors[b]), key=len)
        similar[a, b] = sum(value * large.get(word, 0.0) for word, value in small.items())
    return similar


def single_link(size: int, similar: dict[tuple[int, int], float], threshold: float) -> list[int]:
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for (a, b), value in similar.items():
        if value >= threshold:
            parent[root(a)] = root(b)
    return [root(node) for node in range(size)]


def baseline(rows: list[dict], similar: dict, subsets: dict[str, list[int]]) -> tuple[float, dict[str, str]]:
    """The lowest threshold keeping tune-half precision >= 0.95, and the grouping it gives."""
    chosen = 1.0
    for step in range(100, 0, -1):
        threshold = step / 100
        labels = single_link(len(rows), similar, threshold)
        predicted = {row["id"]: str(label) for row, label in zip(rows, labels)}
        tune = [i for name, subset in subsets.items() if name.endswith("tune") for i in subset]
        if scores(rows, predicted, tune)[0] < 0.95:
            break
        chosen = threshold
    labels = single_link(len(rows), similar, chosen)
    return chosen, {row["id"]: str(label) for row, label in zip(rows, labels)}


def stream_articles(rows: list[dict], count: int) -> list[tuple[str, str, str, datetime, str]]:
    """``count`` articles cycled from the file, one new article a minute, each pass a new id."""
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return [
        (f"{n}-{rows[n % len(rows)]['id']}", rows[n % len(rows)]["title"], rows[n % len(rows)]["text"],
         start + timedelta(minutes=n), "en")
        for n in range(count)
    ]


def timing(rows: list[dict]) -> tuple[float, float]:
    """Wall and CPU seconds to group 1,000 articles (CPU is what a loaded machine cannot blur)."""
    articles = stream_articles(rows, 1000)
    wall, cpu = time.perf_counter(), time.process_time()
    group(articles)
    return time.perf_counter() - wall, time.process_time() - cpu


def memory(rows: list[dict], total: int = 10_000) -> list[tuple[int, float]]:
    """Traced memory (MiB) of a grouper after every 2,000 of ``total`` articles, closing stories as a crawl does."""
    grouper = Grouper(GrouperConfig())
    figures = []
    tracemalloc.start()
    for n, article in enumerate(stream_articles(rows, total), 1):
        grouper.add(*article)
        grouper.close_before(article[3])
        if n % 2000 == 0:
            figures.append((n, tracemalloc.get_traced_memory()[0] / 2**20))
    tracemalloc.stop()
    return figures


def open_story_memory(rows: list[dict]) -> tuple[int, float]:
    """Open stories and traced KiB per story when every article of the file starts its own story.

    The stream above mostly joins stories it has already opened; this is what a story costs.
    """
    grouper = Grouper(GrouperConfig(threshold=2.0))  # no cosine reaches 2: one story per article
    tracemalloc.start()
    for row in rows:
        grouper.add(row["id"], row["title"], row["text"], None, row["lang"])
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return len(grouper.stories), traced / len(grouper.stories) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=data_folder, default=str(DEFAULT))
    options = parser.parse_args()
    rows = load(options.data)
    subsets: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        for name in (f"{corpus(row)} {half(row)}", f"{corpus(row)} all", "all all"):
            subsets[name].append(index)
    ours = run_cli(rows)
    basil_rows = [row for row in rows if corpus(row) == "BASIL"]
    undated = run_cli(basil_rows, dated=False)
    one_day = run_cli(basil_rows, published="2019-02-15T12:00:00Z")
    threshold, theirs = baseline(rows, baseline_similarities(rows), subsets)
    print(f"pairwise precision / recall; baseline threshold {threshold:.2f} (precision >= 0.95 on the tune half)")
    print(f"{'set':<22} {'articles':>8} {'newsbot P':>10} {'R':>6} {'baseline P':>11} {'R':>6}")
    for name in sorted(subsets):
        subset = subsets[name]
        (p, r), (bp, br) = scores(rows, ours, subset), scores(rows, theirs, subset)
        print(f"{name:<22} {len(subset):>8} {p:>10.3f} {r:>6.3f} {bp:>11.3f} {br:>6.3f}")
    basil = [i for i in subsets["BASIL all"]]
    p, r = scores(rows, {**ours, **undated}, basil)
    print(f"{'BASIL without dates':<22} {len(basil):>8} {p:>10.3f} {r:>6.3f}")
    p, r = scores(rows, {**ours, **one_day}, basil)
    posts, mixed = posts_and_mixed(one_day, basil_rows)
    print(f"{'BASIL in one day':<22} {len(basil):>8} {p:>10.3f} {r:>6.3f}   {posts} posts, {mixed} mix two stories (file order)")
    for label, dated_rows, published in (
        ("own dates", basil_rows, None), ("a day a story", story_days(basil_rows), None),
        ("one day", basil_rows, "2019-02-15T12:00:00Z"),
    ):
        counts = [posts_and_mixed(run_cli(shuffled, published=published), shuffled) for shuffled in shuffles(dated_rows)]
        print(f"{'BASIL shuffled, ' + label:<22} {len(basil):>8}   over {len(counts)} orders: "
              f"{min(n for n, _ in counts)}-{max(n for n, _ in counts)} posts (mean {sum(n for n, _ in counts) / len(counts):.1f}), "
              f"mixing two stories {sum(m for _, m in counts) / len(counts):.1f} a run (at most {max(m for _, m in counts)})")
    ecb = subsets["ECB+ all"]
    by_threshold = {
        value: topic_counts(rows, run_cli(rows, settings=(f"NEWSBOT_STORY_THRESHOLD={value}",)), ecb)
        for value in CV_THRESHOLDS
    }
    for label, objective in (("F0.5", f_half), ("R at P >= 0.95", at_least_95)):
        p, r, chosen = leave_topic_out(by_threshold, objective)
        picks = ", ".join(f"{value:.2f} x{count}" for value, count in sorted(chosen.items()))
        print(f"{'ECB+ topic-out CV':<22} {len(ecb):>8} {p:>10.3f} {r:>6.3f}   threshold by {label}: {picks}")
    wall, cpu = timing(rows)
    print(f"grouping 1,000 articles: {wall:.2f} s wall, {cpu:.2f} s CPU (in one process)")
    for n, mib in memory(rows):
        print(f"grouper memory after {n:>6,} articles: {mib:.1f} MiB")
    stories, kib = open_story_memory(rows)
    limit = GrouperConfig.max_open_stories
    print(f"{stories} open stories, one per article: {kib:.1f} KiB a story ({limit:,} open: {kib * limit / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
