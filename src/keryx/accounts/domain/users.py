"""Users: creation from the command line, preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keryx.accounts.models import User
from keryx.core.choices import time_zone_names
from keryx.core.errors import Conflict, ValidationFailed

LANGUAGE_CODES = {code for code, _label in settings.LANGUAGES}


def user_create(*, email: str, password: str, full_name: str = "", superuser: bool = False) -> User:
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email=email).exists():
        raise Conflict(_("A user with this e-mail address exists already."))
    candidate = User(email=email, full_name=full_name)
    try:
        candidate.full_clean(exclude=["password"])
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    if superuser:
        return User.objects.create_superuser(email, password, full_name=full_name)
    return User.objects.create_user(email, password, full_name=full_name)


def user_set_language(*, user: User, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationFailed(fields={"language": [_("Unknown language.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_update_profile(
    *, user: User, full_name: str | None = None, time_zone: str | None = None
) -> User:
    changed: list[str] = []
    if full_name is not None and full_name.strip() != user.full_name:
        user.full_name = full_name.strip()[:150]
        changed.append("full_name")
    if time_zone is not None and time_zone != user.time_zone:
        if time_zone and time_zone not in time_zone_names():
            raise ValidationFailed(fields={"time_zone": [_("Unknown time zone.")]})
        user.time_zone = time_zone
        changed.append("time_zone")
    if changed:
        user.save(update_fields=changed)
    return user
