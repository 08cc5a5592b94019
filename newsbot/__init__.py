"""newsbot: crawl news wire services into publishable Jekyll posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbot.items import Article

if TYPE_CHECKING:
    from newsbot.extract import extract_article

__version__ = "0.1.0"
__all__ = ["Article", "__version__", "contact_user_agent", "extract_article"]


def contact_user_agent(contact_url: str) -> str:
    """``newsbot/<version> (+<contact_url>)``: the User-Agent that lets site owners reach us."""
    return f"newsbot/{__version__} (+{contact_url})"


def __getattr__(name: str) -> Any:
    """``newsbot.extract_article`` on first use: a crawl's main process never loads the extractors."""
    if name == "extract_article":
        from newsbot.extract import extract_article

        return extract_article
    raise AttributeError(f"module 'newsbot' has no attribute {name!r}")
