"""Yonhap News Agency (연합뉴스), Korean service.

No saved Korean page of yna.co.kr exists in our data; this source relies on the
generic chain (Yonhap pages carry NewsArticle JSON-LD and OpenGraph) and the
Korean rules, tested on other real Korean pages. ``newsbot smoke yonhap``
checks it live, feed by feed.
"""

from newsbot.sources.base import NewsSpider


class YonhapSpider(NewsSpider):
    name = "yonhap"
    source_name = "연합뉴스"
    allowed_domains = ["yna.co.kr"]
    timezone = "Asia/Seoul"
    # Feed URLs as other projects use them (found with the search tool, 2026-11):
    # - news.xml: 2DayLab/My-News-Digest examples/RSS_EXAMPLES.md
    # - the twelve sections: Gawkat/hyangsang
    #   app/src/main/java/dev/kettu/hyangsang/data/defaults/DefaultData.kt (yonhap("<section>") ->
    #   https://www.yna.co.kr/rss/<section>.xml); every one is also in several other public feed lists.
    feeds = [
        f"https://www.yna.co.kr/rss/{section}.xml"
        for section in (
            "news", "politics", "northkorea", "economy", "market", "industry", "society",
            "local", "international", "culture", "health", "entertainment", "sports",
        )
    ]
    category_map = {
        "politics": "정치", "northkorea": "북한", "economy": "경제", "market": "마켓+", "industry": "산업",
        "society": "사회", "local": "전국", "international": "세계", "culture": "문화", "health": "건강",
        "entertainment": "연예", "sports": "스포츠",
    }
