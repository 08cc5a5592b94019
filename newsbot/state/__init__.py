"""What newsbot has seen and posted, so a second run posts nothing twice.

One interface, :class:`StateStore`, with SQLite (``sqlite.py``, one machine) and Redis
(``redis.py``, many workers) behind it. A crawl reaches its store through the
:class:`~newsbot.state.extension.StateExtension` Scrapy extension. Nothing here imports
Scrapy, so the quick check reads the state before Scrapy loads.
"""

from newsbot.state.base import PostRecord, StateStore, arguments_key, default_state_path, state_path, url_key

__all__ = ["PostRecord", "StateStore", "arguments_key", "default_state_path", "state_path", "url_key"]
