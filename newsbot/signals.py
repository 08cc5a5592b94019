"""Signals newsbot components send each other (Scrapy's signal manager carries them)."""

article_failed = object()
"""An article request failed for good (HTTP error, timeout, reset); args: ``url``, ``spider``."""
