"""The audit log in words: an action's label, who did it, what it was done to.

Every action that Keryx writes has a label here; an action from an app that did not add one
falls back to "<entity>: <verb>" in words, never the raw ``link.create``. The actor is a user
id: it is shown by the user's current name (an erased user shows as such), and what Keryx did
by itself (the publisher, a periodic job) as "Keryx (automatic)".
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "calendar_feed.create": _("Calendar feed created"),
    "calendar_feed.rotate": _("Calendar feed address changed"),
    "comment.create": _("Comment added"),
    "content_policy.update": _("Approval rules changed"),
    "hashtag_set.create": _("Hashtag set created"),
    "hashtag_set.delete": _("Hashtag set deleted"),
    "hashtag_set.update": _("Hashtag set changed"),
    "keyword_list.create": _("Keyword list created"),
    "keyword_list.delete": _("Keyword list deleted"),
    "keyword_list.update": _("Keyword list changed"),
    "link.create": _("Tracked link created"),
    "link.delete": _("Tracked link deleted"),
    "link.update": _("Tracked link changed"),
    "media.delete": _("Media deleted"),
    "media.fix": _("Media fixed"),
    "media.update": _("Media changed"),
    "media.upload": _("Media uploaded"),
    "membership.add": _("Member added"),
    "membership.change_role": _("Member's role changed"),
    "membership.remove": _("Member removed"),
    "network_account.connect": _("Network account connected"),
    "network_account.disconnect": _("Network account disconnected"),
    "network_account.reconnect": _("Network account reconnected"),
    "network_account.reconnect_needed": _("Network account needs reconnecting"),
    "persona.create": _("Persona created"),
    "persona.delete": _("Persona deleted"),
    "persona.update": _("Persona changed"),
    "post.approve": _("Post approved"),
    "post.approve_step": _("Post approved (one step)"),
    "post.back_to_review": _("Post sent back to review"),
    "post.create": _("Post created"),
    "post.delete": _("Post deleted"),
    "post.duplicate": _("Post duplicated"),
    "post.publish": _("Post published"),
    "post.recurrence": _("Post set to repeat"),
    "post.recurrence_stop": _("Post's repetition stopped"),
    "post.relative_time": _("Post timed relative to the seminar"),
    "post.relative_time_clear": _("Post's relative time removed"),
    "post.request_changes": _("Changes requested on a post"),
    "post.submit": _("Post sent for approval"),
    "post.update": _("Post changed"),
    "posting_slots.replace": _("Posting time slots changed"),
    "posts.import": _("Posts imported"),
    "privacy.erase": _("Personal data erased"),
    "privacy.export": _("Personal data exported"),
    "privacy.retention": _("Retention period changed"),
    "publishing.pause": _("Publishing paused"),
    "publishing.resume": _("Publishing resumed"),
    "registration.cancel": _("Registration cancelled"),
    "registration.check_in": _("Checked in"),
    "registration.check_in_undo": _("Check-in undone"),
    "registration.email_resend": _("Registrant e-mail sent again"),
    "registration.email_resend_failed": _("Failed registrant e-mails sent again"),
    "registration.export": _("Registrations exported"),
    "registration.fill_from_waitlist": _("Places filled from the waiting list"),
    "registration.import": _("Registrations imported"),
    "registration.update": _("Registration changed"),
    "registration_settings.update": _("Registration settings changed"),
    "seminar.create": _("Seminar created"),
    "seminar.delete": _("Seminar deleted"),
    "seminar.update": _("Seminar changed"),
    "session.create": _("Agenda session created"),
    "session.delete": _("Agenda session deleted"),
    "session.update": _("Agenda session changed"),
    "speaker.create": _("Speaker added"),
    "speaker.delete": _("Speaker removed"),
    "speaker.update": _("Speaker changed"),
    "template.create": _("Template created"),
    "template.delete": _("Template deleted"),
    "template.update": _("Template changed"),
    "variant.follow_seminar": _("Post moved with the seminar"),
    "variant.queue": _("Post added to the queue"),
    "variant.schedule": _("Post scheduled"),
    "variant.settle": _("Post's outcome settled"),
    "variant.share_next": _("Post shared next"),
    "variant.share_now": _("Post shared now"),
    "variant.unschedule": _("Post unscheduled"),
    "variants.schedule_planned": _("Planned posts scheduled"),
    "workspace.create": _("Workspace created"),
    "workspace.update": _("Workspace changed"),
}

VERB_LABELS: dict[str, str | Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "import": _("imported"),
    "export": _("exported"),
}


def register_action_labels(labels: dict[str, str | Promise]) -> None:
    """An app adds the labels of its own actions (from its ``AppConfig.ready``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The action in words, in the active language."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    entity, _dot, verb = action.partition(".")
    words = entity.replace("_", " ").capitalize()
    verb_words = str(VERB_LABELS.get(verb, verb.replace("_", " ")))
    return gettext("%(entity)s: %(verb)s") % {"entity": words, "verb": verb_words}


def actor_label(entry: Any) -> str:
    """Who did it: the user's current name, or Keryx itself."""
    actor = getattr(entry, "actor", None)
    if actor is not None:
        if not actor.is_active and str(actor.email).endswith("@erased.invalid"):
            return gettext("Erased user")
        return str(getattr(actor, "display_name", "") or actor)
    if entry.actor_label == "system":
        return gettext("Keryx (automatic)")
    return gettext("Removed user")


def _model(object_type: str) -> Any:
    try:
        app_label, model_name = object_type.split(".", 1)
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def change_rows(entry: Any) -> list[tuple[str, Any, Any]]:
    """``(field in words, old, new)`` for each recorded change."""
    model = _model(entry.object_type) if entry.object_type else None
    rows = []
    for key, pair in (entry.changes or {}).items():
        label = key.replace("_", " ")
        if model is not None:
            try:
                label = str(model._meta.get_field(key).verbose_name)
            except FieldDoesNotExist:  # a recorded key that is not a field
                label = key.replace("_", " ")
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        rows.append((label[:1].upper() + label[1:], old, new))
    return rows


def object_label(entry: Any) -> str:
    """What it was done to: its text when that holds no personal data, else its kind and id."""
    if entry.object_repr:
        return str(entry.object_repr)
    if not entry.object_type:
        return ""
    model = _model(entry.object_type)
    kind = str(model._meta.verbose_name) if model is not None else entry.object_type
    return f"{kind[:1].upper()}{kind[1:]} #{entry.object_id}"
