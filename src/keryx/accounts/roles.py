"""Roles and what each may do. docs/roles.md is generated from this table (``keryx manage
roles_doc``) and a test keeps the two in step.

A permission is checked against the user's membership in the workspace that owns the object;
a user who is not a member sees nothing of the workspace (404), a member whose role lacks the
permission is refused (403).
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    EDITOR = "editor"
    MODERATOR = "moderator"
    ANALYST = "analyst"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, str | Promise] = {
    Role.OWNER: _("Owner"),
    Role.MANAGER: _("Manager"),
    Role.EDITOR: _("Editor"),
    Role.MODERATOR: _("Moderator"),
    Role.ANALYST: _("Analyst"),
    Role.VIEWER: _("Viewer"),
}

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]

ROLE_SUMMARIES: dict[Role, str | Promise] = {
    Role.OWNER: _(
        "Runs the workspace: everything a manager does, plus workspace settings, owners and deletion."
    ),
    Role.MANAGER: _(
        "Runs the campaigns: seminars, team, approvals, publishing, pause, connected accounts, audit log."
    ),
    Role.EDITOR: _(
        "Writes and schedules posts and keeps seminar details (agenda, speakers, personas) up to date."
    ),
    Role.MODERATOR: _("Runs the live seminar and the inbox: Q&A, polls, replies, check-in."),
    Role.ANALYST: _(
        "Reads and reports the numbers: analytics, KPIs, ad spend, exports of aggregates."
    ),
    Role.VIEWER: _("Reads seminars, the calendar and analytics; changes nothing."),
}


class Perm(StrEnum):
    WORKSPACE_VIEW = "workspace.view"
    WORKSPACE_MANAGE = "workspace.manage"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    AUDIT_VIEW = "audit.view"
    SEMINAR_VIEW = "seminar.view"
    SEMINAR_CREATE = "seminar.create"
    SEMINAR_EDIT = "seminar.edit"
    SEMINAR_DELETE = "seminar.delete"
    CONTENT_VIEW = "content.view"
    CONTENT_EDIT = "content.edit"
    CONTENT_APPROVE = "content.approve"
    PUBLISH_SCHEDULE = "publish.schedule"
    PUBLISH_PAUSE = "publish.pause"
    NETWORKS_VIEW = "networks.view"
    NETWORKS_CONNECT = "networks.connect"
    REGISTRATIONS_VIEW = "registrations.view"
    REGISTRATIONS_MANAGE = "registrations.manage"
    REGISTRATIONS_CHECKIN = "registrations.checkin"
    LINKS_VIEW = "links.view"
    LINKS_EDIT = "links.edit"
    LIVE_MODERATE = "live.moderate"
    INBOX_VIEW = "inbox.view"
    INBOX_REPLY = "inbox.reply"
    SURVEYS_EDIT = "surveys.edit"
    COMMUNITY_MODERATE = "community.moderate"
    COMMUNITY_MANAGE = "community.manage"
    ANALYTICS_VIEW = "analytics.view"
    ANALYTICS_EDIT = "analytics.edit"
    PRIVACY_MANAGE = "privacy.manage"


_ALL = frozenset(Role)
_RUN = frozenset({Role.OWNER, Role.MANAGER})
_WRITE = _RUN | {Role.EDITOR}

ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.WORKSPACE_VIEW: _ALL,
    Perm.WORKSPACE_MANAGE: frozenset({Role.OWNER}),
    Perm.MEMBERS_VIEW: _RUN,
    Perm.MEMBERS_MANAGE: _RUN,
    Perm.AUDIT_VIEW: _RUN,
    Perm.SEMINAR_VIEW: _ALL,
    Perm.SEMINAR_CREATE: _RUN,
    Perm.SEMINAR_EDIT: _WRITE,
    Perm.SEMINAR_DELETE: _RUN,
    Perm.CONTENT_VIEW: _ALL,
    Perm.CONTENT_EDIT: _WRITE,
    Perm.CONTENT_APPROVE: _RUN,
    Perm.PUBLISH_SCHEDULE: _WRITE,
    Perm.PUBLISH_PAUSE: _RUN,
    Perm.NETWORKS_VIEW: _WRITE | {Role.ANALYST},
    Perm.NETWORKS_CONNECT: _RUN,
    Perm.REGISTRATIONS_VIEW: _RUN | {Role.MODERATOR},
    Perm.REGISTRATIONS_MANAGE: _RUN,
    Perm.REGISTRATIONS_CHECKIN: _RUN | {Role.MODERATOR},
    Perm.LINKS_VIEW: _WRITE | {Role.ANALYST, Role.VIEWER},
    Perm.LINKS_EDIT: _WRITE,
    Perm.LIVE_MODERATE: _RUN | {Role.MODERATOR},
    Perm.INBOX_VIEW: _WRITE | {Role.MODERATOR},
    Perm.INBOX_REPLY: _RUN | {Role.MODERATOR},
    Perm.SURVEYS_EDIT: _WRITE,
    Perm.COMMUNITY_MODERATE: _WRITE | {Role.MODERATOR},
    Perm.COMMUNITY_MANAGE: _WRITE,
    Perm.ANALYTICS_VIEW: _ALL - {Role.MODERATOR},
    Perm.ANALYTICS_EDIT: _RUN | {Role.ANALYST},
    Perm.PRIVACY_MANAGE: _RUN,
}

PERM_LABELS: dict[Perm, str | Promise] = {
    Perm.WORKSPACE_VIEW: _("See the workspace"),
    Perm.WORKSPACE_MANAGE: _("Rename the workspace, change its settings, delete it"),
    Perm.MEMBERS_VIEW: _("See the team"),
    Perm.MEMBERS_MANAGE: _("Add, remove and change members (only owners manage owners)"),
    Perm.AUDIT_VIEW: _("Read the audit log"),
    Perm.SEMINAR_VIEW: _("See seminars, agenda, speakers, personas and KPI targets"),
    Perm.SEMINAR_CREATE: _("Create seminars"),
    Perm.SEMINAR_EDIT: _("Edit seminars, agenda, speakers, personas and KPI targets"),
    Perm.SEMINAR_DELETE: _("Delete seminars"),
    Perm.CONTENT_VIEW: _("See posts and the content library"),
    Perm.CONTENT_EDIT: _("Write and edit posts, media, templates and hashtag sets"),
    Perm.CONTENT_APPROVE: _("Approve posts or request changes"),
    Perm.PUBLISH_SCHEDULE: _("Schedule, queue and publish approved posts"),
    Perm.PUBLISH_PAUSE: _("Pause and resume publishing"),
    Perm.NETWORKS_VIEW: _("See connected network accounts and their health"),
    Perm.NETWORKS_CONNECT: _("Connect and disconnect network accounts"),
    Perm.REGISTRATIONS_VIEW: _("See registrants (personal data)"),
    Perm.REGISTRATIONS_MANAGE: _("Edit, import, export and cancel registrations"),
    Perm.REGISTRATIONS_CHECKIN: _("Check attendees in"),
    Perm.LINKS_VIEW: _("See tracked links and the funnel"),
    Perm.LINKS_EDIT: _("Create and edit tracked links"),
    Perm.LIVE_MODERATE: _("Moderate Q&A, run polls and the social wall"),
    Perm.INBOX_VIEW: _("Read the inbox"),
    Perm.INBOX_REPLY: _("Reply, assign and close inbox conversations"),
    Perm.SURVEYS_EDIT: _("Create and edit surveys"),
    Perm.COMMUNITY_MODERATE: _("See the attendees' community; hide replies, lock threads"),
    Perm.COMMUNITY_MANAGE: _(
        "Open the community, add materials, send announcements, remove members"
    ),
    Perm.ANALYTICS_VIEW: _("See analytics, KPIs and reports"),
    Perm.ANALYTICS_EDIT: _("Enter ad spend, build and send reports"),
    Perm.PRIVACY_MANAGE: _("Export and erase personal data, set retention"),
}


def role_has(role: Role | str, perm: Perm) -> bool:
    return Role(role) in ROLE_PERMISSIONS[perm]


def permissions_of(role: Role | str) -> frozenset[Perm]:
    return frozenset(p for p, roles in ROLE_PERMISSIONS.items() if Role(role) in roles)
