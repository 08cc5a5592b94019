"""The fixed texts around a post (heading, image alt text, attribution, footer, key-points heading)
in the post's language, for every ``NEWSBOT_*`` template the user left unset."""

from __future__ import annotations

POST_TEXTS = {
    "ko": {
        "feature_heading": "## {brand} 실시간 뉴스 속보입니다.",
        "image_paragraph": '<p><img src="{image}" alt="{brand} 속보" /></p>',
        "attribution": '<p>원문: <a href="{source_url}">{source}</a></p>',
        "footer": '실시간 뉴스 속보는, <a href="{site_url}" rel="dofollow">{site_url}</a>',
        "key_points_heading": "주요 내용",
        "key_points_detail": "내용",
    },
    "en": {
        "feature_heading": "## {brand} real-time breaking news.",
        "image_paragraph": '<p><img src="{image}" alt="{brand} breaking news" /></p>',
        "attribution": '<p>Source: <a href="{source_url}">{source}</a></p>',
        "footer": 'Real-time breaking news at <a href="{site_url}" rel="dofollow">{site_url}</a>',
        "key_points_heading": "Key points",
        "key_points_detail": "Details",
    },
}
"""The texts around a post in its language where the user set none: the seed's Korean for Korean
posts, English for every other language."""


def post_texts(language: str) -> dict[str, str]:
    """:data:`POST_TEXTS` for a post in ``language``."""
    return POST_TEXTS["ko" if language == "ko" else "en"]
