"""News sources: one module per spider, named exactly like the spider.

A source is mostly configuration: its feeds, domains, time zone and section
map, plus overrides only for the fields the generic extraction gets wrong.
See :class:`newsbot.sources.base.NewsSpider`.
"""
