"""Counting visitors without knowing them: anonymised IPs and a salted daily hash."""

from __future__ import annotations

import hashlib
import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=8192)
def anonymise_ip(address: str) -> str | None:
    """IPv4 with the last octet zeroed, IPv6 with the last 80 bits zeroed; ``None`` if invalid."""
    head, dot, last = address.rpartition(".")
    if dot and last.isdigit() and ":" not in address and head.count(".") == 2:
        octets = head.split(".")
        if (
            all(
                o.isdigit() and int(o) < 256 and (o == "0" or not o.startswith("0")) for o in octets
            )
            and int(last) < 256
        ):
            return f"{head}.0"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return str(network.network_address)


def visitor_hash(salt: str, address: str, user_agent: str) -> str:
    """The same person (IP + browser) on the same day gives the same 32 hex digits; another
    day's salt gives unrelated ones. Without the salt, which is deleted after a day, the hash
    cannot be traced back to the IP address."""
    digest = hashlib.blake2b(
        f"{address}\x00{user_agent}".encode("utf-8", "surrogateescape"),
        key=salt.encode("ascii"),
        digest_size=16,
    )
    return digest.hexdigest()


def referrer_host(referrer: str) -> str:
    """Only the referring site is kept, never the page: ``https://t.co/abc`` → ``t.co``."""
    if not referrer:
        return ""
    try:
        host = urlsplit(referrer.strip()).hostname or ""
    except ValueError:
        return ""
    return host[:200]


def client_address(peer: str, forwarded_for: str, proxy_count: int) -> str:
    """The client's address: the socket peer, or — behind ``proxy_count`` trusted proxies — the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For)."""
    if proxy_count <= 0 or not forwarded_for:
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    if len(hops) < proxy_count:
        return hops[0] if hops else peer
    return hops[-proxy_count]
