"""The client's address, read the one configured way for lockouts and download logs."""

import ipaddress

from django.conf import settings
from ipware import get_client_ip


def meta_key(header: str) -> str:
    """`X-Forwarded-For` -> `HTTP_X_FORWARDED_FOR`, as Django stores request headers."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_ip(request) -> str | None:
    """The address of the person making the request.

    Without DJANGO_CLIENT_IP_HEADER only the socket's address counts: a header the
    client sent itself must never decide whose lockout it shares. Behind
    DJANGO_PROXY_COUNT proxies the header must hold exactly the client and the
    proxies before the last one (the last is the socket's address); a chain with
    more entries carries addresses the client made up, so the socket's address
    is used instead of believing any of them. The header is read only when the
    socket's address is one of DJANGO_TRUSTED_PROXIES: a client talking to the app
    server directly could otherwise send a new made-up address with every try and
    never be locked out.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.CLIENT_IP_HEADER
    if not header or not from_trusted_proxy(remote):
        return remote
    ip, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        # ipware counts the proxies listed in the header, which is every proxy but
        # the one the app's socket is connected to.
        proxy_count=max(settings.CLIENT_IP_PROXY_COUNT - 1, 0),
        request_header_order=[meta_key(header)],
        strict=True,
    )
    return ip or remote


def from_trusted_proxy(remote: str | None) -> bool:
    """Whether the connecting address is one of the configured proxies' networks."""
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return any(address in network for network in settings.TRUSTED_PROXIES)
