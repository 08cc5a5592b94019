"""Signals newsbot components send each other (Scrapy's signal manager carries them)."""

article_failed = object()
"""An article request ended without an article (HTTP error, timeout, reset, not HTML);
args: ``url`` (the feed entry's link, whatever the redirects), ``spider``, ``request`` (the one that failed)."""

post_writing = object()
"""A post file is about to be written (new or rewritten); args: ``path`` (relative to the output
directory), ``item``. Sent before the write, so a run killed right after it still has it noted."""

request_taken = object()
"""A worker took a request from the shared Redis queue; args: ``request``, ``spider``, ``encoded`` (the
request as the queue held it, listed under the worker's ``taken`` key until it is in flight)."""
