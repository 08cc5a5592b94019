"""newsbot: crawl news wire services into publishable Jekyll posts."""

from newsbot.extract import extract_article
from newsbot.items import Article

__version__ = "0.1.0"
__all__ = ["Article", "__version__", "extract_article"]
