"""Downloader middlewares: the User-Agent, and the guards on what content can make newsbot request;
the spider middleware that stops a crawl which cannot go on."""

from __future__ import annotations

import ipaddress
import logging
import time
from urllib.parse import ParseResult, SplitResult, urljoin, urlsplit
from urllib.request import getproxies

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

import newsbot
from newsbot.config import RunError, stop_crawl, trusted_host
from newsbot.network import AddressPolicy, PublicAddressResolver, host_key

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(url: SplitResult | ParseResult) -> int:
    """The port ``url`` connects to: the one it names, else its scheme's."""
    return url.port or _DEFAULT_PORTS.get(url.scheme, 80)


class RequestRefused(IgnoreRequest):
    """A request newsbot does not make, or a response it does not read; logged and counted where raised.

    Not an error of the run: the content asked for something unsafe (a non-public address,
    a scheme other than http/https, an endless redirect chain, a body that inflates too far).
    """


def is_robots_txt(request: Request) -> bool:
    """Whether Scrapy's RobotsTxtMiddleware made ``request``."""
    return bool(request.meta.get("dont_obey_robotstxt")) and urlparse_cached(request).path == "/robots.txt"


class ContactUserAgentMiddleware:
    """``newsbot/<version> (+<NEWSBOT_CONTACT_URL>)`` on every request, so site owners can reach us.

    An explicit ``USER_AGENT`` setting (other than Scrapy's default) wins.
    """

    contact_url = "https://github.com/newsbot/newsbot"

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        contact = settings.get("NEWSBOT_CONTACT_URL", cls.contact_url)
        configured = settings.get("USER_AGENT", "")
        if (settings.getpriority("USER_AGENT") or 0) > 0:
            return cls(configured)
        return cls(newsbot.contact_user_agent(contact))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent)


