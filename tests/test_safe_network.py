"""The address rules behind the crawl's refusals, and the image guard, without a crawl."""

from __future__ import annotations

import ipaddress
import struct
import zlib

import pytest
from scrapy.pipelines.images import ImageException
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.test import get_crawler
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newsbot.network import AddressPolicy, NonPublicAddress, PublicAddressResolver, is_public_address

NOT_PUBLIC = [
    "127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1",  # loopback, RFC 1918
    "169.254.169.254", "fe80::1",  # link-local: cloud metadata
    "fc00::1", "fd12:3456::1", "::1", "0.0.0.0", "::",  # unique local, loopback, unspecified
    "224.0.0.1", "ff02::1", "255.255.255.255", "100.64.0.1", "192.0.2.1", "240.0.0.1",  # multicast, broadcast, shared, reserved
    "::ffff:127.0.0.1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe",  # IPv4 inside IPv6: mapped, 6to4, NAT64
]
PUBLIC = ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_loopback_private_link_local_multicast_and_reserved_addresses_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_global_unicast_addresses_are_public(address):
    assert is_public_address(ipaddress.ip_address(address))


def test_trusted_hosts_are_names_addresses_and_networks():
    policy = AddressPolicy(["127.0.0.1", "Intranet.Example.", "10.0.0.0/8", "[fd00::1]", " "])
    assert policy.trusts_name("intranet.example") and policy.trusts_name("INTRANET.example.")
    assert not policy.trusts_name("example.com")
    assert policy.allows("127.0.0.1") and not policy.allows("127.0.0.2")
    assert policy.allows("10.200.1.1") and not policy.allows("172.16.0.1")
    assert policy.allows("fd00::1") and not policy.allows("fd00::2")
    assert policy.allows("8.8.8.8")


class _Rebinding(CachingThreadedResolver):
    """A DNS server that answers a public address first and a private one after (DNS rebinding)."""

    answers = ["93.184.215.14", "169.254.169.254"]

    def getHostByName(self, name, timeout=()):  # noqa: N802
        return defer.succeed(self.answers.pop(0))


class _CheckedRebinding(PublicAddressResolver, _Rebinding):
    pass


class _NoAnswer(CachingThreadedResolver):
    """A DNS server with no address for any name (a dead domain, or any name offline)."""

    def getHostByName(self, name, timeout=()):  # noqa: N802
        return defer.fail(DNSLookupError(f"address {name!r} not found"))


class _CheckedNoAnswer(PublicAddressResolver, _NoAnswer):
    pass


def _result(deferred: defer.Deferred):
    results = []
    deferred.addBoth(results.append)
    return results[0]


def test_the_resolver_checks_every_lookup_so_a_name_rebound_to_a_private_address_is_refused():
    resolver = _CheckedRebinding(object(), 0, 1.0)
    assert _result(resolver.getHostByName("rebind.example")) == "93.184.215.14"
    failure = _result(resolver.getHostByName("rebind.example"))
    assert failure.check(NonPublicAddress)
    assert "rebind.example resolves to 169.254.169.254" in failure.getErrorMessage()
    assert resolver.refused["rebind.example"] == "169.254.169.254"


def test_the_resolver_notes_a_name_without_an_address_but_not_one_it_refused():
    resolver = _CheckedNoAnswer(object(), 0, 1.0)
    assert _result(resolver.getHostByName("Gone.Example.")).check(DNSLookupError)
    assert "gone.example" in resolver.unresolved
    rebinding = _CheckedRebinding(object(), 0, 1.0)  # an answer clears the note (a transient failure)
    rebinding.answers = ["93.184.215.14"]
    rebinding.unresolved["rebind.example"] = 0.0
    assert _result(rebinding.getHostByName("rebind.example")) == "93.184.215.14"
    assert "rebind.example" not in rebinding.unresolved
    refusing = _CheckedRebinding(object(), 0, 1.0)
    refusing.answers = ["169.254.169.254"]
    assert _result(refusing.getHostByName("rebind.example")).check(NonPublicAddress)
    assert "rebind.example" not in refusing.unresolved  # refused, with its own reason; it has an address


def test_the_resolver_lets_trusted_names_resolve_to_private_addresses():
    resolver = _CheckedRebinding(object(), 0, 1.0)
    resolver.answers = ["10.0.0.5"]
    resolver.policy.trust(["intranet.example"])
    assert _result(resolver.getHostByName("intranet.example")) == "10.0.0.5"


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(8000, 6000), (60000, 60000)])
def test_an_image_over_the_pixel_limit_is_refused_from_its_header(tmp_path, size):
    """8000 x 6000 is over the limit (Pillow only warns there), 60000 x 60000 over twice it (Pillow raises)."""
    from newsbot.pipelines.download_image import DownloadImagePipeline

    crawler = get_crawler(settings_dict={"NEWSBOT_OUTPUT": str(tmp_path), "NEWSBOT_IMAGE_MAX_PIXELS": 40_000_000})
    pipeline = DownloadImagePipeline.from_crawler(crawler)
    with pytest.raises(ImageException, match="40000000 pixels"):
        pipeline._check_pixels(_png_header(*size))
    assert crawler.stats.get_value("newsbot/bomb/image_pixels") == 1
    pipeline._check_pixels(_png_header(4000, 3000))
    with pytest.raises(ImageException, match="not an image"):
        pipeline._check_pixels(b"<html>not an image</html>")


