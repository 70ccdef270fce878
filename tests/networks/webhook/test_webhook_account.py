"""A webhook account as a user meets it (issue 16, bugs 1, 2 and 16), against a real receiver
on 127.0.0.1: it can be chosen in the composer and through the API, publishing delivers to
it once, "Check now" really asks the receiver (and says when it is down), and a local address
is refused with the name of the setting that allows it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.errors import ValidationFailed
from keryx.networks.domain.accounts import account_connect_form
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.networks.webhook.client import signature_valid
from keryx.publishing.domain.schedule import variant_share_now
from tests.publishing.factories import make_post, make_variant
from tests.support.receiver import Receiver, run_receiver

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "a-secret-of-32-characters-000000"


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the receiver listens on 127.0.0.1
    with run_receiver() as running:
        yield running


def _connect(workspace: Any, user: Any, url: str) -> NetworkAccount:
    return account_connect_form(
        access=workspace_access(user, workspace),
        network="webhook",
        data={"name": "Ο δικός μας δέκτης", "url": url, "style": "generic", "secret": SECRET},
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_connected_webhook_is_offered_in_the_composer_and_taken_by_the_api(
    workspace: Any, user: Any, seminar: Any, api: Client, receiver: Receiver
) -> None:
    account = _connect(workspace, user, receiver.url)
    page = _client(user).get(f"/w/{workspace.slug}/compose/new/")
    assert page.status_code == 200
    assert f'value="{account.pk}"' in page.content.decode()
    response = api.post(
        f"/api/v1/workspaces/{workspace.slug}/posts",
        {
            "seminar_id": seminar.pk,
            "master_text": "Νέα ανακοίνωση για το σεμινάριο",
            "account_ids": [account.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    (variant,) = response.json()["variants"]
    assert (variant["network"], variant["check"]["valid"]) == ("webhook", True)


def test_publishing_delivers_to_the_webhook_exactly_once(
    workspace: Any, user: Any, seminar: Any, receiver: Receiver
) -> None:
    account = _connect(workspace, user, receiver.url)
    post = make_post(seminar, user, text="Έλα στο σεμινάριο!")
    variant = make_variant(post, account)
    variant_share_now(access=workspace_access(user, workspace), variant_id=variant.pk)
    variant = Variant.objects.get(pk=variant.pk)
    assert variant.status == VariantStatus.PUBLISHED
    (delivered,) = receiver.posts
    assert delivered.json()["text"] == "Έλα στο σεμινάριο!"
    assert delivered.headers["idempotency-key"]
    assert signature_valid(
        SECRET,
        delivered.headers["x-keryx-timestamp"],
        delivered.body,
        delivered.headers["x-keryx-signature"],
    )
    assert variant.remote_id == "delivery-1"  # the receiver's own id


def test_check_now_asks_the_receiver_and_says_when_it_is_down(
    workspace: Any, user: Any, receiver: Receiver
) -> None:
    account = _connect(workspace, user, receiver.url)
    before = len(receiver.requests)
    client = _client(user)
    check = f"/w/{workspace.slug}/settings/accounts/{account.pk}/check/"

    response = client.post(check, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Webhook: 127.0.0.1: Connected."]
    (ping,) = receiver.requests[before:]
    assert (ping.method, ping.headers["x-keryx-event"], ping.json()["event"]) == (
        "POST",
        "ping",
        "ping",
    )
    assert signature_valid(
        SECRET, ping.headers["x-keryx-timestamp"], ping.body, ping.headers["x-keryx-signature"]
    )
    assert receiver.posts == []  # a check posts nothing people see

    receiver.stop()
    response = client.post(check, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Webhook: 127.0.0.1: Not reachable. The webhook at 127.0.0.1 could not be reached: "
        "nothing answers there. Try again in a moment."
    ]
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED  # the URL still stands; the receiver is down
    page = client.get(f"/w/{workspace.slug}/settings/accounts/").content.decode()
    assert 'class="health health-unreachable">Not reachable</span>' in page


def test_a_local_address_names_the_setting_that_allows_it(
    workspace: Any, user: Any, settings: Any
) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = False
    for url, first in (
        ("http://127.0.0.1:8080/hook", "Use an https:// address; Keryx does not send tokens "),
        ("https://localhost/hook", "This address points inside your own network; "),
    ):
        with pytest.raises(ValidationFailed) as refused:
            _connect(workspace, user, url)
        (message,) = refused.value.fields["__all__"]
        assert message.startswith(first)
        assert message.endswith(
            "For local testing, whoever runs Keryx can allow http:// and private addresses "
            "with the setting KERYX_ALLOW_PRIVATE_URLS=true (see the README)."
        )
