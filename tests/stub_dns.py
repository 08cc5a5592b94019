"""A DNS stand-in for crawls in a child process: ``internal.test`` resolves to the "internal" 127.0.0.2,
``intranet.test`` to 127.0.0.1 (a feed on the operator's own network).

Set with ``-s TWISTED_DNS_RESOLVER=stub_dns.StubResolver`` and this folder on PYTHONPATH. The stub
answers below newsbot's resolver, as a real DNS server would, so the check it makes is the real one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newsbot.network import PublicAddressResolver

ANSWERS = {"internal.test": "127.0.0.2", "intranet.test": "127.0.0.1"}
NO_ADDRESS = ".nxdomain.test"
"""Names ending so have no address (as a host of a dead domain, or any host offline); each lookup is logged."""

logger = logging.getLogger(__name__)


class StubLookup(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802
        if name in ANSWERS:
            return defer.succeed(ANSWERS[name])
        if name.endswith(NO_ADDRESS):
            logger.info("stub DNS: no address for %s", name)
            return defer.fail(DNSLookupError(f"address {name!r} not found"))
        return super().getHostByName(name, timeout)


class StubResolver(PublicAddressResolver, StubLookup):
    """newsbot's resolver over the stub: PublicAddressResolver's lookups go to StubLookup first."""
