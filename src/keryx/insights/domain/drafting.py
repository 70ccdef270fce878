"""AI drafting for the composer: draft a post from the seminar and a theme, rewrite a text for one
network within its limits, translate Greek ↔ English, suggest hashtags.

What is sent is decided here and nowhere else (decision 0910): the seminar's public description
(title, one-line summary, description, date, format, city, official hashtags, the titles of its
agenda sessions), the chosen theme's guide, and the text the user typed. Never a speaker's,
registrant's or team member's name or address, nothing from the inbox, nothing from surveys.
Every answer carries the exact messages sent (``prompt``) so the composer can show them.

A rewrite is checked with the composer's own rules (:func:`keryx.networks.rules.check_text`
with the account's limits); when it is over the network's limit Keryx asks once more with a
tighter instruction, and if it is still over it says so beside the suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from keryx.content.domain.checks import options_for, policy_of
from keryx.content.themes import GUIDES
from keryx.core.errors import ValidationFailed
from keryx.core.text import extract_hashtags, normalize_hashtag
from keryx.insights.ai_client import ai_complete
from keryx.networks.models import NetworkAccount
from keryx.networks.registry import spec
from keryx.networks.rules import CheckOptions, TextCheck, check_text
from keryx.seminars.models import Seminar

LANGUAGES = {"el": "Greek", "en": "English"}
MAX_SESSIONS = 20
MAX_DESCRIPTION = 2000
MAX_TEXT = 5000
TOO_LONG = {"text.too_long", "text.too_many_bytes"}
# A second try aims below the limit: models count characters loosely.
TIGHTER = 0.85

SYSTEM = (
    "You help the social media manager of a seminar write posts. Write only the post itself: "
    "no preamble, no explanations, no quotation marks around it. Never invent facts, names, "
    "prices or dates that are not given. Keep links and official hashtags exactly as given."
)


@dataclass
class Suggestion:
    """One answer of the model, with what was asked and what Keryx checked."""

    kind: str  # draft | rewrite | translate | hashtags
    text: str
    prompt: list[dict[str, str]]
    hashtags: list[str] = field(default_factory=list)
    check: dict[str, Any] | None = None
    retried: bool = False
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "hashtags": self.hashtags,
            "prompt": self.prompt,
            "check": self.check,
            "retried": self.retried,
            "notes": self.notes,
        }


# --- what is sent -------------------------------------------------------------------------


def seminar_facts(seminar: Seminar) -> str:
    """The seminar as the model sees it: its public description only (decision 0910)."""
    local = seminar.starts_at.astimezone(_zone(seminar.time_zone))
    lines = [
        f"Seminar: {seminar.title}",
        f"Summary: {seminar.summary}" if seminar.summary else "",
        f"Date: {local:%Y-%m-%d %H:%M} ({seminar.time_zone})",
        f"Format: {seminar.format}",
        f"City: {seminar.venue_city}" if seminar.venue_city and seminar.format != "online" else "",
        f"Official hashtags: {' '.join(seminar.hashtags)}" if seminar.hashtags else "",
    ]
    sessions = list(
        seminar.sessions.order_by("starts_at", "pk").values_list("title", flat=True)[:MAX_SESSIONS]
    )
    if sessions:
        lines.append("Agenda topics:\n" + "\n".join(f"- {title}" for title in sessions))
    if seminar.description:
        lines.append("Description:\n" + seminar.description[:MAX_DESCRIPTION])
    return "\n".join(line for line in lines if line)


def theme_guide(theme: str) -> str:
    guide = GUIDES.get(theme)
    if guide is None:
        return ""
    with translation.override("en"):
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(guide.structure, 1))
        return f"Theme: {guide.label}: {guide.purpose}\nStructure:\n{steps}"


def _zone(name: str) -> Any:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _language(code: str) -> str:
    return LANGUAGES.get(code, "Greek")


def _text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            fields={"text": [_("Use at most %(n)s characters.") % {"n": MAX_TEXT}]}
        )
    return text


def _messages(user: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def clean_answer(answer: str) -> str:
    """The post without what models wrap around it (a code fence, quotes, a "Post:" label)."""
    text = answer.strip()
    fence = re.fullmatch(r"```[\w-]*\n?(.*?)\n?```", text, flags=re.DOTALL)
    if fence:
        text = fence.group(1).strip()
    text = re.sub(r"^(post|ανάρτηση)\s*:\s*", "", text, flags=re.IGNORECASE)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'«“":
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] in "«“" and text[-1] in "»”":
        text = text[1:-1].strip()
    return text


# --- the four features --------------------------------------------------------------------


def draft_post(*, seminar: Seminar, theme: str, language: str, notes: str = "") -> Suggestion:
    """A new post about ``seminar`` in ``theme``, in ``language``; ``notes`` is what the user
    has typed so far (used as their ideas, never overwritten)."""
    notes = _text(notes)
    if theme and theme not in GUIDES:
        raise ValidationFailed(
            fields={"theme": [_("Choose one of: %(values)s.") % {"values": ", ".join(GUIDES)}]}
        )
    parts = [
        seminar_facts(seminar),
        theme_guide(theme),
        f"The user's notes for this post:\n{notes}" if notes else "",
        f"Task: write one social media post in {_language(language)} that follows the theme's "
        "structure. About 60–120 words. End with an invitation to register.",
    ]
    prompt = _messages("\n\n".join(p for p in parts if p))
    return Suggestion("draft", clean_answer(ai_complete(prompt)), prompt)


def _limit_of(network: str, options: CheckOptions) -> TextCheck:
    return check_text(network, "", options=options)


def _check(network: str, text: str, options: CheckOptions) -> TextCheck:
    return check_text(network, text, options=options)


def _check_dict(result: TextCheck) -> dict[str, Any]:
    return {
        "network": result.network,
        "valid": result.valid,
        "length": result.length,
        "limit": result.limit,
        "unit": result.unit,
        "errors": [p.message for p in result.errors],
        "warnings": [p.message for p in result.warnings],
    }


def rewrite_for_network(
    *,
    seminar: Seminar | None,
    text: str,
    network: str,
    language: str,
    account: NetworkAccount | None = None,
) -> Suggestion:
    """``text`` rewritten for ``network`` within its limits (the account's own where given:
    a Mastodon server's length, the workspace's Instagram hashtag cap), checked by the
    composer's rules, asked once more with a tighter instruction when it is over."""
    text = _text(text)
    if not text:
        raise ValidationFailed(fields={"text": [_("Write something to rewrite first.")]})
    found = spec(network)
    options = (
        options_for(account, policy_of(account.workspace))
        if account is not None
        else found.options_for(None)
    )
    rules = found.rules.text
    limit = _limit_of(network, options).limit
    with translation.override("en"):
        name = str(found.name)
    hashtag_rule = ""
    most = options.instagram_max_hashtags or rules.max_hashtags or rules.advised_max_hashtags
    if most:
        hashtag_rule = f" Use at most {most} hashtags."
    counting = f" Every link counts as {rules.url_length} characters." if (rules.url_length) else ""
    ask = (
        f"Task: rewrite the post below for {name}, in {_language(language)}. It must be at most "
        f"{limit} characters including spaces, emoji and hashtags.{counting}{hashtag_rule} Keep "
        "its meaning, its links and its call to action; use the tone people expect on "
        f"{name}.\n\nPost:\n{text}"
    )
    facts = seminar_facts(seminar) if seminar is not None else ""
    prompt = _messages("\n\n".join(p for p in (facts, ask) if p))
    answer = clean_answer(ai_complete(prompt))
    result = _check(network, answer, options)
    retried = False
    if _too_long(result):
        retried = True
        target = max(20, int(limit * TIGHTER))
        prompt = [
            *prompt,
            {"role": "assistant", "content": answer},
            {
                "role": "user",
                "content": (
                    f"That is {result.length} characters, over {name}'s limit of {limit}. "
                    f"Shorten it to at most {target} characters. Reply with the post only."
                ),
            },
        ]
        answer = clean_answer(ai_complete(prompt))
        result = _check(network, answer, options)
    suggestion = Suggestion("rewrite", answer, prompt, check=_check_dict(result), retried=retried)
    if _too_long(result):
        suggestion.notes.append(
            _(
                "Still %(length)s characters, over %(network)s's limit of %(limit)s, after "
                "asking twice: shorten it before you use it."
            )
            % {"length": result.length, "network": found.name, "limit": result.limit}
        )
    elif result.errors:
        suggestion.notes.extend(p.message for p in result.errors)
    return suggestion


