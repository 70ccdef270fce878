"""``{% load ai_drafting %}{% ai_panel %}``: the AI suggestions panel of the composer, shown only
when AI drafting is on (``KERYX_AI_URL``) and the user may edit posts. The panel calls the
insights API (``/api/v1/workspaces/<ws>/ai/…``) from static JavaScript; nothing in the post
changes until the user clicks to use a suggestion."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from keryx.accounts.roles import Perm
from keryx.insights.ai_client import ai_config

register = template.Library()


@register.inclusion_tag("insights/_ai_panel.html", takes_context=True)
def ai_panel(context: template.Context) -> dict[str, Any]:
    access = context.get("access")
    config = ai_config()
    if access is None or config is None or not access.can(Perm.CONTENT_EDIT):
        return {"enabled": False}
    from keryx.insights.api_ai import what_is_sent
    from keryx.networks.registry import all_specs

    state = context.get("state")
    accounts = [v.account for v in getattr(state, "variants", None) or []]
    base = reverse("api:ai_status", kwargs={"workspace": access.workspace.slug})
    return {
        "enabled": True,
        "model": config.model,
        "sent": what_is_sent(),
        "api": base.rstrip("/") + "/",
        "accounts": accounts,
        "networks": [] if accounts else [(s.key, s.name) for s in all_specs(social=True)],
    }
