"""Which address a request comes from: the socket's peer, or what a trusted proxy says it forwarded.

Failed sign-ins are counted per client address. Behind a reverse proxy every request's peer is
the proxy, so counting the peer would let one person's failures hold up everyone behind it;
but `X-Forwarded-For` is only a header, which anyone can send. So the header is read only when
the peer is a proxy the configuration names (`serve --trusted-proxy`, or
REVIEWLEDGER_TRUSTED_PROXIES), and then from the right: each proxy appends the address it saw,
so the first address from the right that is not itself a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from litestar import Request

from domain.kernel.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
TRUSTED_PROXIES_VARIABLE = "REVIEWLEDGER_TRUSTED_PROXIES"
STATE_KEY = "trusted_proxies"  # where the application's state keeps the configured proxies


def trusted_proxies(values: Iterable[str], field: str = "--trusted-proxy") -> tuple[Network, ...]:
    """Parse addresses or networks (`10.0.0.5`, `10.0.0.0/24`, `::1`); bad input names the field."""
    found: list[Network] = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        try:
            found.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise InvalidInput(
                field, "must be an IP address or network, e.g. 10.0.0.5 or 10.0.0.0/24"
            ) from None
    return tuple(found)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> str:
    """The client's address: the peer's, unless a trusted proxy sent `X-Forwarded-For` (its values, in order)."""
    if peer is None:
        return "unknown"
    sender = _address(peer)
    if sender is None or not _trusted(sender, proxies):
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(sender)  # a hop that is not an address: nothing before it can be believed
        if not _trusted(address, proxies):
            return str(address)
        sender = address
    return str(sender)


def request_client(request: Request[Any, Any, Any]) -> str:
    """The client address of a request, by the proxies the application was configured to trust."""
    proxies: tuple[Network, ...] = request.app.state.get(STATE_KEY, ())
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getall("x-forwarded-for", []), proxies)
