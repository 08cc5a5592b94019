"""Hostile-network crawl on held-out pages: does content reach the internal service, and what do bombs cost?

    python bench/hostile.py [--data ../shared/data] [-n 16]

Serves N real pages of the Zyte article-extraction benchmark (none of them in the tests) on
127.0.0.1, their lead images swapped in turn for image vectors, plus links, redirects and
sitemaps aimed at an "internal service" on 127.0.0.2 and compression, pixel and nesting bombs
(tests/hostile_network.py builds it all). Runs ``newsbot crawl`` with the bombs and without,
and prints: requests that reached the internal service, posts holding its secret, posts
written, exit status, tracebacks, refusals by reason, and the peak RSS of the crawl process
and of each of its workers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_network import SECRET, hostile_network_crawl  # noqa: E402
from shared_data import DEFAULT, data_folder

from newsbot.devserver import SavedPage  # noqa: E402


def held_out_pages(data: Path, count: int) -> dict[str, SavedPage]:
    """The first ``count`` pages of the Zyte benchmark's dev half, by id, at ``/zyte/<id>``."""
    truth = json.loads((data / "zyte-benchmark-dev" / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in sorted(truth)[:count]:
        body = gzip.decompress((data / "zyte-benchmark-dev" / "html_gz" / f"{key}.html.gz").read_bytes())
        pages[f"/zyte/{key}"] = SavedPage(path=f"/zyte/{key}", body=body)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=data_folder, default=str(DEFAULT))
    parser.add_argument("-n", type=int, default=16)
    options = parser.parse_args()
    pages = held_out_pages(options.data, options.n)
    for bombs in (False, True):
        with tempfile.TemporaryDirectory(prefix="newsbot-hostile-") as output:
            run = hostile_network_crawl(Path(output), pages, bombs=bombs)
        leaked = sum(SECRET in matter["excerpt"] or SECRET in body for matter, body in run.posts.values())
        refused = run.report["sources"][0]["refused"]
        good_posted = len(set(run.posts) & set(pages))
        print(
            f"{'with' if bombs else 'without'} bombs: internal-service requests {len(run.internal_hits)}, "
            f"posts holding its secret {leaked}, real pages posted {good_posted}/{len(pages)}, "
            f"exit {run.result.returncode}, tracebacks {run.log.count('Traceback')}, "
            f"peak RSS: crawl process {run.crawl_peak_kib / 1024:.0f} MiB, "
            f"its workers {', '.join(f'{peak / 1024:.0f}' for peak in run.worker_peaks_kib)} MiB"
        )
        print("   refused: " + ", ".join(f"{count} {reason}" for reason, count in sorted(refused.items())))


if __name__ == "__main__":
    main()