def test_a_page_nested_thousands_deep_is_read_up_to_the_parser_limit_and_marked_cut_short():
    from newsbot import extract_article

    paragraph = "<p>" + "An ordinary sentence of the article, long enough to count as body text. " * 4 + "</p>"
    page = (
        "<html><head><title>A page nested one hundred thousand deep</title></head><body><article>"
        + paragraph * 3 + "<div>" * 100_000 + "lost" + "</div>" * 100_000 + "</article></body></html>"
    )
    article = extract_article(page, "https://news.example.com/deep")
    assert article.cut_short
    assert article.title == "A page nested one hundred thousand deep"
    assert "An ordinary sentence of the article" in article.body_text
    assert not extract_article(paragraph * 3, "https://news.example.com/flat").cut_short


def test_the_operators_feed_hosts_proxies_and_trusted_hosts_are_trusted_and_nothing_else(monkeypatch):
    from newsbot.middlewares import PublicAddressMiddleware
    from newsbot.sources.feed import FeedSpider

    monkeypatch.setattr("newsbot.middlewares.getproxies", lambda: {"http": "http://10.0.0.3:3128", "no": "localhost,10.9.0.1"})
    crawler = get_crawler(settings_dict={"NEWSBOT_TRUSTED_HOSTS": "intranet.example, 10.8.0.0/16"})
    crawler.spider = FeedSpider(url="http://127.0.0.1:8000/feed.xml https://news.internal.example/rss")
    trusted = PublicAddressMiddleware(crawler).trusted
    assert sorted(trusted) == sorted(["127.0.0.1", "news.internal.example", "10.0.0.3", "intranet.example", "10.8.0.0/16"])


def test_a_trusted_idn_is_trusted_under_the_name_requests_use():
    from newsbot.middlewares import PublicAddressMiddleware

    crawler = get_crawler(settings_dict={"NEWSBOT_TRUSTED_HOSTS": "Bücher.example, [::1]", "HTTPPROXY_ENABLED": False})
    crawler.spider = None
    assert PublicAddressMiddleware(crawler).trusted == ["xn--bcher-kva.example", "[::1]"]


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://127.0.0.1:8000/news/1", False),  # the feed's own port
        ("http://127.0.0.1:6379/", True),  # another service of the feed's machine
        ("http://127.0.0.1/", True),
        ("https://news.internal.example/a", False),  # a feed on 443 is trusted on 80 and 443
        ("http://news.internal.example/a", False),
        ("http://news.internal.example:8080/admin", True),  # its address unknown: not known to be public
        ("http://10.8.1.1:9000/", False),  # the operator trusts 10.8.0.0/16 on every port
        ("http://intranet.example:9000/", False),
    ],
)
def test_a_feeds_host_is_trusted_on_the_feeds_port_only(url, refused):
    from scrapy import Request

    from newsbot.middlewares import PublicAddressMiddleware, RequestRefused
    from newsbot.sources.feed import FeedSpider

    crawler = get_crawler(settings_dict={"NEWSBOT_TRUSTED_HOSTS": "intranet.example, 10.8.0.0/16"})
    crawler.spider = FeedSpider(url="http://127.0.0.1:8000/feed.xml https://news.internal.example/rss")
    middleware = PublicAddressMiddleware(crawler)
    if refused:
        with pytest.raises(RequestRefused, match="is not the feed's"):
            middleware.process_request(Request(url))
    else:
        middleware.process_request(Request(url))


def test_a_meta_refresh_at_the_top_of_a_large_page_is_followed_without_decoding_the_page():
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from newsbot.middlewares import HeadMetaRefreshMiddleware

    middleware = HeadMetaRefreshMiddleware.from_crawler(get_crawler(settings_dict={"METAREFRESH_ENABLED": True}))
    request = Request("https://news.example/a")
    filler = b"<p>" + "기사 본문 ".encode() * 20_000 + b"</p>"
    moved = HtmlResponse(
        request.url, request=request,
        body=b'<html><head><meta http-equiv="refresh" content="0; url=/b"></head><body>' + filler + b"</body></html>",
    )
    assert middleware.process_response(request, moved).url == "https://news.example/b"
    page = HtmlResponse(request.url, request=request, body=b"<html><head></head><body>" + filler + b"</body></html>")
    assert middleware.process_response(request, page) is page
    assert page._cached_ubody is None  # the crawl process never held the page as text
