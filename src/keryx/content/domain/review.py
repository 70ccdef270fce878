"""Approvals and the internal discussion of a post.

draft → in review → approved, or → changes requested (then edited and sent again). Who may
approve is set per workspace (every owner and manager by default, or named members) and so is
the number of approvals (one, or two by two different people). Nobody approves their own post.
Every transition is in the audit log; reviewers and authors are notified.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import ROLE_PERMISSIONS, Perm
from keryx.content.domain.checks import policy_of, post_checks
from keryx.content.enums import LOCKED_VARIANT_STATUSES, PostStatus, ReviewDecision, VariantStatus
from keryx.content.models import Comment, ContentPolicy, Post, Review
from keryx.content.signals import post_approved
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, Forbidden, ValidationFailed
from keryx.networks.models import ACCOUNT_NETWORK_CHOICES
from keryx.notifications.domain.notify import notify_in_their_language

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def post_url(post: Post) -> str:
    return reverse("content:edit", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def approvers_of(policy: ContentPolicy) -> list[User]:
    """The members who may approve: the named approvers, or every role that may approve."""
    roles = [str(r) for r in ROLE_PERMISSIONS[Perm.CONTENT_APPROVE]]
    members = Membership.objects.filter(workspace=policy.workspace, role__in=roles)
    if policy.pk is not None and policy.approvers.exists():
        members = members.filter(user__in=policy.approvers.all())
    return [m.user for m in members.select_related("user") if m.user.is_active]


def approvals_so_far(post: Post) -> list[Review]:
    """The approvals of the current revision (a later edit voids earlier ones)."""
    return list(
        post.reviews.filter(
            revision=post.revision, decision=ReviewDecision.APPROVED
        ).select_related("reviewer")
    )


def approval_refusal(access: Access, post: Post, *, approving: bool = True) -> str:
    """Why ``access.user`` may not approve ``post`` (or send it back) now; "" if they may."""
    if not access.can(Perm.CONTENT_APPROVE):
        return _("Your role in this workspace does not allow approving posts.")
    if post.status != PostStatus.IN_REVIEW:
        return _("Only a post in review can be approved or sent back.")
    if post.author_id == access.user.pk:
        return _("Nobody approves their own post: ask another approver.")
    policy = policy_of(access.workspace)
    if access.user.pk not in {u.pk for u in approvers_of(policy)}:
        return _("This workspace names its approvers, and you are not one of them.")
    if approving and any(r.reviewer_id == access.user.pk for r in approvals_so_far(post)):
        return _("You approved this version already; a second approver is needed.")
    return ""


def _transition_variants(post: Post, to: str) -> None:
    post.variants.exclude(status__in=LOCKED_VARIANT_STATUSES).update(status=to)


def notify_reviewers(*, access: Access, post: Post, edited: bool = False) -> None:
    recipients = [u for u in approvers_of(policy_of(access.workspace)) if u.pk != access.user.pk]

    def words() -> tuple[str, str]:
        title = (
            _("An approved post was edited and needs review again")
            if edited
            else _("A post needs your review")
        )
        body = _("%(who)s: “%(post)s”. Open it to approve it or request changes.") % {
            "who": access.user.display_name,
            "post": str(post),
        }
        return title, body

    notify_in_their_language(
        recipients=[u for u in recipients if u.pk != post.author_id],
        kind="content.review",
        words=words,
        url=post_url(post),
        workspace=access.workspace,
    )


@transaction.atomic
def post_submit(*, access: Access, post: Post) -> Post:
    """Send a draft (or a post with changes requested) for review; every variant must pass."""
    access.require(Perm.CONTENT_EDIT)
    post = Post.objects.select_for_update().get(pk=post.pk, workspace=access.workspace)
    if post.status not in {PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED}:
        raise Conflict(_("This post is already in review or approved."))
    if not post.variants.exists():
        raise ValidationFailed(
            fields={"account_ids": [_("Choose at least one network account to post to.")]}
        )
    _require_valid(post)
    old = post.status
    post.status = PostStatus.IN_REVIEW
    post.submitted_at = timezone.now()
    post.save(update_fields=["status", "submitted_at", "updated_at"])
    _transition_variants(post, VariantStatus.IN_REVIEW)
    audit_record(
        action="post.submit",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={"status": [old, post.status], "revision": [None, post.revision]},
    )
    notify_reviewers(access=access, post=post)
    return post


NETWORK_LABELS = dict(ACCOUNT_NETWORK_CHOICES)


def _require_valid(post: Post) -> None:
    fields: dict[str, list[str]] = {}
    for variant_id, check in post_checks(post).items():
        if check.errors:
            fields[f"variants.{variant_id}"] = [
                f"{NETWORK_LABELS.get(check.network, check.network)}: {p.message}"
                for p in check.errors
            ]
    if fields:
        raise ValidationFailed(
            _("Some variants break their network's rules. Fix them first; nothing was changed."),
            fields=fields,
        )


@transaction.atomic
def post_approve(*, access: Access, post: Post, note: str = "") -> Post:
    access.require(Perm.CONTENT_APPROVE)
    post = Post.objects.select_for_update().get(pk=post.pk, workspace=access.workspace)
    refusal = approval_refusal(access, post)
    if refusal:
        raise Forbidden(refusal) if post.status == PostStatus.IN_REVIEW else Conflict(refusal)
    _require_valid(post)
    Review.objects.create(
        post=post,
        reviewer=access.user,
        decision=ReviewDecision.APPROVED,
        revision=post.revision,
        note=note.strip(),
    )
    needed = policy_of(access.workspace).required_approvals
    given = len(approvals_so_far(post))
    if given < needed:
        audit_record(
            action="post.approve_step",
            actor=access.user,
            workspace=access.workspace,
            obj=post,
            changes={"approvals": [given - 1, given], "needed": [None, needed]},
        )
        return post
    post.status = PostStatus.APPROVED
    post.save(update_fields=["status", "updated_at"])
    _transition_variants(post, VariantStatus.APPROVED)
    audit_record(
        action="post.approve",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={
            "status": [PostStatus.IN_REVIEW, PostStatus.APPROVED],
            "revision": [None, post.revision],
        },
    )
    post_approved.send(sender=Post, post=post, access=access)
    if post.author is not None and post.author_id != access.user.pk:
        notify_in_their_language(
            recipients=[post.author],
            kind="content.approved",
            words=lambda: (
                _("Your post was approved"),
                _("%(who)s approved “%(post)s”. It can now be scheduled.")
                % {"who": access.user.display_name, "post": str(post)},
            ),
            url=post_url(post),
            workspace=access.workspace,
        )
    return post


@transaction.atomic
def post_request_changes(*, access: Access, post: Post, note: str) -> Post:
    access.require(Perm.CONTENT_APPROVE)
    post = Post.objects.select_for_update().get(pk=post.pk, workspace=access.workspace)
    refusal = approval_refusal(access, post, approving=False)
    if refusal:
        raise Forbidden(refusal) if post.status == PostStatus.IN_REVIEW else Conflict(refusal)
    if not note.strip():
        raise ValidationFailed(fields={"note": [_("Say what should change.")]})
    Review.objects.create(
        post=post,
        reviewer=access.user,
        decision=ReviewDecision.CHANGES_REQUESTED,
        revision=post.revision,
        note=note.strip(),
    )
    post.status = PostStatus.CHANGES_REQUESTED
    post.save(update_fields=["status", "updated_at"])
    _transition_variants(post, VariantStatus.DRAFT)
    audit_record(
        action="post.request_changes",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={"status": [PostStatus.IN_REVIEW, post.status], "note": [None, note.strip()]},
    )
    if post.author is not None:
        notify_in_their_language(
            recipients=[post.author],
            kind="content.changes_requested",
            words=lambda: (
                _("Changes requested on your post"),
                _("%(who)s: %(note)s") % {"who": access.user.display_name, "note": note.strip()},
            ),
            url=post_url(post),
            workspace=access.workspace,
        )
    return post


# --- comments -------------------------------------------------------------------------------


def mentioned_members(access: Access, body: str) -> tuple[list[User], list[str]]:
    """Members named in ``body`` (``@nikos`` for the part of the e-mail before the @, or the
    whole address ``@nikos@example.org``), and the names that matched nobody."""
    members = [
        m.user for m in Membership.objects.filter(workspace=access.workspace).select_related("user")
    ]
    by_email = {u.email.lower(): u for u in members}
    by_local: dict[str, list[User]] = {}
    for u in members:
        by_local.setdefault(u.email.split("@", 1)[0].lower(), []).append(u)
    found: dict[int, User] = {}
    unknown: list[str] = []
    for raw in MENTION.findall(body):
        name = raw.rstrip(".").lower()
        user = by_email.get(name)
        if user is None and len(by_local.get(name, [])) == 1:
            user = by_local[name][0]
        if user is None:
            unknown.append(raw.rstrip("."))
        else:
            found[user.pk] = user
    return list(found.values()), unknown


@transaction.atomic
def comment_add(*, access: Access, post: Post, body: str) -> Comment:
    access.require(Perm.CONTENT_EDIT)
    text = body.strip()
    if not text:
        raise ValidationFailed(fields={"body": [_("Write a comment first.")]})
    if len(text) > 5000:
        raise ValidationFailed(fields={"body": [_("Keep comments under 5,000 characters.")]})
    users, _unknown = mentioned_members(access, text)
    comment = Comment.objects.create(post=post, author=access.user, body=text)
    comment.mentions.set(users)
    audit_record(
        action="comment.create",
        actor=access.user,
        workspace=access.workspace,
        obj=comment,
        changes={"post": [None, post.pk], "mentions": [None, sorted(u.email for u in users)]},
    )
    recipients = [u for u in users if u.pk != access.user.pk]
    if recipients:
        notify_in_their_language(
            recipients=recipients,
            kind="content.mention",
            words=lambda: (
                _("%(who)s mentioned you on a post") % {"who": access.user.display_name},
                text[:500],
            ),
            url=post_url(post) + f"#comment-{comment.pk}",
            workspace=access.workspace,
        )
    return comment


# --- policy ---------------------------------------------------------------------------------


@transaction.atomic
def policy_update(
    *,
    access: Access,
    required_approvals: int | None = None,
    approver_ids: Sequence[int] | None = None,
    instagram_max_hashtags: int | None = None,
) -> ContentPolicy:
    access.require(Perm.CONTENT_APPROVE)
    policy, _created = ContentPolicy.objects.get_or_create(workspace=access.workspace)
    before = {
        "required_approvals": policy.required_approvals,
        "approvers": sorted(policy.approvers.values_list("pk", flat=True)),
        "instagram_max_hashtags": policy.instagram_max_hashtags,
    }
    fields: dict[str, list[str]] = {}
    if required_approvals is not None:
        if required_approvals not in (1, 2):
            fields["required_approvals"] = [_("Choose 1 or 2 approvals.")]
        policy.required_approvals = required_approvals
    if instagram_max_hashtags is not None:
        if not 0 <= instagram_max_hashtags <= 30:
            fields["instagram_max_hashtags"] = [_("Give a number from 0 to 30.")]
        policy.instagram_max_hashtags = instagram_max_hashtags
    approvers: Iterable[User] | None = None
    if approver_ids is not None:
        roles = [str(r) for r in ROLE_PERMISSIONS[Perm.CONTENT_APPROVE]]
        approvers = [
            m.user
            for m in Membership.objects.filter(
                workspace=access.workspace, user_id__in=approver_ids, role__in=roles
            ).select_related("user")
        ]
        if len(approvers) != len(set(approver_ids)):
            fields["approver_ids"] = [
                _("Approvers must be members whose role may approve (owners and managers).")
            ]
    if fields:
        raise ValidationFailed(fields=fields)
    policy.save()
    if approvers is not None:
        policy.approvers.set(approvers)
    after = {
        "required_approvals": policy.required_approvals,
        "approvers": sorted(policy.approvers.values_list("pk", flat=True)),
        "instagram_max_hashtags": policy.instagram_max_hashtags,
    }
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        audit_record(
            action="content_policy.update",
            actor=access.user,
            workspace=access.workspace,
            obj=policy,
            changes=changes,
        )
    return policy
