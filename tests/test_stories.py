"""The story grouper and `newsbot stories` on real same-story articles (ECB+ and BASIL, see SOURCES.md)."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsbot.stories import Grouper, GrouperConfig, parse_published
from newsbot.stories.features import extract_features

from conftest import FIXTURES, PROJECT_ROOT

SAMPLE = FIXTURES / "stories" / "dev_en-sample.jsonl.gz"


def sample() -> list[dict]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def pairwise(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    def pairs(labels: list[str]) -> set:
        members = defaultdict(list)
        for index, label in enumerate(labels):
            members[label].append(index)
        return {pair for group in members.values() for pair in itertools.combinations(group, 2)}

    expected, found = pairs(truth), pairs(predicted)
    hits = len(expected & found)
    return hits / len(found) if found else 1.0, hits / len(expected)


def write_input(path: Path, rows: list[dict], dated: bool = True, published: str | None = None) -> Path:
    """``rows`` as `newsbot stories` input: their own dates, none (``dated=False``) or all ``published``."""
    with path.open("w", encoding="utf-8") as stream:
        for row in rows:
            date = published if published is not None else (row["date"] or "" if dated else "")
            line = {"id": row["id"], "title": row["title"], "text": row["text"], "language": row["lang"],
                    "published": date, "source": row["source"] or ""}
            stream.write(json.dumps(line) + "\n")
    return path


def run_stories(*arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsbot.cli", "stories", *arguments],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, input=stdin, encoding="utf-8",
    )


def test_names_numbers_and_korean_bigrams_are_terms():
    terms = extract_features(
        "Klitschko stops Thompson", "In Bern, Wladimir Klitschko beat Tony Thompson in 2012 before 30,000 fans."
    ).terms
    assert {"@klitsch", "@thompso", "@wladimi", "#2012", "#30000"} <= set(terms)
    assert "fans" in terms and "@fans" not in terms
    korean = extract_features("北 김정은, 러시아 국방차관 접견", "김정은 국무위원장이 러시아 국방차관을 접견했다.").terms
    assert {"김정", "정은", "국방", "차관", "접견"} <= set(korean)


def test_outlet_styles_give_the_same_terms():
    """The New York Times writes "Mr. Lieberman" and "F.B.I."; Fox News "Joe Lieberman" and "FBI"."""
    times = extract_features("Lieberman Is a Finalist", "Trump met him on Wednesday. Mr. Lieberman led the F.B.I. list.").terms
    fox = extract_features("Lieberman emerges", "Trump said Joe Lieberman tops his list for FBI director.").terms
    assert "@lieberm" in times and "@lieberm" in fox
    assert "fbi" in times and "fbi" in fox
    assert not {"wednesd", "@wednesd"} & set(times)


def test_cli_groups_opposite_leaning_outlets_and_keeps_same_kind_events_apart(tmp_path):
    rows = sample()
    result = run_stories(str(write_input(tmp_path / "in.jsonl", rows)))
    assert result.returncode == 0, result.stderr
    output = [json.loads(line) for line in result.stdout.splitlines()]
    assert [entry["id"] for entry in output] == [row["id"] for row in rows]
    for name in ("BASIL", "ECB+"):
        chosen = [i for i, row in enumerate(rows) if row["dataset"] == name]
        precision, recall = pairwise([rows[i]["cluster"] for i in chosen], [output[i]["story"] for i in chosen])
        assert precision >= 0.95, (name, precision, recall)
        assert recall >= 0.5, (name, precision, recall)


def test_undated_articles_are_grouped_on_text_alone(tmp_path):
    rows = [row for row in sample() if row["dataset"] == "BASIL"]
    result = run_stories(str(write_input(tmp_path / "in.jsonl", rows, dated=False)))
    output = [json.loads(line)["story"] for line in result.stdout.splitlines()]
    precision, recall = pairwise([row["cluster"] for row in rows], output)
    assert precision >= 0.95 and recall >= 0.6, (precision, recall)


def test_no_post_mixes_two_stories_when_every_story_is_in_one_window(tmp_path):
    """A crawl sees all of a day's stories at once: publication time must not pull two of them together."""
    rows = [row for row in sample() if row["dataset"] == "BASIL"]
    result = run_stories(str(write_input(tmp_path / "in.jsonl", rows, published="2019-02-15T12:00:00Z")))
    assert result.returncode == 0, result.stderr
    stories: dict[str, set[str]] = defaultdict(set)
    for row, line in zip(rows, result.stdout.splitlines()):
        stories[json.loads(line)["story"]].add(row["cluster"])
    assert [clusters for clusters in stories.values() if len(clusters) > 1] == []
    assert len(stories) <= 1.5 * len({row["cluster"] for row in rows}), len(stories)


