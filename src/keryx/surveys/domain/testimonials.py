"""A testimonial whose author agreed to its publication goes to the content library as a
"success story" template, through content's library domain (decision 0852)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.content.domain.library import template_save
from keryx.content.models import Template
from keryx.core.errors import Conflict
from keryx.surveys.models import Answer, Response


def testimonial_to_library(*, access: Access, response: Response) -> Template:
    if not response.testimonial_consent:
        raise Conflict(_("Its author did not agree to publication."))
    answer = (
        Answer.objects.filter(response=response, question__kind="testimonial")
        .exclude(text="")
        .first()
    )
    if answer is None:
        raise Conflict(_("This response has no testimonial."))
    # braces would read as placeholders
    body = answer.text.replace("{", "(").replace("}", ")")
    template = template_save(
        access=access,
        fields={
            "name": (_("Testimonial: %(survey)s") % {"survey": response.survey.name})[:120],
            "theme": "success_story",
            "language": response.language if response.language in ("el", "en") else "el",
            "body": f"“{body}”",
        },
    )
    Response.objects.filter(pk=response.pk).update(testimonial_in_library=True)
    return template
