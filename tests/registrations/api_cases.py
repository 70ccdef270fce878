from __future__ import annotations

from keryx.registrations.domain.tokens import ticket_token_make
from tests.api.cases import World, case, world_builder
from tests.registrations.helpers import publish, register

V1 = "/api/v1"


def S(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}"


def R(w: World) -> str:
    return f"{S(w)}/registrations/{w.objects['registration'].pk}"


@world_builder
def _registrations(world: World) -> None:
    publish(world.seminar, world.owner)
    world.objects["registration"] = register(world.seminar, "eleni@example.org")
    world.objects["ticket"] = register(world.seminar, "nikos@example.org", name="Νίκος")


CSV = "First Name,Last Name,Email,Attendee Status\nΜαρία,Κ.,maria@example.org,Attending\n"

case("registrations_list", "get", lambda w: f"{S(w)}/registrations")
case("registrations_get", "get", R)
case("registrations_update", "patch", R, lambda w: {"name": "Ελένη Π."})
case("registrations_cancel", "post", lambda w: f"{R(w)}/cancel")
case("registrations_check_in", "post", lambda w: f"{R(w)}/check-in")
case(
    "registrations_check_in_ticket",
    "post",
    lambda w: f"{S(w)}/check-in",
    lambda w: {"token": ticket_token_make(w.objects["ticket"].ticket_code)},
)
case("registration_settings_get", "get", lambda w: f"{S(w)}/registration-settings")
case(
    "registration_settings_update",
    "patch",
    lambda w: f"{S(w)}/registration-settings",
    lambda w: {"waitlist_enabled": False},
)
case("registration_counts", "get", lambda w: f"{S(w)}/registration-counts")
case(
    "registrations_import",
    "post",
    lambda w: f"{S(w)}/registrations-import",
    lambda w: {"csv": CSV, "dry_run": False, "filename": "eventbrite.csv"},
)
case("registrations_export", "get", lambda w: f"{S(w)}/registrations-export?format=csv")


def _email(w: World) -> str:
    email = w.objects["registration"].emails.order_by("-id").first()
    return f"{R(w)}/emails/{email.pk}/resend"


case("registrant_emails_list", "get", lambda w: f"{R(w)}/emails")
case("registrant_emails_resend", "post", _email)
case("registrant_emails_resend_failed", "post", lambda w: f"{S(w)}/registrant-emails/resend-failed")
