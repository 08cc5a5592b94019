"""The rule table covers every NEWSBOT_* setting, the defaults pass it, and README lists them all."""

from __future__ import annotations

import re

import pytest
from conftest import PROJECT_ROOT
from scrapy.settings import Settings

from newsbot import settings as project_settings
from newsbot.config import PREFIX, RULES, SettingsError, validate_settings


def _defaults() -> Settings:
    return Settings({name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()})


def test_every_newsbot_setting_has_a_rule_and_a_readme_row_and_the_defaults_pass(tmp_path):
    declared = {name for name in dir(project_settings) if name.startswith(PREFIX)}
    assert declared == {name for name in RULES if name.startswith(PREFIX)}
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert declared == set(re.findall(r"^\| `(NEWSBOT_[A-Z_]+)` \|", readme, re.MULTILINE))
    settings = _defaults()
    settings.set("NEWSBOT_OUTPUT", str(tmp_path))
    validate_settings(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSBOT_WORKERS", "-1"), ("NEWSBOT_WORKERS", 0), ("NEWSBOT_MAX_AGE_DAYS", "2.5"), ("NEWSBOT_QUICK_CHECK", "false"),
        ("NEWSBOT_DEFAULT_TIMEZONE", "America/New_York"), ("NEWSBOT_REDIS_URL", "redis://redis.internal:6379/0"),
        ("NEWSBOT_SOURCES", "yonhap, newsis"), ("NEWSBOT_FOOTER", "{{literal}} <a href='{site_url}'>{brand}</a>"),
        ("NEWSBOT_BRAND_IMAGE", "https://cdn.example.com/brand.jpg"), ("NEWSBOT_CONTACT_URL", "mailto:ops@example.com"),
        ("NEWSBOT_TRUSTED_HOSTS", "intranet.example, 10.0.0.0/8, fd00::/8, 192.168.1.5, [::1]"),
        ("NEWSBOT_TRUSTED_HOSTS", ["intranet.example"]), ("NEWSBOT_IMAGE_MAX_PIXELS", "25000000"),
        ("NEWSBOT_TRUSTED_HOSTS", "bücher.example, xn--bcher-kva.example, 3com.example., localhost"),
    ],
)
def test_good_values_pass(name, value, tmp_path):
    settings = _defaults()
    settings.set("NEWSBOT_OUTPUT", str(tmp_path))
    settings.set(name, value)
    validate_settings(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSBOT_WORKERS", "1.5"), ("NEWSBOT_WORKERS", True), ("NEWSBOT_MAX_AGE_DAYS", "-1"), ("NEWSBOT_MAX_AGE_DAYS", "nan"),
        ("NEWSBOT_PROGRESS", "yes please"), ("NEWSBOT_DEFAULT_TIMEZONE", ""), ("NEWSBOT_DEFAULT_TIMEZONE", "../../etc/passwd"),
        ("NEWSBOT_REDIS_URL", "http://redis:6379"), ("NEWSBOT_REDIS_URL", "redis://host:port/0"), ("NEWSBOT_SOURCES", "yonhap,,news1"),
        ("NEWSBOT_ATTRIBUTION", "{source_url!z}"), ("NEWSBOT_FEATURE_HEADING", "## {title}"), ("NEWSBOT_BRAND_IMAGE", "brand.jpg"),
        ("NEWSBOT_TRUSTED_HOSTS", "http://intranet.example/"), ("NEWSBOT_TRUSTED_HOSTS", "10.0.0.0/33"),
        ("NEWSBOT_TRUSTED_HOSTS", "intranet example"), ("NEWSBOT_IMAGE_MAX_PIXELS", "0"),
        ("NEWSBOT_TRUSTED_HOSTS", "not_a..host"), ("NEWSBOT_TRUSTED_HOSTS", "under_score.example"),
        ("NEWSBOT_TRUSTED_HOSTS", "-dash.example"), ("NEWSBOT_TRUSTED_HOSTS", "10.0.0.256"),
        ("NEWSBOT_TRUSTED_HOSTS", "a" * 64 + ".example"), ("NEWSBOT_TRUSTED_HOSTS", "intranet.example,,,.example"),
    ],
)
def test_bad_values_name_the_setting_and_what_it_takes(name, value, tmp_path):
    settings = _defaults()
    settings.set("NEWSBOT_OUTPUT", str(tmp_path))
    settings.set(name, value)
    with pytest.raises(SettingsError, match=f"^{name}=.*; {name} takes "):
        validate_settings(settings)
