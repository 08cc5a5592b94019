"""Print newsbot's briefs next to each article's own description, for a person to judge, and figures.

    python bench/summaries.py [--pages tests/fixtures/pages] [--count 30]

Figures: word F1 of the summary against the page's description, how many summaries start with
the article's lead (its first candidate sentence, whole or cut), and key points per brief after
the copy limit.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from newsbot import extract_article
from newsbot.compose.brief import excerpt_and_key_sentences, fit_copy_limit
from newsbot.summarize import ELLIPSIS, article_paragraphs, candidate_sentences, words
from newsbot.text import plain_text


def word_f1(found: str, expected: str) -> float:
    """F1 of the word sets (:func:`newsbot.summarize.words`) of two texts."""
    found_words, expected_words = words(found), words(expected)
    shared = len(found_words & expected_words)
    return 2 * shared / (len(found_words) + len(expected_words)) if shared else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=str(Path(__file__).parent.parent / "tests" / "fixtures" / "pages"))
    parser.add_argument("--count", type=int, default=30)
    options = parser.parse_args()
    folder = Path(options.pages)
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))[: options.count]
    print("| page | newsbot summary (chars) | key points | the page's own description | F1 |")
    print("|---|---|---|---|---|")
    scores, leads, keys_per_brief = [], 0, []
    for entry in entries:
        article = extract_article(gzip.decompress((folder / entry["file"]).read_bytes()), entry["url"])
        text = article_paragraphs(article.body_html)
        summary, keys = excerpt_and_key_sentences(text, 150, article.language)
        summary, keys = fit_copy_limit(plain_text(article.title), summary, keys, article.body_text)
        lead = candidate_sentences(text, article.language, 1)
        leads += bool(lead) and (summary.startswith(lead[0]) or lead[0].startswith(summary.removesuffix(ELLIPSIS)))
        keys_per_brief.append(len(keys))
        description = plain_text(article.description)
        score = word_f1(summary, description) if description else None
        if score is not None:
            scores.append(score)
        cells = [entry["file"].removesuffix(".html.gz"), f"{summary} ({len(summary)})", str(len(keys)), description[:200],
                 "" if score is None else f"{score:.2f}"]
        print("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    print()
    print(f"{len(entries)} pages: word F1 against descriptions {sum(scores) / max(len(scores), 1):.3f} ({len(scores)} with one); "
          f"summaries starting with the lead {leads}; key points per brief {sum(keys_per_brief) / max(len(entries), 1):.2f}, "
          f"{keys_per_brief.count(0)} with none")


if __name__ == "__main__":
    main()
