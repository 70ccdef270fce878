"""A link card for Bluesky (``app.bsky.embed.external``): the page's Open Graph title,
description and image, read as the official app does when a link is posted
(https://docs.bsky.app/docs/advanced-guides/posts#website-card-embeds). Best effort: a page
that cannot be read gets a card with its address as the title."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from keryx.core.http import OutboundClient, OutboundError, check_public_url

MAX_PAGE_BYTES = 1_000_000
MAX_THUMB_BYTES = 1_000_000  # lexicons/app/bsky/embed/external.json: thumb maxSize 1000000
_META = re.compile(r"<meta\s[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z:_-]+)\s*=\s*("([^"]*)"|\'([^\']*)\')')
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Card:
    uri: str
    title: str
    description: str = ""
    image_url: str = ""


def parse_card(uri: str, page: str) -> Card:
    found: dict[str, str] = {}
    for tag in _META.findall(page):
        attrs = {m.group(1).lower(): m.group(3) or m.group(4) or "" for m in _ATTR.finditer(tag)}
        key = attrs.get("property") or attrs.get("name") or ""
        if key.lower() in {"og:title", "og:description", "og:image", "description"}:
            found.setdefault(key.lower(), html.unescape(attrs.get("content", "")).strip())
    title = found.get("og:title") or ""
    if not title and (match := _TITLE.search(page)):
        title = html.unescape(re.sub(r"\s+", " ", match.group(1))).strip()
    image = found.get("og:image", "")
    return Card(
        uri=uri,
        title=title[:300] or (urlsplit(uri).hostname or uri),
        description=(found.get("og:description") or found.get("description") or "")[:1000],
        image_url=urljoin(uri, image) if image else "",
    )


def _get(url: str, *, accept: str) -> tuple[bytes, str]:
    """GET with up to three redirects, each to a public address."""
    with OutboundClient(service="link preview") as http:
        for _hop in range(4):
            check_public_url(url)
            response = http.get(url, headers={"Accept": accept})
            if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200:
                raise OutboundError(f"HTTP {response.status_code}")
            return response.content, response.headers.get("content-type", "")
    raise OutboundError("too many redirects")


def fetch_card(uri: str) -> Card:
    try:
        body, kind = _get(uri, accept="text/html")
    except OutboundError:
        return Card(uri=uri, title=urlsplit(uri).hostname or uri)
    if "html" not in kind or len(body) > MAX_PAGE_BYTES:
        return Card(uri=uri, title=urlsplit(uri).hostname or uri)
    return parse_card(uri, body.decode("utf-8", errors="replace"))


def fetch_thumb(card: Card) -> tuple[bytes, str] | None:
    if not card.image_url:
        return None
    try:
        body, kind = _get(card.image_url, accept="image/*")
    except OutboundError:
        return None
    mime = kind.split(";")[0].strip()
    if not mime.startswith("image/") or len(body) > MAX_THUMB_BYTES:
        return None
    return body, mime
