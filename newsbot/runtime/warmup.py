"""Imported by the worker processes' fork server: pays the extractors' first-use costs once.

dateparser loads its locale data, trafilatura its caches and the summary numpy on first
use (over a second of CPU). Done here, in the fork server, every worker starts with them
ready (copy-on-write) instead of paying for them itself.
"""

from __future__ import annotations

import gc

from trafilatura.external import jt_stoplist_init

from newsbot.extract.dates import to_iso
from newsbot.finish import finish_page

_PARAGRAPH = "<p>The council met on Tuesday and voted to rebuild the old bridge over the river before winter.</p>"
_PAGE = (
    '<html lang="en"><head><title>Warm-up</title><meta property="article:published_time" content="2024-05-03T10:00:00Z">'
    f"</head><body><article><h1>Warm-up</h1>{_PARAGRAPH * 6}</article></body></html>"
)
# One date in each script and style the extractors meet often, so dateparser loads those locales.
_DATES = ("Sun Nov 23 16:00:00 EDT 2014", "2024년 5월 3일 오후 3:10", "3. Mai 2024", "23 mars 2024", "2024年5月3日")


def warm_up() -> None:
    """One page through a worker's whole path (extraction, summary, brief, terms: numpy's import,
    0.1 s), dates in each script, and the stop words of every language that trafilatura's justext
    fallback loads on a rarer page (0.07 s)."""
    finish_page(_PAGE.encode(), "https://warm-up.invalid/article", "text/html; charset=utf-8", None, None, 150)
    for text in _DATES:
        to_iso(text, None)
    jt_stoplist_init()


warm_up()
# Everything loaded so far lives as long as the workers: out of the collector's sight, a worker's
# full collection neither walks it nor writes to its pages (which would copy them from the fork server).
gc.freeze()
