"""Who the client is behind a reverse proxy: decided once, for every request, in one place.

``strategistatus serve`` starts uvicorn with its own proxy handling off, so a request's
address is the machine that opened the connection (the TCP peer) and its scheme is what that
connection spoke. This ASGI middleware stands outermost and changes them only when the peer
is one of ``trusted_proxies`` in ``strategistatus.toml`` (addresses or networks such as
``10.0.0.0/24``; empty by default: nobody is trusted):

* ``X-Forwarded-For``: the client is the right-most address in it that is not itself a
  trusted proxy (the addresses to its left were written by whoever sent the request, and
  may be made up). If any entry is not an IP address, the header is ignored as a whole.
* ``X-Forwarded-Proto``: ``http`` or ``https`` (the right-most value, from the nearest
  proxy) becomes the scheme; anything else is ignored.
* ``Forwarded`` (RFC 7239) is ignored: configure the proxy to send X-Forwarded-For.

From any other peer these headers are ignored. Everything after this (the sign-in throttle,
the audit log, Secure cookies, HSTS) sees the same address and scheme.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from strategistatus.errors import WorkspaceError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
SCHEMES = {"http": {"http": "http", "https": "https"}, "websocket": {"http": "ws", "https": "wss"}}


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies as networks (a single address is a network of one); a
    WorkspaceError naming the entry that is neither (the server does not start)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            raise WorkspaceError(f"strategistatus.toml: trusted_proxies: {entry!r} is not an "
                                 "IP address or a network such as 10.0.0.0/24") from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: ``10.0.0.5``, ``2001:db8::5``, ``[2001:db8::5]``,
    with or without a port (``10.0.0.5:5123``, ``[2001:db8::5]:443``); None if it is not one.
    An IPv4 address written as IPv6 (``::ffff:10.0.0.5``) is taken as the IPv4 address."""
    text = text.strip()
    port = ""
    if text.startswith("[") and "]" in text:
        text, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                return None
            port = rest[1:]
    elif text.count(":") == 1:  # IPv4 with a port
        text, _, port = text.partition(":")
    if port and not (port.isascii() and port.isdigit() and int(port) < 65536):
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address.version == n.version and address in n
                                       for n in networks)


def forwarded_client(value: str, networks: tuple[Network, ...]) -> str | None:
    """The client named by an X-Forwarded-For value: the right-most address that is not a
    trusted proxy (the left-most if all are); None if any entry is not an address."""
    addresses = [parse_address(part) for part in value.split(",")]
    if not addresses or any(a is None for a in addresses):
        return None
    for address in reversed(addresses):
        if not is_trusted(address, networks):
            return str(address)
    return str(addresses[0])


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    """All values of a request header, joined by commas in the order they came; None if
    the request has none."""
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == name]
    return ",".join(values) if values else None


def forwarded_scope(scope: dict[str, Any], networks: tuple[Network, ...]) -> dict[str, Any]:
    """``scope`` with the client and scheme the trusted proxy forwarded; unchanged if the
    peer is not a trusted proxy or sent nothing usable."""
    peer = scope.get("client")
    if not networks or not peer or not is_trusted(parse_address(str(peer[0])), networks):
        return scope
    scope = dict(scope)
    forwarded_for = _header(scope, b"x-forwarded-for")
    client = forwarded_client(forwarded_for, networks) if forwarded_for is not None else None
    if client is not None:
        scope["client"] = (client, 0)
    proto = _header(scope, b"x-forwarded-proto")
    if proto is not None:
        scheme = SCHEMES[scope["type"]].get(proto.split(",")[-1].strip().lower())
        if scheme is not None:
            scope["scheme"] = scheme
    return scope


class TrustedProxies:
    """Set the client address and scheme from a trusted proxy's headers (see above)."""

    def __init__(self, app: Any, *, networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] in SCHEMES:
            scope = forwarded_scope(scope, self.networks)
        await self.app(scope, receive, send)
