"""Print newsbot's summaries next to each article's own description, for a person to judge.

    python bench/summaries.py [--pages tests/fixtures/pages] [--count 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from newsbot import extract_article
from newsbot.summarize import article_paragraphs, summarize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=str(Path(__file__).parent.parent / "tests" / "fixtures" / "pages"))
    parser.add_argument("--count", type=int, default=20)
    options = parser.parse_args()
    folder = Path(options.pages)
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))[: options.count]
    print("| page | newsbot summary (chars) | the page's own description |")
    print("|---|---|---|")
    for entry in entries:
        article = extract_article(gzip.decompress((folder / entry["file"]).read_bytes()), entry["url"])
        summary = summarize(article_paragraphs(article.body_html), 150, article.language)
        cells = [entry["file"].removesuffix(".html.gz"), f"{summary} ({len(summary)})", article.description[:200]]
        print("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")


if __name__ == "__main__":
    main()