class PublicAddressMiddleware:
    """Refuses requests to non-public addresses and to schemes other than http and https.

    Trusted: the hosts of the spider's feed URLs, of the environment's proxies and of
    ``NEWSBOT_TRUSTED_HOSTS``. A feed's host is trusted on the feed's port (on both 80 and 443 when
    the feed is on one of them): its other ports may be other services of that machine, so they
    are reached only when the host is public. The check on
    the address connected to is :class:`~newsbot.network.PublicAddressResolver`'s; its refusal
    reaches this middleware as a failed DNS lookup, turned here into :class:`RequestRefused`
    before the retry middleware would try again. A literal address, and a name refused before
    in this run, are refused here without a connection. Every redirect hop is a new request
    and passes here again. Each refusal is counted; the first for a host is logged.

    A host name whose lookup gave no address in the last :attr:`unresolved_seconds` fails its
    requests here at once, without a retry: offline, a source's thirteen feeds and their retries
    would otherwise each wait their turn under the download delay for the same answer.
    """

    trusted_hosts: list[str] = []
    unresolved_seconds: float = 60.0
    """How long after a lookup of a host gave no address its requests fail without asking again."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        feeds = crawler.spider.feed_urls() if hasattr(crawler.spider, "feed_urls") else []
        # The proxies of the environment (http_proxy, ...) are the operator's too; names behind them
        # are resolved by the proxy, which must do its own filtering.
        proxies = getproxies() if crawler.settings.getbool("HTTPPROXY_ENABLED") else {}
        proxies.pop("no", None)  # the no_proxy list, not a proxy
        operators = [urlsplit(url).hostname or "" for url in proxies.values()]
        operators += [trusted_host(host) for host in crawler.settings.getlist("NEWSBOT_TRUSTED_HOSTS", self.trusted_hosts)]
        self.operators = AddressPolicy(operators)
        """What the operator trusts on every port: the proxies and ``NEWSBOT_TRUSTED_HOSTS``."""
        self.feed_ports: dict[str, set[int]] = {}
        """A feed host (:func:`host_key`) -> the ports it is trusted on."""
        feed_hosts = []
        for url in feeds:
            parts = urlsplit(url)
            feed_hosts.append(parts.hostname or "")
            port = _port(parts)
            ports = self.feed_ports.setdefault(host_key(parts.hostname or ""), set())
            ports.update(_DEFAULT_PORTS.values() if port in _DEFAULT_PORTS.values() else (port,))
        self.trusted = feed_hosts + operators
        self.logged_hosts: set[str] = set()
        self._resolver: PublicAddressResolver | None = None
        self._policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublicAddressMiddleware:
        return cls(crawler)

    @property
    def policy(self) -> AddressPolicy:
        self._attach()
        assert self._policy is not None
        return self._policy

    def _attach(self) -> None:
        """Share the resolver's policy and give it this crawler's trusted hosts, on first use: Scrapy
        installs the resolver when the process starts, after the middlewares are built."""
        if self._policy is not None:
            return
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        if isinstance(resolver, PublicAddressResolver):
            self._resolver, self._policy = resolver, resolver.policy
        else:
            self._policy = AddressPolicy()
            logger.warning(
                "TWISTED_DNS_RESOLVER is not newsbot.network.PublicAddressResolver: host names are not "
                "checked on the address they resolve to, only literal addresses in URLs"
            )
        self._policy.trust(self.trusted)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        url = urlparse_cached(request)
        if url.scheme not in ("http", "https"):
            self.refuse(request, "refused_scheme", url.scheme + ":", f"the {url.scheme}: scheme is not fetched")
        host = url.hostname or ""
        reason = self._other_port_of_feed_host(host, _port(url))
        if reason:
            self.refuse(request, "refused_address", host, reason)
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            reason = self._refused_name(host)  # a name once resolved to a non-public address stays refused
            if reason:
                self.refuse(request, "refused_address", host, reason)
            self._fail_if_unresolved(request, host)
            return None
        if not self.policy.allows(address):
            self.refuse(request, "refused_address", host, f"{host} is not a public address")
        return None

    def _fail_if_unresolved(self, request: Request, host: str) -> None:
        """Fail ``request`` as its host's lookup did moments ago (a DNS failure, not retried)."""
        self._attach()
        failed_at = self._resolver.unresolved.get(host_key(host)) if self._resolver is not None else None
        age = time.monotonic() - failed_at if failed_at is not None else self.unresolved_seconds
        if age >= self.unresolved_seconds:
            return
        request.meta["dont_retry"] = True
        self.stats.inc_value("newsbot/dns/failed_without_lookup")
        raise CannotResolveHostError(
            f"DNS lookup failed: {host} had no address {age:.0f} s ago (not asked again for {self.unresolved_seconds:.0f} s)"
        )

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        host = urlparse_cached(request).hostname or ""
        reason = self._refused_name(host) if isinstance(exception, CannotResolveHostError) else ""
        if reason:
            self.refuse(request, "refused_address", host, reason)

    def _other_port_of_feed_host(self, host: str, port: int) -> str:
        """Why a request to ``port`` of a feed's host is refused: not a port the feed is on, and the host
        (its address, or the address its name last resolved to) is not public nor trusted by the
        operator. Empty when it is not refused here."""
        ports = self.feed_ports.get(host_key(host))
        if ports is None or port in ports or self.operators.trusts_name(host):
            return ""
        try:
            address: str | None = str(ipaddress.ip_address(host.strip("[]")))
        except ValueError:
            self._attach()
            address = self._resolver.trusted_addresses.get(host_key(host)) if self._resolver is not None else None
        if address is not None and self.operators.allows(address):
            return ""
        return f"port {port} of the feed's host {host} is not the feed's, and {host} is not a public address"

    def _refused_name(self, host: str) -> str:
        """Why the resolver refused ``host`` in this run; empty when it did not."""
        self._attach()
        address = self._resolver.refused.get(host_key(host)) if self._resolver is not None else None
        return f"{host} resolves to {address}, not a public address" if address else ""

    def refuse(self, request: Request, event: str, host: str, reason: str) -> None:
        if is_robots_txt(request):
            raise IgnoreRequest(reason)  # as if there were none; the request it is for is refused and counted
        self.stats.inc_value(f"newsbot/ssrf/{event}")
        if host not in self.logged_hosts:
            self.logged_hosts.add(host)
            logger.warning("refused %s: %s (further requests to %s refused quietly)", request.url, reason, host)
        raise RequestRefused(reason)