def _too_long(result: TextCheck) -> bool:
    return any(p.code in TOO_LONG for p in result.errors)


def translate_text(*, text: str, source: str) -> Suggestion:
    """``text`` translated from Greek to English or from English to Greek."""
    text = _text(text)
    if not text:
        raise ValidationFailed(fields={"text": [_("Write something to translate first.")]})
    target = "en" if source == "el" else "el"
    prompt = _messages(
        f"Task: translate this social media post from {_language(source)} into "
        f"{_language(target)}. Keep links, hashtags, @mentions and emoji exactly as they are; "
        f"keep its tone.\n\nPost:\n{text}"
    )
    suggestion = Suggestion("translate", clean_answer(ai_complete(prompt)), prompt)
    suggestion.notes.append(
        _("Translated into %(language)s.")
        % {"language": _("English") if target == "en" else _("Greek")}
    )
    return suggestion


def suggest_hashtags(*, seminar: Seminar | None, text: str, language: str) -> Suggestion:
    """Up to eight hashtags for ``text`` (the seminar's official ones are left out: the
    composer has them already)."""
    text = _text(text)
    facts = seminar_facts(seminar) if seminar is not None else ""
    post = f"Post:\n{text}" if text else ""
    ask = (
        f"Task: suggest 5 to 8 hashtags for this post, in {_language(language)} or English as "
        "people on social networks actually use them. Reply with the hashtags only, separated "
        "by spaces."
    )
    prompt = _messages("\n\n".join(p for p in (facts, post, ask) if p))
    answer = ai_complete(prompt, max_tokens=120)
    official = {normalize_hashtag(h).lower() for h in (seminar.hashtags if seminar else [])}
    written = {tag.lower() for tag in re.findall(r"#\w+", text)}
    tags: list[str] = []
    for span in extract_hashtags(answer):
        tag = normalize_hashtag(span.tag)
        key = tag.lower()
        if key in official or key in written or key in {t.lower() for t in tags}:
            continue
        tags.append(tag)
    tags = tags[:8]
    suggestion = Suggestion("hashtags", " ".join(tags), prompt, hashtags=tags)
    if not tags:
        suggestion.notes.append(_("The AI server suggested no new hashtags."))
    return suggestion
