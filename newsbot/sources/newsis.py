"""Newsis (뉴시스), Korean wire service.

No saved page of newsis.com exists in our data; this source relies on the
generic chain and the Korean rules (``[서울=뉴시스]홍길동 기자 =`` datelines,
``photo@newsis.com`` credits), tested on other real Korean pages.
``newsbot smoke newsis`` checks it live, feed by feed.
"""

from newsbot.sources.base import NewsSpider


class NewsisSpider(NewsSpider):
    name = "newsis"
    source_name = "뉴시스"
    allowed_domains = ["newsis.com"]
    timezone = "Asia/Seoul"
    # Feed URLs as other projects use them (found with the search tool, 2026-11):
    # - RSS/politics.xml (not "politic.xml", a 404): Dreaming-Lion/Veritas ai/app/ingest/rss_sources.py,
    #   and every other public list that names the politics feed.
    # - sokbo, economy, society, international, culture, sports, entertain: each in three or more
    #   independent public feed lists (the exact-string index, which names no repository for them:
    #   an Airflow DAG, a Streamlit news collector, a headline game, crawl scripts).
    feeds = [
        f"https://www.newsis.com/RSS/{section}.xml"
        for section in ("sokbo", "politics", "economy", "society", "international", "culture", "sports", "entertain")
    ]
    category_map = {
        "sokbo": "속보", "politics": "정치", "economy": "경제", "society": "사회", "international": "국제",
        "culture": "문화", "sports": "스포츠", "entertain": "연예",
    }
