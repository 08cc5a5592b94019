"""Imported by the worker processes' fork server: pays the extractors' first-use costs once.

dateparser builds its patterns, trafilatura its caches and the summary imports numpy on
first use. Done here, in the fork server, every worker starts with them
ready (copy-on-write) instead of paying for them itself.
"""

from __future__ import annotations

import gc

from htmldate.extractors import month_words
from justext.core import define_stoplist
from trafilatura.external import jt_stoplist_init

from newsbot.extract.dates import to_iso
from newsbot.finish import finish_page

_PARAGRAPH = "<p>The council met on Tuesday and voted to rebuild the old bridge over the river before winter.</p>"
_PAGE = (
    '<html lang="en"><head><title>Warm-up</title><meta property="article:published_time" content="2024-05-03T10:00:00Z">'
    f"</head><body><article><h1>Warm-up</h1>{_PARAGRAPH * 6}</article></body></html>"
)
# A date only dateparser reads (ISO and RFC 822 dates never reach it): its import, its time-zone
# patterns and English, 0.12 s. Not one in each script: a Hangul date makes it try some 17 locales
# (0.28 s, the largest part of the fork server's start, which the first worker waits for), while a
# worker that meets a Korean or German date pays 0.06-0.09 s for its locale, once.
_DATE = "Saturday, 3 May 2024"


def warm_up() -> None:
    """One page through a worker's whole path (extraction, summary, brief, terms: numpy's import,
    0.1 s), dateparser on an English date, and what rarer pages load once and keep:

    - the stop words of every language that trafilatura's justext fallback loads (0.07 s), and
      the lower-cased set justext makes of them (0.12 s, 20 MiB);
    - htmldate's month names of every dateparser locale (0.05 s, 5 MiB).

    Made in each worker, the last two are 25 MiB of memory per worker, in most crawls of a few
    hundred pages; made here, one copy serves all.
    """
    finish_page(_PAGE.encode(), "https://warm-up.invalid/article", "text/html; charset=utf-8", None, None, 150)
    to_iso(_DATE, None)
    define_stoplist(jt_stoplist_init())
    month_words()


warm_up()
# Everything loaded so far lives as long as the workers: out of the collector's sight, a worker's
# full collection neither walks it nor writes to its pages (which would copy them from the fork server).
gc.freeze()
