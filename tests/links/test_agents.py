"""User agents as the networks' fetchers and real browsers send them."""

from __future__ import annotations

import pytest

from keryx.links.redirect.agents import classify, classify_request

PREVIEWS = [
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebook"),
    ("Twitterbot/1.0", "twitterbot"),
    (
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "linkedinbot",
    ),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "slackbot"),
    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "discordbot"),
    ("TelegramBot (like TwitterBot)", "telegrambot"),
    ("WhatsApp/2.23.20.0 A", "whatsapp"),
    ("http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)", "mastodon"),
    ("Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", "bluesky"),
]

BOTS = [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "search"),
    ("curl/8.5.0", "client"),
    ("python-requests/2.32.3", "client"),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "bot"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
        "headless",
    ),
    ("", "no-user-agent"),
    ("SomeTool 1.0", "unknown-client"),
]

PEOPLE = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    # In-app browsers of the networks are people, not their preview fetchers.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.109;FBBV/612345678]",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.0.0 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.1",
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize(("agent", "name"), PREVIEWS)
def test_classify_flags_link_preview_fetchers(agent: str, name: str) -> None:
    assert classify(agent) == ("preview", name)


@pytest.mark.parametrize(("agent", "name"), BOTS)
def test_classify_flags_bots(agent: str, name: str) -> None:
    assert classify(agent) == ("bot", name)


@pytest.mark.parametrize("agent", PEOPLE)
def test_classify_counts_browsers_as_people(agent: str) -> None:
    assert classify(agent) == ("human", "")


def test_classify_request_never_counts_a_head_request_as_a_person() -> None:
    assert classify_request("HEAD", PEOPLE[0]) == ("bot", "head")
    assert classify_request("HEAD", "Twitterbot/1.0") == ("preview", "twitterbot")