def test_the_window_keeps_a_story_from_taking_an_article_days_later():
    rows = sample()
    grouper = Grouper(GrouperConfig(window_hours=48))
    first = grouper.add("a", rows[0]["title"], rows[0]["text"], parse_published("2020-01-01T08:00:00+00:00"))
    assert grouper.add("b", rows[0]["title"], rows[0]["text"], parse_published("2020-01-02T20:00:00Z")) == first
    later = grouper.add("c", rows[0]["title"], rows[0]["text"], parse_published("2020-01-06"))
    assert later != first
    assert grouper.add("d", rows[0]["title"], rows[0]["text"], None) in (first, later)
    assert grouper.add("e", rows[0]["title"], rows[0]["text"], None, language="de") != first


def test_the_only_story_of_the_day_takes_a_report_with_less_text_in_common():
    """Two BASIL reports of one event (Arkansas's religious freedom bill): their text alone is below
    the threshold; the same day with no other story near, it is enough, and not when another story
    is open that day, nor without dates."""
    rows = {row["id"]: row for row in sample()}
    signs, son = (rows[f"basil_2742e9c1-2943-496f-8b23-faf5332e1612_{n}"] for n in (2, 3))
    christie = rows["basil_13792511-5142-449f-8d3e-d77d790f65ec_1"]
    morning = parse_published("2015-04-02T09:00:00+00:00")

    def stories(*articles: tuple[dict, datetime | None], config: GrouperConfig | None = None) -> list[str]:
        grouper = Grouper(config)
        return [grouper.add(row["id"], row["title"], row["text"], published) for row, published in articles]

    later = morning + timedelta(hours=3)
    assert len(set(stories((signs, morning), (son, later)))) == 1
    assert len(set(stories((christie, morning - timedelta(days=3)), (signs, morning), (son, later)))) == 2
    assert len(set(stories((signs, morning), (christie, morning + timedelta(hours=1)), (son, later)))) == 3
    assert len(set(stories((signs, None), (son, None)))) == 2
    assert len(set(stories((signs, morning), (son, later), config=GrouperConfig(lone_threshold=0.34)))) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json\n", "line 1: not JSON (Expecting property name enclosed in double quotes at column 2)"),
        ('{"id": "a", "title": "t\x01", "text": "x"}\n', "line 1: not JSON (Invalid control character at column 24)"),
        ('{"id": "a", "title": "t", "text": "x"}\n["a list"]\n', "line 2: expected an object with the keys id, title"),
        ('{"id": "a", "title": 3, "text": "x"}\n', "line 1: 'title' must be a string, not 3"),
        ('{"id": "a", "title": "t", "text": "x"}\n{"id": "b", "title": "t"}\n', "line 2: no 'text'; id, title and text are required"),
        ('{"id": "a", "text": "x"}\n', "line 1: no 'title'; id, title and text are required"),
        ('{"title": "t", "text": "x"}\n', "line 1: no 'id'; id, title and text are required"),
        ('{"id": 1.5, "title": "t", "text": "x"}\n', "line 1: 'id' must be a string or an integer, not 1.5"),
        ('{"id": "a", "title": "", "text": null}\n', "line 1: 'title' and 'text' are both empty"),
        ('{"id": "a", "title": "t", "text": "x", "published": 20200101}\n', "line 1: 'published' must be a string, not 20200101"),
        ('{"id": "a", "title": "t", "text": "x", "language": ["en"]}\n', "line 1: 'language' must be a string, not a list"),
        ('{"id": "a", "title": "t", "text": "x", "source": {"name": "AP"}}\n', "line 1: 'source' must be a string, not an object"),
        ('{"id": "a", "title": "t", "text": "x", "date": "2020-01-01"}\n', "line 1: unknown key 'date'; the keys are id, title, text, published, language, source"),
        ('{"id": "a", "title": "t", "text": "x"}\n\n{"id": "b", "title": "t", "text": "y"}\n{"id": "a", "title": "u", "text": "z"}\n',
         'line 4: id "a" is the id of line 1 too'),
        ('{"id": 7, "title": "t", "text": "x"}\n{"id": "7", "title": "u", "text": "z"}\n', 'line 2: id "7" is the id of line 1 too'),
    ],
)
def test_a_bad_file_exits_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = run_stories(str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_real_article_without_its_text_is_refused_by_line_not_grouped_on_its_title(tmp_path):
    rows = sample()[:4]
    path = write_input(tmp_path / "in.jsonl", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = json.dumps({key: value for key, value in json.loads(lines[2]).items() if key != "text"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_stories(str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"newsbot: {path} line 3: no 'text'; id, title and text are required\n"


def test_published_language_and_source_may_be_left_out_or_null(tmp_path):
    rows = sample()[:4]
    path = tmp_path / "in.jsonl"
    lines = [{"id": rows[0]["id"], "title": rows[0]["title"], "text": rows[0]["text"]}]
    lines += [{"id": row["id"], "title": row["title"], "text": row["text"], "published": None, "language": None,
               "source": None} for row in rows[1:]]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_stories(str(path))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [row["id"] for row in rows]


def test_a_dash_reads_the_articles_from_standard_input(tmp_path):
    rows = sample()[:6]
    path = write_input(tmp_path / "in.jsonl", rows)
    from_stdin = run_stories("-", stdin=path.read_text(encoding="utf-8"))
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == run_stories(str(path)).stdout
    assert [json.loads(line)["id"] for line in from_stdin.stdout.splitlines()] == [row["id"] for row in rows]
    bad = run_stories("-", stdin='{"id": "a", "title": "t"}\n')
    assert bad.returncode == 2 and bad.stderr == "newsbot: standard input line 1: no 'text'; id, title and text are required\n"


def test_a_missing_file_and_a_bad_setting_exit_2(tmp_path):
    missing = run_stories(str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and missing.stderr.startswith("newsbot: cannot read") and missing.stderr.count("\n") == 1
    path = write_input(tmp_path / "in.jsonl", sample()[:2])
    bad = run_stories(str(path), "-s", "NEWSBOT_STORY_THRESHOLD=2")
    assert bad.returncode == 2 and "NEWSBOT_STORY_THRESHOLD" in bad.stderr and bad.stderr.count("\n") == 1


def test_a_story_survives_its_json_and_is_found_through_its_heaviest_terms():
    from newsbot.stories.grouper import INDEXED_TERMS, Story

    grouper = Grouper()
    rows = [row for row in sample() if row["dataset"] == "BASIL"][:6]
    for row in rows:
        grouper.add(row["id"], row["title"], row["text"], parse_published(row["date"]), "en")
    story = next(iter(grouper.stories.values()))
    again = Story.from_dict(json.loads(json.dumps(story.to_dict())))
    assert list(again.terms) == list(story.terms) and len(story.terms) > INDEXED_TERMS
    assert dict(again.terms.items()) == pytest.approx(dict(story.terms.items()))
    indexed = [term for term, members in grouper._index.items() if story.id in members]
    assert sorted(indexed) == sorted(story.terms.heaviest(INDEXED_TERMS))
    # Taken back (as from another worker), the story takes its first article's text again.
    grouper.put(again)
    row = rows[0]
    assert grouper.add("again", row["title"], row["text"], parse_published(row["date"]), "en") == story.id


def test_the_sqlite_store_keeps_every_articles_term_counts_gathered_between_writes(tmp_path):
    from newsbot.stories.grouper import Story
    from newsbot.stories.store import TERM_COUNTS_EVERY, SqliteStoryStore, StoryRecord

    path = str(tmp_path / "state.sqlite3")
    store = SqliteStoryStore(path, 48)
    articles = TERM_COUNTS_EVERY + 3  # one write on the way, three articles left for close
    for number in range(articles):
        record = StoryRecord(Story(f"s{number}", {"common": 1.0}))
        store.save(record, [f"https://example.com/{number}"], ["common", f"only{number}"])
        if number == TERM_COUNTS_EVERY - 2:
            assert SqliteStoryStore(path, 48).frequencies(1000) == (0, {})  # gathered, not yet written
    assert SqliteStoryStore(path, 48).frequencies(1000)[0] == TERM_COUNTS_EVERY
    store.close()
    count, frequency = SqliteStoryStore(path, 48).frequencies(1000)
    assert count == articles and frequency["common"] == articles
    assert [term for term in frequency if term.startswith("only")] == [f"only{number}" for number in range(articles)]
    assert set(frequency.values()) == {articles, 1}
