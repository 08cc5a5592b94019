"""``scrapy crawl`` for newsbot: settings and spider arguments checked before Scrapy starts.

Scrapy's own command reports a bad setting or argument as tracebacks from inside the
crawl. This one checks once, before the crawler process exists, and ends with one line
(exit status 2 for a mistake, 1 for an unreachable service or a damaged state file). A crawl that
``newsbot crawl`` would call failed (a feed unreachable, a full disk, a signal, a spider error) ends
with the same one line and exit status 1, so cron never sees 0 for a failed run from either command.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.utils.misc import load_object

from newsbot.config import STOPPED_STAT, RunError, SettingsError, check_start, validate_settings
from newsbot.runtime.report import catch_start_error, crawler_failures, crawler_stats, failure_line


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # -a and -s parsed, Scrapy's usage errors raised
        if len(args) != 1:
            return  # Scrapy's run() reports it
        try:
            validate_settings(self.settings)
            self._spider_class(args[0]).check_arguments(opts.spargs)
            check_start(self.settings)
        except RunError as error:
            print(f"scrapy crawl: {error}", file=sys.stderr)
            raise SystemExit(error.exit_status) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)
            return
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(args[0])
        start_errors: dict[str, str] = {}
        catch_start_error(self.crawler_process.crawl(crawler, **opts.spargs), args[0], start_errors)
        self.crawler_process.start()
        failures = crawler_failures(crawler, start_errors)
        if failures:
            stopped = crawler_stats(crawler).get(STOPPED_STAT)
            print(f"scrapy crawl: {f'stopped: {stopped}' if stopped else failure_line(crawler.spidercls.name, failures)}",
                  file=sys.stderr)
            self.exitcode = 1

    def _spider_class(self, name: str) -> type:
        assert self.settings is not None
        loader = load_object(self.settings["SPIDER_LOADER_CLASS"]).from_settings(self.settings.frozencopy())
        try:
            return loader.load(name)
        except KeyError:
            raise SettingsError(f"unknown spider {name!r}; known: {', '.join(sorted(loader.list()))}") from None
