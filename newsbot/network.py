"""Which addresses newsbot may connect to, checked on the address a host name resolves to.

Feeds and pages name the URLs newsbot fetches (article links, redirects, images,
sitemap children), so they could point it at the operator's own network: a cloud
metadata endpoint, an admin page on localhost. Only public addresses are reached,
except the hosts the operator named (feed hosts and ``NEWSBOT_TRUSTED_HOSTS``).

The check sits in the DNS resolver Scrapy installs on the reactor
(``TWISTED_DNS_RESOLVER``), which Twisted asks for every connection, so it sees
the address the connection is made to: a name that resolves to a public address
when checked and to a private one when connected (DNS rebinding) cannot slip
through, nor can a redirect. :class:`newsbot.middlewares.PublicAddressMiddleware`
reports its refusals and refuses literal addresses and other schemes up front.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable, Sequence

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 gateways translate these to the IPv4 address in their last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def host_key(host: str) -> str:
    """A host name as compared here: lower case, without the root's trailing dot."""
    return host.lower().rstrip(".")


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address.

    Loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16, fe80::/10),
    multicast, unspecified, shared (100.64.0.0/10) and reserved ranges are not; nor
    is an IPv6 address that embeds one of those IPv4 addresses (mapped, 6to4, NAT64).
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not address.is_multicast


class AddressPolicy:
    """Public addresses, plus the host names, addresses and networks the operator trusts."""

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self.names: set[str] = set()
        self.networks: set[ipaddress.IPv4Network | ipaddress.IPv6Network] = set()
        self.trust(trusted)

    def trust(self, entries: Iterable[str]) -> None:
        """Trust host names (``intranet.example``), addresses (``10.0.0.5``) and networks (``10.0.0.0/8``)."""
        for entry in entries:
            entry = host_key(entry.strip().strip("[]"))
            if not entry:
                continue
            try:
                self.networks.add(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.names.add(entry)

    def trusts_name(self, host: str) -> bool:
        return host_key(host) in self.names

    def allows(self, address: str | IPAddress) -> bool:
        """Whether newsbot may connect to ``address``."""
        if isinstance(address, str):
            address = ipaddress.ip_address(address)
        return is_public_address(address) or any(address in network for network in self.networks)


class NonPublicAddress(DNSLookupError):
    """A host name resolved to an address newsbot does not connect to.

    A DNS failure to Twisted (which then reports the lookup as giving no address, quietly);
    the resolver keeps the reason in :attr:`PublicAddressResolver.refused`.
    """


class PublicAddressResolver(CachingThreadedResolver):
    """Scrapy's default resolver, refusing names that resolve to addresses the policy does not allow.

    Set as ``TWISTED_DNS_RESOLVER``. Twisted asks it for every connection, literal addresses
    included. One resolver serves the whole process, so its policy trusts what every crawler
    in it trusts (they share one operator).
    """

    def __init__(self, reactor, cache_size: int, timeout: float) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = AddressPolicy()
        self.refused: LocalCache[str, str] = LocalCache(10_000)
        """Host name (:func:`host_key`) -> the non-public address it resolved to, for the middleware to say why."""
        self.trusted_addresses: LocalCache[str, str] = LocalCache(10_000)
        """Trusted host name (:func:`host_key`) -> the address it last resolved to: the middleware
        trusts a feed's host on the feed's port only, and checks this address for its other ports."""
        self.unresolved: LocalCache[str, float] = LocalCache(10_000)
        """Host name (:func:`host_key`) -> when (``time.monotonic()``) a lookup of it last gave no address:
        the middleware fails the host's next requests at once instead of queueing them for the same answer."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted's name)
        resolved = super().getHostByName(name, timeout)
        if self.policy.trusts_name(name):
            resolved.addCallback(self._remember, name)
        else:
            resolved.addCallback(self._allowed, name)
        resolved.addErrback(self._unresolved, name)
        return resolved

    def _unresolved(self, failure: Failure, name: str) -> Failure:
        if failure.check(DNSLookupError) and not failure.check(NonPublicAddress):
            self.unresolved[host_key(name)] = time.monotonic()
        return failure

    def _remember(self, address: str, name: str) -> str:
        self.trusted_addresses[host_key(name)] = address
        self.unresolved.pop(host_key(name), None)
        return address

    def _allowed(self, address: str, name: str) -> str:
        if not self.policy.allows(address):
            self.refused[host_key(name)] = address
            raise NonPublicAddress(f"{name} resolves to {address}, not a public address")
        self.unresolved.pop(host_key(name), None)  # found again (a request sent before the failure)
        return address
