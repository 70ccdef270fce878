"""Personal data of the content app: internal comments and review notes.

Posts and variants are the workspace's own marketing texts (their author is a user id, and the
user is anonymised on erasure); comments and review notes are people talking to each other, so
a person's own comments and any comment or note that names them lose their text on erasure
(the comment stays, marked erased, so a thread keeps its shape).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.content.models import Comment, Review
from keryx.core.personal_data import ERASED, PersonalDataKind, Subject, register, set_fields


def _comments(subject: Subject) -> QuerySet[Comment]:
    return Comment.objects.filter(
        Q(author_id__in=subject.user_ids) | subject.mentioned_in("body")
    ).exclude(body=ERASED)


def _reviews(subject: Subject) -> QuerySet[Review]:
    return Review.objects.filter(
        (Q(reviewer_id__in=subject.user_ids) & ~Q(note="")) | subject.mentioned_in("note")
    ).exclude(note=ERASED)


register(
    PersonalDataKind(
        key="content.comment",
        model=Comment,
        label=_("Comments on posts"),
        fields=("body", "created_at"),
        find=_comments,
        erase=set_fields(body=ERASED),
        workspace_field="post__workspace",
    )
)

register(
    PersonalDataKind(
        key="content.review",
        model=Review,
        label=_("Review notes"),
        fields=("decision", "note", "created_at"),
        find=_reviews,
        erase=set_fields(note=ERASED),
        workspace_field="post__workspace",
    )
)
