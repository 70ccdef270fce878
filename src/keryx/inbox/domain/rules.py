"""Rules: when a new conversation matches (a keyword, the network, the sentiment), tag it
and/or assign it. Keywords match folded (case and accents), as whole words or phrases."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import Membership
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.text import text_key
from keryx.inbox.models import Conversation, Rule

_WORDS = re.compile(r"[^\w]+")


def keywords_of(rule: Rule) -> list[str]:
    return [
        " ".join(_WORDS.sub(" ", text_key(k)).split())
        for k in rule.keywords.split(",")
        if k.strip()
    ]


def rule_matches(rule: Rule, conversation: Conversation, text: str) -> bool:
    """All of the rule's conditions hold; a blank condition holds always. At least one
    condition must be set (an empty rule matches nothing)."""
    keywords = keywords_of(rule)
    if not (keywords or rule.network or rule.sentiment):
        return False
    if rule.network and rule.network != conversation.network:
        return False
    if rule.sentiment and rule.sentiment != conversation.sentiment:
        return False
    if keywords:
        folded = f" {_WORDS.sub(' ', text_key(text)).strip()} "
        return any(f" {k} " in folded or (len(k) >= 4 and k in folded) for k in keywords)
    return True


def rules_apply(conversation: Conversation, text: str) -> list[str]:
    """Apply the workspace's active rules in order: every matching rule adds its tag; the
    first matching rule with an assignee assigns (if nobody is assigned yet). Returns the
    names of the rules that matched. Saves nothing: the caller saves the conversation."""
    matched = []
    for rule in Rule.objects.filter(workspace_id=conversation.workspace_id, active=True):
        if not rule_matches(rule, conversation, text):
            continue
        matched.append(rule.name)
        if rule.tag and rule.tag not in conversation.tags:
            conversation.tags = [*conversation.tags, rule.tag]
        if rule.assign_to_id and conversation.assignee_id is None:
            conversation.assignee_id = rule.assign_to_id
    return matched


def rule_save(
    *,
    access: Access,
    name: str,
    keywords: str = "",
    network: str = "",
    sentiment: str = "",
    tag: str = "",
    assign_to_id: int | None = None,
    rule: Rule | None = None,
) -> Rule:
    access.require(Perm.INBOX_REPLY)
    if not (keywords.strip() or network or sentiment):
        raise ValidationFailed(
            fields={"keywords": [_("Give at least a keyword, a network or a sentiment.")]}
        )
    if not (tag.strip() or assign_to_id):
        raise ValidationFailed(fields={"tag": [_("Give a tag to add or a person to assign.")]})
    if (
        assign_to_id
        and not Membership.objects.filter(workspace=access.workspace, user_id=assign_to_id).exists()
    ):
        raise ValidationFailed(fields={"assign_to": [_("Choose a member of this workspace.")]})
    rule = rule or Rule(workspace=access.workspace)
    rule.name = name.strip()[:120] or keywords.strip()[:120] or tag.strip()
    rule.keywords = keywords.strip()
    rule.network = network
    rule.sentiment = sentiment
    rule.tag = tag.strip().lstrip("#")[:60]
    rule.assign_to_id = assign_to_id
    if rule.pk is None:
        rule.position = Rule.objects.filter(workspace=access.workspace).count()
    rule.save()
    audit_record(action="inbox.rule_save", actor=access.user, workspace=access.workspace, obj=rule)
    return rule


def rule_delete(*, access: Access, rule: Rule) -> None:
    access.require(Perm.INBOX_REPLY)
    audit_record(
        action="inbox.rule_delete", actor=access.user, workspace=access.workspace, obj=rule
    )
    rule.delete()
