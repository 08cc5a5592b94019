"""A DNS stand-in for crawls in a child process: ``internal.test`` resolves to the "internal" 127.0.0.2,
``intranet.test`` to 127.0.0.1 (a feed on the operator's own network).

Set with ``-s TWISTED_DNS_RESOLVER=stub_dns.StubResolver`` and this folder on PYTHONPATH. The stub
answers below newsbot's resolver, as a real DNS server would, so the check it makes is the real one.
"""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from newsbot.network import PublicAddressResolver

ANSWERS = {"internal.test": "127.0.0.2", "intranet.test": "127.0.0.1"}


class StubLookup(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802
        if name in ANSWERS:
            return defer.succeed(ANSWERS[name])
        return super().getHostByName(name, timeout)


class StubResolver(PublicAddressResolver, StubLookup):
    """newsbot's resolver over the stub: PublicAddressResolver's lookups go to StubLookup first."""
