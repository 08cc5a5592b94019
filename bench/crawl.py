"""Crawl benchmark: a full crawl through every pipeline against trafilatura alone on the same pages.

    python bench/crawl.py [--data ../shared/data] [-n 400] [--skip 0] [--repeat 1]

Serves N distinct real pages on 127.0.0.1 with a feed, runs ``newsbot crawl feed``
to posts, and prints wall time, articles per second and CPU seconds per article,
then the time of ``trafilatura.extract`` alone over the same pages in one process
(the floor) and the ratio crawl / floor. Also: a second run over the unchanged feed;
peak RSS and PSS (crawl process plus its workers) in a run of their own, since
sampling PSS costs the crawl CPU; and peak memory at 4 x N pages (copies with
distinct URLs and canonical links: they join the N articles' stories, so the posts stay N).

The first 400 pages are the ones the speed work was tuned on (news from Fundus, the Zyte
benchmark, a few of trafilatura's evaluation pages); ``--skip 400`` and ``--skip 800`` take
400 others, mostly trafilatura's evaluation pages: generic web pages rather than news.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura
from shared_data import DEFAULT, data_folder

from newsbot.devserver import LocalServer, LocalSite, SavedPage

ROOT = Path(__file__).resolve().parent.parent


def real_pages(data: Path, count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct real article pages: Fundus, the Zyte benchmark, newspaper4k, trafilatura's corpus."""
    pages: list[tuple[str, bytes]] = []
    for meta in sorted(glob.glob(str(data / "fundus" / "*" / "meta.info"))):
        for name, info in json.load(open(meta, encoding="utf-8")).items():
            path = Path(meta).parent / name
            if path.exists():
                pages.append((info["url"], gzip.decompress(path.read_bytes())))
    truth = json.load(open(data / "zyte-benchmark-dev" / "ground-truth.json", encoding="utf-8"))
    for key, entry in sorted(truth.items()):
        pages.append((entry["url"], gzip.decompress((data / "zyte-benchmark-dev" / "html_gz" / f"{key}.html.gz").read_bytes())))
    evaluation = json.load(open(data / "trafilatura-eval" / "evaldata.json", encoding="utf-8"))
    for url, entry in evaluation.items():
        if len(pages) >= count:
            break
        for folder in ("cache", "eval"):
            path = data / "trafilatura-eval" / "html_gz" / folder / f"{entry['file']}.gz"
            if path.exists():
                pages.append((url, gzip.decompress(path.read_bytes())))
                break
    return pages[:count]


def site_for(pages: list[tuple[str, bytes]], copies: int = 1) -> LocalSite:
    site = LocalSite()
    for copy in range(copies):
        for number, (url, body) in enumerate(pages):
            if copies > 1:
                canonical = f'<link rel="canonical" href="https://copy{copy}.bench.invalid/{number}">'.encode()
                body = re.sub(rb"<head[^>]*>", lambda match: match.group(0) + canonical, body, count=1)
            site.add(SavedPage(path=f"/c{copy}/{number}", body=body))
    return site


_TICKS = os.sysconf("SC_CLK_TCK")