class UnreachableRobotsTxtMiddleware:
    """A robots.txt that cannot be fetched at all (no DNS, no connection, refused) counts as none, quietly.

    That is Scrapy's rule already, but it logs an error with a traceback for each such host,
    an image CDN with no DNS answer say. The page or image the robots.txt was fetched for
    then fails the same way and says so in one line. Runs before RetryMiddleware in the
    exception order, so such a robots.txt is not retried either.
    """

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if is_robots_txt(request) and not isinstance(exception, IgnoreRequest):
            logger.debug("robots.txt unreachable, none assumed: %s (%s)", request.url, exception)
            raise IgnoreRequest(f"robots.txt unreachable: {exception}")


class RedirectLoopMiddleware:
    """Ends a redirect chain that comes back to a URL it passed or reaches ``REDIRECT_MAX_TIMES``, with a warning.

    Scrapy ends both without a word: the duplicate filter drops a redirect back to a fetched
    URL, and the redirect middleware discards a long chain at debug level. Placed just
    before Scrapy's RedirectMiddleware in the response order.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")
        self.spider = crawler.spider

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if response.status not in REDIRECT_STATUSES or b"Location" not in response.headers or not self._follows(request, response):
            return response
        target = urljoin(request.url, safe_url_string(response.headers[b"Location"])).split("#", 1)[0]
        passed = [url.split("#", 1)[0] for url in [*request.meta.get("redirect_urls", []), request.url]]
        if target in passed:
            reason = f"redirect loop: {request.url} leads back to {target}"
        elif request.meta.get("redirect_times", 0) >= self.max_redirects:
            reason = f"more than {self.max_redirects} redirects (REDIRECT_MAX_TIMES) from {passed[0]}"
        else:
            return response
        self.stats.inc_value("newsbot/bomb/redirect_loop")
        logger.warning("%s", reason)
        raise RequestRefused(reason)

    def _follows(self, request: Request, response: Response) -> bool:
        """Whether Scrapy's RedirectMiddleware would follow this response."""
        meta = request.meta
        handled = [*getattr(self.spider, "handle_httpstatus_list", ()), *meta.get("handle_httpstatus_list", ())]
        return not (meta.get("dont_redirect") or meta.get("handle_httpstatus_all") or response.status in handled)


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, which stops a body inflating past ``DOWNLOAD_MAXSIZE``; counts it as a bomb.

    Scrapy logs the warning line; the article's errback sees :class:`RequestRefused`.
    """

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            self.stats.inc_value("newsbot/bomb/inflated_body")
            raise RequestRefused(str(exc)) from exc


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``<meta http-equiv="refresh">`` redirects, looked for in the page's first 16 KB.

    Scrapy reads the first 4,096 characters of ``response.text``, which decodes the whole page
    and keeps the text on the response until it is parsed: in the crawl process, which never
    reads a page otherwise (the workers decode it), that is a second copy of every page in flight.
    4,096 characters take at most 16 KB.
    """

    head_bytes = 16 * 1024

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        if not isinstance(response, HtmlResponse) or len(response.body) <= self.head_bytes:
            return super().process_response(request, response)
        # Not response.replace(): it copies the encoding, and finding that decodes a page that declares none.
        head = HtmlResponse(
            response.url, status=response.status, headers=response.headers, body=response.body[: self.head_bytes],
            request=response.request,
        )
        result = super().process_response(request, head)
        return response if result is head else result


class StopOnRunErrorMiddleware:
    """A callback raising :class:`~newsbot.config.RunError` (Redis gone mid-run) stops the crawl with
    that one line and exit status 1, instead of a traceback per page until the run ends."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopOnRunErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> list | None:
        if not isinstance(exception, RunError):
            return None  # a bug: Scrapy logs it with its traceback
        stop_crawl(self.crawler, str(exception))
        return []
