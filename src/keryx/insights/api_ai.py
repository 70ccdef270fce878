"""API: AI drafting for the composer (draft, rewrite for a network, translate, hashtags).

Off unless the server sets ``KERYX_AI_URL``: then every drafting call answers 404
``ai_disabled`` with a message saying so. A timeout answers 504 ``ai_timeout``, any other
failure of the AI server 502 ``ai_failed``; both carry the prompt in ``data``. Nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.api.permissions import access_for, needs
from keryx.content import queries as content_queries
from keryx.core.errors import NotFound, ValidationFailed
from keryx.core.ratelimit import rate_limit_hit
from keryx.insights.ai_client import AiDisabled, ai_config
from keryx.insights.domain import drafting
from keryx.insights.schemas import (
    AiStatusOut,
    DraftIn,
    HashtagsIn,
    RewriteIn,
    SuggestionOut,
    TranslateIn,
)
from keryx.networks.registry import network_keys
from keryx.seminars.models import Seminar
from keryx.seminars.queries import seminar_in

router = Router(tags=["insights"])
WS = "/workspaces/{workspace}/ai"
WINDOW = 600

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_UPSTREAM = {
    "responses": {
        "502": {"description": "The AI server failed; nothing was changed", **_ERROR},
        "504": {"description": "The AI server did not answer in time", **_ERROR},
    }
}


def _extra(perm: Perm) -> dict[str, Any]:
    return {**needs(perm), **_UPSTREAM}


def what_is_sent() -> list[str]:
    """The list shown in the composer and in the API: decision 0910."""
    return [
        _("the seminar's title, one-line summary and description"),
        _("its date, format, city and official hashtags"),
        _("the titles of its agenda sessions"),
        _("the theme you chose and its guide"),
        _("the text you typed in the composer"),
    ]


def _drafting(request: HttpRequest, workspace: str) -> Access:
    """Access to draft with AI: the role first (403/404), then whether it is on, then the
    user's rate (decision 0910)."""
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    if ai_config() is None:
        raise AiDisabled()
    rate_limit_hit(f"ai:{access.user.pk}", limit=int(settings.KERYX_AI_RATE_LIMIT), window=WINDOW)
    return access


def _seminar(access: Access, seminar_id: int | None) -> Seminar | None:
    return seminar_in(access, seminar_id) if seminar_id else None


@router.get(
    WS,
    response=AiStatusOut,
    operation_id="insights_ai_status",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def ai_status(request: HttpRequest, workspace: str) -> Any:
    """Whether AI drafting is on for this server, and what it sends."""
    access_for(request, workspace, Perm.CONTENT_VIEW)
    config = ai_config()
    return {
        "enabled": config is not None,
        "model": config.model if config else "",
        "timeout_seconds": config.timeout if config else 0.0,
        "sent": what_is_sent(),
    }


@router.post(
    f"{WS}/draft",
    response=SuggestionOut,
    operation_id="insights_ai_draft",
    openapi_extra=_extra(Perm.CONTENT_EDIT),
)
def ai_draft(request: HttpRequest, workspace: str, payload: DraftIn) -> Any:
    """Draft a post from the seminar and a theme (and the user's notes, if any)."""
    access = _drafting(request, workspace)
    seminar = seminar_in(access, payload.seminar_id)
    return drafting.draft_post(
        seminar=seminar, theme=payload.theme, language=payload.language, notes=payload.notes
    ).as_dict()


@router.post(
    f"{WS}/rewrite",
    response=SuggestionOut,
    operation_id="insights_ai_rewrite",
    openapi_extra=_extra(Perm.CONTENT_EDIT),
)
def ai_rewrite(request: HttpRequest, workspace: str, payload: RewriteIn) -> Any:
    """Rewrite a text for one network within its limits, checked by the composer's rules."""
    access = _drafting(request, workspace)
    account = None
    network = payload.network
    if payload.account_id is not None:
        account = content_queries.accounts_in(access).filter(pk=payload.account_id).first()
        if account is None:
            raise NotFound()
        network = account.network
    if network not in network_keys():
        raise ValidationFailed(
            fields={
                "network": [_("Choose one of: %(values)s.") % {"values": ", ".join(network_keys())}]
            }
        )
    return drafting.rewrite_for_network(
        seminar=_seminar(access, payload.seminar_id),
        text=payload.text,
        network=network,
        language=payload.language,
        account=account,
    ).as_dict()


@router.post(
    f"{WS}/translate",
    response=SuggestionOut,
    operation_id="insights_ai_translate",
    openapi_extra=_extra(Perm.CONTENT_EDIT),
)
def ai_translate(request: HttpRequest, workspace: str, payload: TranslateIn) -> Any:
    """Translate a text from Greek into English, or from English into Greek."""
    _drafting(request, workspace)
    return drafting.translate_text(text=payload.text, source=payload.language).as_dict()


@router.post(
    f"{WS}/hashtags",
    response=SuggestionOut,
    operation_id="insights_ai_hashtags",
    openapi_extra=_extra(Perm.CONTENT_EDIT),
)
def ai_hashtags(request: HttpRequest, workspace: str, payload: HashtagsIn) -> Any:
    """Suggest hashtags for a text (the seminar's official ones are left out)."""
    access = _drafting(request, workspace)
    return drafting.suggest_hashtags(
        seminar=_seminar(access, payload.seminar_id), text=payload.text, language=payload.language
    ).as_dict()
