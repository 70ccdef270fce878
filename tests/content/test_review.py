"""Approvals, internal comments with @mentions, the approval policy."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.posts import MediaChoice, PostInput, post_create
from keryx.content.domain.review import (
    comment_add,
    policy_update,
    post_approve,
    post_request_changes,
    post_submit,
)
from keryx.content.enums import PostStatus, VariantStatus
from keryx.core.errors import Conflict, Forbidden, ValidationFailed
from keryx.core.models import AuditEntry
from keryx.notifications.models import Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(editor_access, seminar, accounts, upload):  # type: ignore[no-untyped-def]
    photo = upload()
    return post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "Καλημέρα από το #Σεμινάριο2026"},
            account_ids=[a.pk for a in accounts.values()],
            media=[MediaChoice(media_id=photo.pk, alt_text="Η αίθουσα")],
        ),
    )


def test_submit_moves_post_and_variants_to_review_and_notifies_approvers(
    post, editor_access, manager, user
) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.IN_REVIEW}
    notified = set(
        Notification.objects.filter(kind="content.review").values_list(
            "recipient__email", flat=True
        )
    )
    assert notified == {manager.email, user.email}  # the manager and the owner
    assert AuditEntry.objects.filter(action="post.submit", object_id=str(post.pk)).exists()


def test_each_reviewer_and_the_author_are_notified_in_their_own_language(
    post, editor_access, manager_access, manager, user
) -> None:  # type: ignore[no-untyped-def]
    manager.language, user.language = "en", "el"
    manager.save(update_fields=["language"])
    user.save(update_fields=["language"])
    editor = editor_access.user
    editor.language = "el"
    editor.save(update_fields=["language"])

    with translation.override("el"):  # the editor works in Greek
        post_submit(access=editor_access, post=post)
    titles = dict(
        Notification.objects.filter(kind="content.review").values_list("recipient__email", "title")
    )
    assert titles == {
        manager.email: "A post needs your review",
        user.email: "Μια ανάρτηση περιμένει τον έλεγχό σας",
    }

    with translation.override("en"):  # the manager approves in English
        post_approve(access=manager_access, post=post)
    approved = Notification.objects.get(kind="content.approved")
    assert (approved.recipient, approved.title) == (editor, "Η ανάρτησή σας εγκρίθηκε")


def test_submit_refuses_a_variant_that_breaks_its_rules(post, editor_access, accounts) -> None:  # type: ignore[no-untyped-def]
    from keryx.content.domain.posts import VariantInput, post_update

    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=accounts["x"].pk, text="α" * 281)]),
    )
    with pytest.raises(ValidationFailed) as caught:
        post_submit(access=editor_access, post=post)
    x = post.variants.get(network="x")
    assert list(caught.value.fields) == [f"variants.{x.pk}"]
    assert caught.value.fields[f"variants.{x.pk}"][0].startswith("X: ")
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_nobody_approves_their_own_post(post, seminar, workspace) -> None:  # type: ignore[no-untyped-def]
    manager_author = make_member(workspace, "manager", email="author.manager@example.org")
    access = workspace_access(manager_author, workspace, Perm.CONTENT_APPROVE)
    post.author = manager_author
    post.save()
    post_submit(access=access, post=post)
    with pytest.raises(Forbidden) as caught:
        post_approve(access=access, post=post)
    assert caught.value.message == "Nobody approves their own post: ask another approver."


def test_editor_cannot_approve(post, editor_access) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    with pytest.raises(Forbidden):
        post_approve(access=editor_access, post=post)


def test_approve_moves_variants_to_approved_and_tells_the_author(
    post, editor_access, manager_access, editor, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_approve(access=manager_access, post=post, note="Εντάξει")
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.APPROVED}
    note = Notification.objects.get(kind="content.approved")
    assert note.recipient == editor
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert AuditEntry.objects.filter(action="post.approve", object_id=str(post.pk)).count() == 1


def test_two_step_approval_needs_two_different_approvers(
    post, editor_access, manager_access, user, workspace
) -> None:  # type: ignore[no-untyped-def]
    owner_access = workspace_access(user, workspace, Perm.CONTENT_APPROVE)
    policy_update(access=owner_access, required_approvals=2)
    post_submit(access=editor_access, post=post)
    post_approve(access=manager_access, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    with pytest.raises(Forbidden) as caught:
        post_approve(access=manager_access, post=post)
    assert "second approver" in caught.value.message
    post_approve(access=owner_access, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert list(
        AuditEntry.objects.filter(object_id=str(post.pk), action__startswith="post.approve")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["post.approve_step", "post.approve"]


def test_named_approvers_only(post, editor_access, manager_access, user, workspace) -> None:  # type: ignore[no-untyped-def]
    owner_access = workspace_access(user, workspace, Perm.CONTENT_APPROVE)
    policy_update(access=owner_access, approver_ids=[user.pk])
    post_submit(access=editor_access, post=post)
    with pytest.raises(Forbidden) as caught:
        post_approve(access=manager_access, post=post)
    assert (
        caught.value.message == "This workspace names its approvers, and you are not one of them."
    )
    post_approve(access=owner_access, post=post)


def test_policy_refuses_an_editor_as_approver(user, workspace, editor) -> None:  # type: ignore[no-untyped-def]
    owner_access = workspace_access(user, workspace, Perm.CONTENT_APPROVE)
    with pytest.raises(ValidationFailed) as caught:
        policy_update(access=owner_access, approver_ids=[editor.pk])
    assert list(caught.value.fields) == ["approver_ids"]


def test_request_changes_needs_a_note_and_returns_variants_to_draft(
    post, editor_access, manager_access, editor
) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    with pytest.raises(ValidationFailed):
        post_request_changes(access=manager_access, post=post, note="  ")
    post_request_changes(access=manager_access, post=post, note="Πιο σύντομο, παρακαλώ.")
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.DRAFT}
    note = Notification.objects.get(kind="content.changes_requested")
    assert (note.recipient, note.body) == (editor, "nikos: Πιο σύντομο, παρακαλώ.")
    post_submit(access=editor_access, post=post)  # after changes it goes back to review
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


def test_approving_a_draft_is_a_conflict(post, manager_access) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        post_approve(access=manager_access, post=post)


def test_comment_mentions_notify_teammates_in_app_and_by_email(
    post, editor_access, manager, user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(
            access=editor_access,
            post=post,
            body="@nikos και @owner@example.org, τι λέτε; (@nobody δεν υπάρχει)",
        )
    assert sorted(u.email for u in comment.mentions.all()) == [manager.email, user.email]
    notes = Notification.objects.filter(kind="content.mention").order_by("recipient__email")
    assert [n.recipient.email for n in notes] == [manager.email, user.email]
    # In the recipient's language: theirs, else the workspace's (Greek here).
    assert notes[0].title == "Ο/Η sofia σας ανέφερε σε μια ανάρτηση"
    assert notes[0].url.endswith(f"/compose/posts/{post.pk}/#comment-{comment.pk}")
    assert sorted(m.to[0] for m in mail.outbox) == [manager.email, user.email]


def test_comment_cannot_be_empty(post, editor_access) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        comment_add(access=editor_access, post=post, body="   ")
    assert caught.value.fields == {"body": ["Write a comment first."]}
