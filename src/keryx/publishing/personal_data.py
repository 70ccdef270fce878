"""Personal data of the publishing app: free texts that may name a person.

A publishing attempt keeps the network's error message (which can quote an account name or an
address) and an emergency pause its reason, typed by a person. Neither is kept about anyone on
purpose; on erasure, any such text that names the person is blanked (the row stays).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import ERASED, PersonalDataKind, register, set_fields
from keryx.publishing.models import Attempt, Pause

register(
    PersonalDataKind(
        key="publishing.attempt",
        model=Attempt,
        label=_("Publishing attempts (error messages)"),
        fields=("error_message",),
        find=lambda subject: Attempt.objects.filter(subject.mentioned_in("error_message")),
        erase=set_fields(error_message=ERASED),
        workspace_field="workspace",
    )
)

register(
    PersonalDataKind(
        key="publishing.pause",
        model=Pause,
        label=_("Emergency pauses (reasons)"),
        fields=("reason",),
        find=lambda subject: Pause.objects.filter(subject.mentioned_in("reason")),
        erase=set_fields(reason=ERASED),
        workspace_field="workspace",
    )
)
