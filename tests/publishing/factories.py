"""Posts, variants and accounts for the publishing tests, made straight through the ORM (the
composer's domain is not on this branch; the pipeline only needs the rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from keryx.accounts.models import User, Workspace
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post, Variant
from keryx.networks.models import NetworkAccount
from keryx.seminars.models import Seminar


def make_account(
    workspace: Workspace,
    *,
    network: str = "testnet",
    base_url: str = "",
    name: str = "acct",
    **extra: Any,
) -> NetworkAccount:
    return NetworkAccount.objects.create(
        workspace=workspace,
        network=network,
        name=name,
        handle=f"@{name}",
        remote_id=f"{network}-{name}",
        base_url=base_url,
        credentials={"access_token": name, "refresh_token": f"{name}:refresh"},
        **extra,
    )


def make_post(
    seminar: Seminar,
    author: User | None,
    *,
    text: str = "Έλα στο σεμινάριο!",
    status: str = PostStatus.APPROVED,
    **extra: Any,
) -> Post:
    return Post.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        master_text=text,
        status=status,
        author=author,
        **extra,
    )


def make_variant(
    post: Post,
    account: NetworkAccount,
    *,
    status: str = VariantStatus.APPROVED,
    scheduled_at: dt.datetime | None = None,
    text: str = "",
    **extra: Any,
) -> Variant:
    return Variant.objects.create(
        post=post,
        account=account,
        network=account.network,
        text=text or post.master_text,
        status=status,
        scheduled_at=scheduled_at,
        **extra,
    )


def due_variant(
    seminar: Seminar,
    author: User | None,
    account: NetworkAccount,
    *,
    text: str = "Καλημέρα!",
    ago: dt.timedelta = dt.timedelta(seconds=5),
) -> Variant:
    post = make_post(seminar, author, text=text)
    return make_variant(
        post, account, status=VariantStatus.SCHEDULED, scheduled_at=timezone.now() - ago
    )
