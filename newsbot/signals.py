"""Signals newsbot components send each other (Scrapy's signal manager carries them)."""

article_failed = object()
"""An article request failed for good (HTTP error, timeout, reset); args: ``url``, ``spider``."""

request_taken = object()
"""A worker took a request from the shared Redis queue; args: ``request``, ``spider``."""
