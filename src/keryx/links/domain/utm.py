"""The UTM builder: GA4's parameter names, defaults per channel, and URLs put together.

Pure functions: no database, no request.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from keryx.links.enums import EMAIL, OTHER, QRCODE
from keryx.networks.registry import network_keys

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
CODE_PARAMETER = "kx"

# source and medium per channel; campaign and content come from the seminar and the post.
CHANNEL_DEFAULTS: dict[str, tuple[str, str]] = {
    **{network: (network, "social") for network in network_keys(social=True)},
    QRCODE: ("qrcode", "print"),
    EMAIL: ("newsletter", "email"),
    OTHER: ("", ""),
}


def campaign_name(seminar_slug: str, campaign_phase: str = "") -> str:
    """``seminar-slug`` or, for a phase of the campaign, ``seminar-slug_early_bird``."""
    return f"{seminar_slug}_{campaign_phase}" if campaign_phase else seminar_slug


def channel_defaults(
    channel: str, *, seminar_slug: str, campaign_phase: str = "", post_id: int | None = None
) -> dict[str, str]:
    """The UTM parameters Keryx proposes for a link shared on ``channel``."""
    source, medium = CHANNEL_DEFAULTS.get(channel, ("", ""))
    return {
        "utm_source": source,
        "utm_medium": medium,
        "utm_campaign": campaign_name(seminar_slug, campaign_phase),
        "utm_content": f"post-{post_id}" if post_id else "",
        "utm_term": "",
    }


def all_channel_defaults(*, seminar_slug: str) -> dict[str, dict[str, str]]:
    """For the builder's script: what to fill in when the channel changes."""
    return {
        channel: channel_defaults(channel, seminar_slug=seminar_slug)
        for channel in CHANNEL_DEFAULTS
    }


def split_utm(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without its UTM (and ``kx``) parameters, and the UTM parameters it had."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    utm = {k: v for k, v in query if k in UTM_KEYS and v}
    rest = [(k, v) for k, v in query if k not in UTM_KEYS and k != CODE_PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(rest))), utm


def with_parameters(url: str, parameters: Mapping[str, str]) -> str:
    """``url`` with ``parameters`` set (replacing any of the same name), empty ones left out."""
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in parameters
    ]
    query += [(k, v) for k, v in parameters.items() if v]
    return urlunsplit(parts._replace(query=urlencode(query)))


def is_own_site(url: str) -> bool:
    """Whether ``url`` is on Keryx's own site (the seminar pages), where the code may travel."""
    base = urlsplit(settings.KERYX_BASE_URL)
    target = urlsplit(url)
    return (target.scheme, target.hostname, target.port) == (base.scheme, base.hostname, base.port)


def tracked_url(destination: str, utm: Mapping[str, str], *, code: str = "") -> str:
    """Where the redirect sends a visitor: the destination with the UTM parameters, plus
    ``kx=<code>`` when the destination is Keryx's own site (attribution of registrations)."""
    parameters = {key: utm.get(key, "") for key in UTM_KEYS}
    if code and is_own_site(destination):
        parameters[CODE_PARAMETER] = code
    return with_parameters(destination, parameters)


def seminar_page_url(seminar_slug: str) -> str:
    """The seminar's public page, the default destination of its links."""
    return f"{settings.KERYX_BASE_URL}/s/{seminar_slug}/"