def _sample_tree(pid: int, cpu_seconds: dict[int, float], peaks: dict[int, int], pss: bool) -> tuple[int, int]:
    """RSS and, with ``pss``, PSS (shared pages split between the processes sharing them) of ``pid``
    and all its descendants in KiB; records each one's CPU seconds so far and its own peak RSS.

    PSS walks every page table: about 10 ms of CPU a sample over a crawl's processes, a sixth of
    a core at 20 samples a second, taken from the crawl it measures. Timed runs go without it.
    """
    total_rss = total_pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                rss = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            if pss:
                with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                    total_pss += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            with open(f"/proc/{current}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            cpu_seconds[current] = (int(fields[11]) + int(fields[12])) / _TICKS
            peaks[current] = max(peaks.get(current, 0), rss)
            total_rss += rss
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total_rss, total_pss


def crawl(url: str, output: str, pss: bool = False) -> dict:
    """One ``newsbot crawl`` run: wall and CPU seconds, peak RSS (and with ``pss`` peak PSS) of its
    process tree, posts written."""
    command = [
        sys.executable, "-m", "newsbot.cli", "crawl", "feed", "-a", f"url={url}/feed.xml",
        "-s", f"NEWSBOT_OUTPUT={output}", "-s", "NEWSBOT_IMAGE_MODE=remote", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING",
        "-s", "NEWSBOT_PROGRESS=False",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_pss = 0
    cpu_seconds: dict[int, float] = {}
    process_peaks: dict[int, int] = {}
    while process.poll() is None:
        rss, tree_pss = _sample_tree(process.pid, cpu_seconds, process_peaks, pss)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, tree_pss)
        time.sleep(0.05)
    wall = time.perf_counter() - started
    cpu = sum(cpu_seconds.values())  # last sample of each process: slightly under the true total
    crawl_cpu = cpu_seconds.get(process.pid, 0.0)
    posts = len(list(Path(output, "_posts").glob("*.md")))
    processes = sorted((peak // 1024 for peak in process_peaks.values()), reverse=True)
    return {
        "wall": wall, "cpu": cpu, "crawl_cpu": crawl_cpu, "peak_mib": peak_rss / 1024, "pss_mib": peak_pss / 1024,
        "processes": processes, "posts": posts, "status": process.returncode,
    }


def floor(pages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    for url, body in pages:
        trafilatura.extract(body, url=url)
    return time.perf_counter() - started


def _count(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number, ``minimum`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    return parse


TUNING_PAGES = 400
"""The first pages of the collection, on which the speed work was measured and tuned."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=data_folder, default=str(DEFAULT))
    parser.add_argument("-n", type=_count(1), default=400, help="pages to crawl")
    parser.add_argument("--skip", type=_count(0), default=0, help="leave out the first SKIP pages of the collection")
    parser.add_argument("--repeat", type=_count(1), default=1, help="crawl/floor pairs to run; the median pair is shown")
    options = parser.parse_args()
    pages = real_pages(options.data, options.skip + options.n)[options.skip :]
    if not pages:
        parser.error(f"no pages left after skipping {options.skip}")
    tuned = max(0, min(TUNING_PAGES, options.skip + len(pages)) - options.skip)
    tuning = f" ({tuned} of them among the {TUNING_PAGES} the speed work was tuned on)" if tuned else " (none the speed work was tuned on)"
    print(f"{len(pages)} distinct real pages, numbers {options.skip + 1}-{options.skip + len(pages)} of the collection{tuning}, {os.cpu_count()} cores")
    runs = []
    for _ in range(options.repeat):  # crawl and floor alternate, so a slow spell of the machine hits both
        with tempfile.TemporaryDirectory() as output, LocalServer(site_for(pages)) as url:
            first = crawl(url, output)
            second = crawl(url, output)
        runs.append((first["wall"] / floor(pages), first, second))
    if options.repeat > 1:
        print("ratios crawl / floor, each pair run back to back: " + ", ".join(f"{ratio:.2f}" for ratio, _, _ in runs))
    ratio, first, second = sorted(runs, key=lambda run: run[0])[len(runs) // 2]  # the median pair
    floor_seconds = first["wall"] / ratio
    print(f"crawl:  {first['wall']:.1f} s wall, {first['posts']} posts, {len(pages) / first['wall']:.1f} articles/s, "
          f"{first['cpu'] / len(pages) * 1000:.0f} ms CPU/article ({first['crawl_cpu']:.1f} s in the crawl process), exit {first['status']}")
    print(f"floor:  trafilatura.extract alone {floor_seconds:.1f} s in one process; ratio crawl / floor {first['wall'] / floor_seconds:.2f}")
    print(f"second run over the unchanged feed: {second['wall']:.1f} s ({second['wall'] / first['wall'] * 100:.0f}% of the first), "
          f"{second['posts'] - first['posts']} new posts")
    with tempfile.TemporaryDirectory() as output, LocalServer(site_for(pages)) as url:
        memory = crawl(url, output, pss=True)
    print(f"memory (a run of its own, sampling PSS): peak RSS {memory['peak_mib']:.0f} MiB, "
          f"peak PSS {memory['pss_mib']:.0f} MiB = {memory['pss_mib'] * 1.048576:.0f} MB "
          f"(shared pages counted once); per-process peak RSS (MiB): {', '.join(map(str, memory['processes']))}")
    with tempfile.TemporaryDirectory() as output, LocalServer(site_for(pages, copies=4)) as url:
        large = crawl(url, output, pss=True)
    print(f"4 x N = {4 * len(pages)} pages (copies joining the N stories): peak RSS {large['peak_mib']:.0f} MiB "
          f"({large['peak_mib'] / memory['peak_mib']:.2f} x), peak PSS {large['pss_mib']:.0f} MiB, {large['posts']} posts, {large['wall']:.1f} s")

if __name__ == "__main__":
    main()
