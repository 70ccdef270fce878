"""The approvals queue: the posts waiting for the signed-in approver, approved or sent back
from the list itself. The decisions are the review domain's (content/domain/review.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content import queries
from keryx.content.domain.checks import policy_of
from keryx.content.domain.review import approvals_so_far
from keryx.content.forms import NoteForm
from keryx.web.access import area


@area(Perm.CONTENT_VIEW, key="compose")
def approvals_queue(request: HttpRequest, access: Access) -> HttpResponse:
    posts = queries.posts_waiting_for(access)
    return render(
        request,
        "content/approvals.html",
        {
            "access": access,
            "rows": [(post, len(approvals_so_far(post))) for post in posts],
            "needed": policy_of(access.workspace).required_approvals,
            "can_approve": access.can(Perm.CONTENT_APPROVE),
            "note_form": NoteForm(),
            "tab": "approvals",
        },
    )
