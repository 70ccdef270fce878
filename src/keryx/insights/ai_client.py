"""The one place Keryx talks to a language model: any OpenAI-compatible server, through the
official ``openai`` client (imported here, lazily: a web process that never drafts never loads
it).

Off unless ``KERYX_AI_URL`` is set. One call, one answer: no retries by the client (the
composer says what happened and the user decides), a timeout of ``KERYX_AI_TIMEOUT`` seconds.
Every failure becomes one of three errors with a message in plain words, in the user's
language: :class:`AiDisabled`, :class:`AiTimeout`, :class:`AiFailed`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.core.errors import KeryxError

logger = logging.getLogger(__name__)


class AiDisabled(KeryxError):
    code = "ai_disabled"
    status = 404

    def __init__(self) -> None:
        super().__init__(
            _(
                "AI drafting is off on this Keryx server. An administrator can turn it on "
                "with KERYX_AI_URL and KERYX_AI_MODEL (see docs/insights.md)."
            )
        )


class AiTimeout(KeryxError):
    code = "ai_timeout"
    status = 504

    def __init__(self, seconds: float, prompt: list[dict[str, str]]) -> None:
        # A fraction of a second takes the plural ("other") form in English and Greek.
        count = int(seconds) if float(seconds).is_integer() else 2
        super().__init__(
            ngettext(
                "The AI server did not answer within %(seconds)s second. Nothing was changed: "
                "your text is as you left it. Try again in a moment.",
                "The AI server did not answer within %(seconds)s seconds. Nothing was changed: "
                "your text is as you left it. Try again in a moment.",
                count,
            )
            % {"seconds": f"{seconds:g}"},
            data={"prompt": prompt},
        )


class AiFailed(KeryxError):
    code = "ai_failed"
    status = 502

    def __init__(self, prompt: list[dict[str, str]]) -> None:
        super().__init__(
            _(
                "The AI server could not give a suggestion this time. Nothing was changed: your "
                "text is as you left it. Try again later, or write it yourself."
            ),
            data={"prompt": prompt},
        )


@dataclass(frozen=True)
class AiConfig:
    url: str
    model: str
    key: str
    timeout: float


def ai_config() -> AiConfig | None:
    """The server's AI settings, or ``None`` when AI drafting is off."""
    url = str(getattr(settings, "KERYX_AI_URL", "") or "").strip()
    if not url:
        return None
    return AiConfig(
        url=url.rstrip("/"),
        model=str(getattr(settings, "KERYX_AI_MODEL", "") or "").strip() or "default",
        key=str(getattr(settings, "KERYX_AI_KEY", "") or ""),
        timeout=float(getattr(settings, "KERYX_AI_TIMEOUT", 20.0) or 20.0),
    )


def ai_enabled() -> bool:
    return ai_config() is not None


def ai_complete(
    messages: list[dict[str, str]], *, max_tokens: int = 600, temperature: float = 0.7
) -> str:
    """The model's answer to ``messages`` (system + user), stripped; raises an ``Ai*`` error."""
    config = ai_config()
    if config is None:
        raise AiDisabled()
    import openai  # lazy: tests/ops/test_footprint.py

    client = openai.OpenAI(
        base_url=config.url,
        # A local server often takes no key; the client insists on one, so it gets a blank
        # stand-in (sent as a bearer token the server ignores).
        api_key=config.key or "no-key",
        timeout=config.timeout,
        max_retries=0,
    )
    try:
        completion: Any = client.chat.completions.create(
            model=config.model,
            messages=messages,  # type: ignore[arg-type]
            max_tokens=max_tokens,
            temperature=temperature,
        )
    except openai.APITimeoutError as exc:
        logger.info("AI server timed out after %ss: %s", config.timeout, exc)
        raise AiTimeout(config.timeout, messages) from exc
    except openai.OpenAIError as exc:
        logger.warning("AI server failed: %s", exc.__class__.__name__)
        raise AiFailed(messages) from exc
    finally:
        client.close()
    try:
        content = completion.choices[0].message.content
    except (AttributeError, IndexError, TypeError) as exc:
        raise AiFailed(messages) from exc
    text = str(content or "").strip()
    if not text:
        raise AiFailed(messages)
    return text
