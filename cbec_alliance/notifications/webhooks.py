"""Webhooks: URL safety (no server-side request forgery), signing, and the HTTP POST."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _

SIGNATURE_HEADER = "X-Alliance-Signature"
DELIVERY_HEADER = "X-Alliance-Delivery"
EVENT_HEADER = "X-Alliance-Event"


class UnsafeURL(ValueError):
    """The URL is not allowed as a webhook target."""


def sign(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the body>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 forms that carry an IPv4 address a router or the host may turn back into IPv4: each
# is refused outright, whatever the IPv4 address (nobody serves a webhook there).
_IPV4_CARRIERS = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::ffff:0:0/96",  # IPv4-mapped
        "::/96",  # IPv4-compatible (deprecated), `::` and `::1` included
        "64:ff9b::/96",  # NAT64, well-known prefix
        "64:ff9b:1::/48",  # NAT64, local-use prefix
        "2001::/32",  # Teredo (the client's IPv4 address is inside, obfuscated)
        "fec0::/10",  # site-local (deprecated, yet some Pythons call it global)
    )
)
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")


def _address_allowed(ip: IPAddress, allow_loopback: bool) -> bool:
    """Whether a webhook may be sent to `ip` (loopback only where `allow_loopback`)."""
    if ip.is_loopback:
        return allow_loopback
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _IPV4_CARRIERS):
            return False
        # 6to4 reaches the IPv4 address in bits 16-48 through a relay: judge that one too.
        relayed = ip.sixtofour if ip in _SIX_TO_FOUR else None
        if relayed is not None and not _address_allowed(relayed, allow_loopback=False):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_url(url: str) -> None:
    """Raise UnsafeURL unless every address the host resolves to is allowed.

    Production refuses loopback, private, link-local and reserved addresses, and IPv6 forms
    that embed an IPv4 address (mapped, compatible, NAT64, Teredo, and 6to4 around a refused
    one); development and testing allow loopback so a receiver on this machine can be used.
    `post` calls it again before every attempt, so a name that resolves elsewhere by then
    is refused at send time too.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(_("must be an http or https URL with a host"))
    if parts.username or parts.password:
        raise UnsafeURL(_("must not carry credentials"))
    allow_loopback = current_app.config["WEBHOOK_ALLOW_LOOPBACK"]
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(_("host does not resolve: %(exc)s", exc=exc)) from None
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not _address_allowed(ip, allow_loopback):
            raise UnsafeURL(_("resolves to a non-public address (%(ip)s)", ip=ip))


def post(url: str, secret: str, body: bytes, delivery_uid: str, event_type: str):
    """POST a signed delivery; returns (status_code or None, error or None, milliseconds)."""
    started = time.monotonic()
    try:
        check_url(url)  # again at send time: DNS may have changed since creation
        resp = requests.post(
            url,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(secret, body),
                DELIVERY_HEADER: delivery_uid,
                EVENT_HEADER: event_type,
                "User-Agent": "CBEC-Alliance-Webhooks/1",
            },
            timeout=current_app.config["WEBHOOK_TIMEOUT"],
            allow_redirects=False,
        )
        ms = int((time.monotonic() - started) * 1000)
        if 200 <= resp.status_code < 300:
            return resp.status_code, None, ms
        return resp.status_code, f"HTTP {resp.status_code}", ms
    except UnsafeURL as exc:
        return None, f"refused: {exc}", int((time.monotonic() - started) * 1000)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], int((time.monotonic() - started) * 1000)
