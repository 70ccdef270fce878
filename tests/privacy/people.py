"""People with data in every registered app, and a scan of every table for what is left.

``make_person`` gives one person a trace everywhere Keryx can hold one: a user account with a
membership and an API token, comments and a review note, notifications (theirs, and one naming
them), a registration with consents and registrant e-mails and a check-in, an audit trail, failed
sign-ins, an admin history entry, a session, a publishing attempt and a pause reason naming them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.domain.tokens import token_create
from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Perm, Role
from keryx.content.domain.review import comment_add
from keryx.content.models import Post, Review
from keryx.core.domain.audit import audit_record
from keryx.networks.models import NetworkAccount
from keryx.notifications.domain.notify import notify
from keryx.publishing.models import Pause
from keryx.registrations.domain.checkin import registration_check_in
from keryx.registrations.domain.registrations import RegistrantData, registration_create
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar, Speaker
from tests.factories import make_seminar, make_user, make_workspace
from tests.registrations.helpers import publish


@dataclass
class World:
    owner: User
    workspace: Workspace
    seminar: Seminar


@dataclass
class Person:
    email: str
    name: str
    user: User
    registration: Registration


def make_world() -> World:
    owner = make_user("owner.privacy@example.org", full_name="Κυρία Ιδιοκτήτρια")
    workspace = make_workspace(owner, "Privacy team")
    seminar = make_seminar(workspace, owner, capacity=50)
    publish(seminar, owner, ask_marketing_consent=True)
    return World(owner=owner, workspace=workspace, seminar=seminar)


def make_person(world: World, email: str, name: str) -> Person:
    handle = email.split("@", 1)[0].replace(".", "-").lower()
    user = make_user(email, full_name=name)
    Membership.objects.create(workspace=world.workspace, user=user, role=Role.EDITOR)
    token_create(user=user, name=f"script of {name}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)

    editor = workspace_access(user, world.workspace, Perm.CONTENT_EDIT)
    post = Post.objects.create(
        workspace=world.workspace, seminar=world.seminar, master_text="Έρχεται!", author=user
    )
    comment_add(access=editor, post=post, body="I will check the venue photos.")
    owner_edit = workspace_access(world.owner, world.workspace, Perm.CONTENT_EDIT)
    comment_add(access=owner_edit, post=post, body=f"Ask {name} about the photos ({email}).")
    Review.objects.create(
        post=post, reviewer=world.owner, decision="changes", revision=1, note=f"See {name}"
    )

    registration = registration_create(
        seminar=world.seminar,
        data=RegistrantData(
            name=name, email=email, language="el", consents=["privacy", "marketing"]
        ),
    ).registration
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["confirmed_at"])
    checker = workspace_access(world.owner, world.workspace, Perm.REGISTRATIONS_CHECKIN)
    registration_check_in(access=checker, registration=registration)
    audit_record(
        action="registration.update",
        actor=world.owner,
        workspace=world.workspace,
        obj=registration,
        changes={"name": ["x", name]},
    )

    notify(recipients=[user], kind="content.mention", title="You were mentioned", body="Look")
    notify(
        recipients=[world.owner],
        kind="registrations.new",
        title=f"New registration: {name}",
        body=f"{name} <{email}> registered.",
        workspace=world.workspace,
    )
    Pause.objects.create(
        workspace=world.workspace,
        reason=f"{name} asked us to stop",
        paused_by=world.owner,
        paused_at=timezone.now(),
    )
    AccessAttempt.objects.create(
        username=email,
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=1,
        attempt_time=timezone.now(),
        get_data="",
        post_data=f"login={email}",
    )
    LogEntry.objects.create(
        user=world.owner,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=email,
        action_flag=ADDITION,
        change_message="[]",
    )
    Speaker.objects.create(
        seminar=world.seminar,
        name=name,
        bio=f"{name} runs the hospital's social media.",
        handles={"bluesky": f"{handle}.bsky.social"},
    )
    NetworkAccount.objects.create(
        workspace=world.workspace,
        network="bluesky",
        name=name,
        handle=f"{handle}.bsky.social",
        credentials={"app_password": "abcd-efgh-ijkl-mnop", "owner": email},
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["account_login_email"] = email
    session.create()
    return Person(email=email, name=name, user=user, registration=registration)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return ""


def traces(*needles: str) -> list[str]:
    """``app.model.field`` of every stored value that contains a needle (any case)."""
    wanted = [n.casefold() for n in needles]
    found = []
    for model in apps.get_models():
        for row in model._default_manager.values():
            for key, value in row.items():
                text = _text(value).casefold()
                if any(n in text for n in wanted):
                    found.append(f"{model._meta.label_lower}.{key}")
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        text = repr(session.get_decoded()).casefold()
        if any(n in text for n in wanted):
            found.append("sessions.session.(decoded)")
    return sorted(set(found))


LONG_AGO = dt.timedelta(days=1000)
