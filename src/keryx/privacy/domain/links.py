"""The links a person follows: their data (export, consents) and withdrawing one consent.

* "My data" link: the address encrypted with Keryx's keys (Fernet, so it carries its own time
  and expires after ``LINK_HOURS``), e-mailed on request. The address is not readable in the
  link, so it never reaches a web server's access log in the clear.
* Consent link: a signed consent id, valid for as long as the consent exists (withdrawal is as
  easy as giving consent: one click, no account).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keryx.core.crypto import fernet
from keryx.core.personal_data import Subject
from keryx.privacy.domain.subjects import subject_find
from keryx.registrations.enums import ConsentKind
from keryx.registrations.models import Consent

LINK_HOURS = 24
_PREFIX = "keryx.privacy.me:"
_CONSENT = "keryx.privacy.consent"


def my_data_token_make(email: str) -> str:
    return fernet().encrypt((_PREFIX + email.strip()).encode()).decode("ascii")


def my_data_token_read(token: str) -> str | None:
    """The address the link was made for, or ``None`` when forged or expired."""
    try:
        text = fernet().decrypt(token.encode("ascii"), ttl=LINK_HOURS * 3600).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return None
    return text[len(_PREFIX) :] if text.startswith(_PREFIX) else None


def consent_token_make(consent_id: int) -> str:
    return signing.Signer(salt=_CONSENT).sign(str(consent_id))


def consent_token_read(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_CONSENT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def holds_data_on(email: str) -> bool:
    _subject, found = subject_find(Subject(email=email))
    return any(f.pks for f in found)


def my_data_link_send(email: str, *, language: str) -> bool:
    """E-mail the "my data" link when Keryx holds anything on ``email``; say whether it did.

    The caller tells the person the same thing either way (no way to test an address)."""
    if not holds_data_on(email):
        return False
    url = settings.KERYX_BASE_URL + reverse("privacy:me", args=[my_data_token_make(email)])
    with translation.override(language):
        subject = _("Your data held by Keryx")
        body = _(
            "Someone (we hope you) asked which personal data we hold on this address.\n\n"
            "Open this link within %(hours)d hours to download all of it (a ZIP file) and to "
            "see or withdraw your consents:\n\n%(url)s\n\n"
            "If you did not ask, ignore this e-mail: nothing happens without the link."
        ) % {"hours": LINK_HOURS, "url": url}
    send_mail(subject, body, None, [email])
    return True


def consents_of(email: str) -> list[Consent]:
    return list(
        Consent.objects.filter(registration__email__iexact=email.strip())
        .select_related("registration__seminar")
        .order_by("-accepted_at", "-id")
    )


@transaction.atomic
def consent_withdraw(consent: Consent) -> Consent:
    """Withdraw one consent (once; a second click changes nothing).

    Withdrawing the privacy notice of a registration is withdrawing the registration: it is
    erased (anonymised, its place freed) the way an erasure would, for that registration only.
    """
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    if consent.kind == ConsentKind.PRIVACY:
        from keryx.core.personal_data import kinds_for
        from keryx.registrations.models import Registration

        for kind in kinds_for(Registration):
            kind.erase(Registration.objects.filter(pk=consent.registration_id))
    return consent


def consent_in_force(registration_id: int, kind: str) -> bool:
    """Whether the registrant gave ``kind`` consent and has not withdrawn it. Apps that send
    news (surveys, community announcements) ask this before writing to anyone."""
    return Consent.objects.filter(
        registration_id=registration_id, kind=kind, withdrawn_at__isnull=True
    ).exists()
