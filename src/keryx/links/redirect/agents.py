"""Who is clicking: a person, a link-preview fetcher, or another bot.

Social networks fetch a link as soon as it is posted (to draw the preview card), and Mastodon
does it from every instance that receives the post; counting those as people would inflate
every number. The patterns are data: a new fetcher is one line here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

PREVIEW: Final = "preview"
BOT: Final = "bot"
HUMAN: Final = "human"

# (pattern, name), checked in order; the name is stored with the click.
PREVIEW_FETCHERS: tuple[tuple[str, str], ...] = (
    (r"facebookexternalhit|facebookcatalog|meta-externalagent|meta-externalfetcher", "facebook"),
    (r"twitterbot", "twitterbot"),
    (r"linkedinbot", "linkedinbot"),
    (r"slackbot|slack-imgproxy", "slackbot"),
    (r"discordbot", "discordbot"),
    (r"telegrambot", "telegrambot"),
    (r"whatsapp", "whatsapp"),
    # Every Mastodon instance fetches the card itself: "http.rb/5.1.1 (Mastodon/4.2.0; +https://…)".
    (r"mastodon/", "mastodon"),
    (r"pleroma|akkoma|misskey|friendica|gotosocial", "fediverse"),
    # Bluesky's card service: "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:…)".
    (r"cardyb", "bluesky"),
    (r"skypeuripreview|microsoftpreview", "microsoft"),
    (r"pinterest", "pinterest"),
    (r"redditbot", "redditbot"),
    (r"viber", "viber"),
    (r"snapchat", "snapchat"),
    (r"iframely|embedly|outbrain|vkshare|google-pagerenderer|googleother", "embed"),
    (r"applebot|iMessage|com\.apple\.messages", "apple"),
    (r"preview", "preview"),
)

BOTS: tuple[tuple[str, str], ...] = (
    (r"googlebot|bingbot|yandex|baiduspider|duckduckbot|petalbot|bytespider", "search"),
    (r"gptbot|chatgpt|claudebot|claude-web|anthropic|perplexity|ccbot|amazonbot", "ai-crawler"),
    (r"headlesschrome|phantomjs|puppeteer|playwright|selenium|lighthouse", "headless"),
    (r"uptimerobot|pingdom|statuscake|monitor", "monitor"),
    (
        r"curl/|wget/|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|"
        r"okhttp|java/|libwww|node-fetch|axios|httpclient|scrapy|http\.rb|\bwrk\b",
        "client",
    ),
    # "(?<!cu)": Cubot is a phone brand, not a bot.
    (r"(?<!cu)bot\b|crawler|crawl|spider|slurp|scan|checker|archiver|fetch", "bot"),
)

_PREVIEW_RE = re.compile(
    "|".join(f"(?P<p{i}>{p})" for i, (p, _n) in enumerate(PREVIEW_FETCHERS)), re.I
)
_BOT_RE = re.compile("|".join(f"(?P<b{i}>{p})" for i, (p, _n) in enumerate(BOTS)), re.I)


@lru_cache(maxsize=4096)
def classify(user_agent: str) -> tuple[str, str]:
    """``(kind, agent)``: kind is ``human``, ``preview`` or ``bot``; agent names the fetcher."""
    ua = user_agent.strip()
    if not ua:
        return BOT, "no-user-agent"
    found = _PREVIEW_RE.search(ua)
    if found is not None and found.lastgroup is not None:
        return PREVIEW, PREVIEW_FETCHERS[int(found.lastgroup[1:])][1]
    found = _BOT_RE.search(ua)
    if found is not None and found.lastgroup is not None:
        return BOT, BOTS[int(found.lastgroup[1:])][1]
    if not ua.lower().startswith("mozilla/") and "opera" not in ua.lower():
        # Every browser of the last twenty years says "Mozilla/5.0 …" first.
        return BOT, "unknown-client"
    return HUMAN, ""


def classify_request(method: str, user_agent: str) -> tuple[str, str]:
    """A HEAD request is a link checker or a preview probing the target, never a person."""
    if method == "HEAD":
        kind, agent = classify(user_agent)
        return (kind if kind != HUMAN else BOT), (agent or "head")
    return classify(user_agent)
