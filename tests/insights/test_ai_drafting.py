"""AI drafting against a fake OpenAI-compatible server on 127.0.0.1 (a real socket: the openai
client's own HTTP stack is not intercepted by respx): draft, rewrite within X's limit checked by
the composer's rules, translation, hashtags, a timeout and a failure that keep the user's text,
off by default, and nothing personal in what leaves Keryx."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from keryx.networks.models import NetworkAccount
from keryx.networks.rules import check_text
from keryx.registrations.models import Registration
from keryx.seminars.models import Persona, Session, Speaker
from tests.support.fake_openai import LONG, SHORT, FakeOpenAI

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        settings.KERYX_AI_URL = server.url
        settings.KERYX_AI_MODEL = "fake-model"
        settings.KERYX_AI_KEY = "sk-test-key"
        settings.KERYX_AI_TIMEOUT = 1.0
        cache.clear()
        yield server
        cache.clear()


@pytest.fixture
def agenda(seminar: Any) -> Any:
    start = seminar.starts_at
    session = Session.objects.create(
        seminar=seminar,
        title="Ψηφιακό μάρκετινγκ για μικρούς οργανισμούς",
        description="Με τη Μαρία Παπαδοπούλου, maria@example.org",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    speaker = Speaker.objects.create(
        seminar=seminar, name="Μαρία Παπαδοπούλου", bio="Σύμβουλος, τηλ. 6912345678"
    )
    session.speakers.add(speaker)
    Persona.objects.create(seminar=seminar, name="Ελένη η υπεύθυνη επικοινωνίας")
    Registration.objects.create(
        seminar=seminar, name="Γιώργος Νικολάου", email="giorgos@example.org", language="el"
    )
    seminar.description = "Μια μέρα πρακτικής για την επικοινωνία."
    seminar.summary = "Πρακτικό σεμινάριο"
    seminar.save()
    return seminar


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _url(workspace: Any, action: str) -> str:
    return f"{V1}/workspaces/{workspace.slug}/ai/{action}"


def test_ai_drafting_is_off_by_default_with_no_panel_and_a_404_saying_so(
    api: Client, owner_client: Client, workspace: Any, seminar: Any
) -> None:
    response = _post(api, _url(workspace, "draft"), {"seminar_id": seminar.pk})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "ai_disabled"
    assert "KERYX_AI_URL" in error["message"]
    status = api.get(f"{V1}/workspaces/{workspace.slug}/ai").json()
    assert status["enabled"] is False and status["model"] == ""
    page = owner_client.get(reverse("content:new", kwargs={"workspace": workspace.slug}))
    assert page.status_code == 200
    assert b"data-ai-panel" not in page.content


def test_composer_shows_the_panel_and_what_is_sent_when_on(
    fake: FakeOpenAI, owner_client: Client, workspace: Any, seminar: Any
) -> None:
    page = owner_client.get(reverse("content:new", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert "data-ai-panel" in html
    assert "the titles of its agenda sessions" in html
    assert "insights/ai_panel.js" in html
    assert fake.requests == []  # opening the composer sends nothing


def test_draft_from_the_seminar_and_a_theme(
    fake: FakeOpenAI, api: Client, workspace: Any, agenda: Any
) -> None:
    response = _post(
        api,
        _url(workspace, "draft"),
        {"seminar_id": agenda.pk, "theme": "practical_tip", "language": "el", "notes": ""},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "draft"
    # The fake echoes the title; the quotes models put around a post are taken off.
    assert (
        body["text"] == f"Μια πρακτική ιστορία για το «{agenda.title}». Δηλώστε συμμετοχή σήμερα!"
    )
    sent = fake.requests[0]
    assert sent["model"] == "fake-model"
    assert body["prompt"] == sent["messages"]
    user = sent["messages"][1]["content"]
    assert f"Seminar: {agenda.title}" in user
    assert "Ψηφιακό μάρκετινγκ για μικρούς οργανισμούς" in user
    assert "Theme: Practical tip" in user
    assert "in Greek" in user
    assert fake.headers[0]["authorization"] == "Bearer sk-test-key"


def test_nothing_personal_leaves_keryx(
    fake: FakeOpenAI, api: Client, workspace: Any, agenda: Any, user: Any
) -> None:
    _post(api, _url(workspace, "draft"), {"seminar_id": agenda.pk, "theme": "countdown"})
    _post(api, _url(workspace, "hashtags"), {"seminar_id": agenda.pk, "text": "Ελάτε!"})
    _post(
        api,
        _url(workspace, "rewrite"),
        {"seminar_id": agenda.pk, "text": "Ελάτε!", "network": "x"},
    )
    assert len(fake.requests) == 3
    blob = json.dumps(fake.requests, ensure_ascii=False)
    for personal in (
        "Μαρία Παπαδοπούλου",
        "maria@example.org",
        "6912345678",
        "Ελένη",
        "Γιώργος",
        "giorgos@example.org",
        user.email,
        "Τεχνόπολη",  # the venue's name is left out; the city is public enough
    ):
        assert personal not in blob
    # Only these keys go out: the model, the messages and two generation settings.
    assert {key for r in fake.requests for key in r} == {
        "model",
        "messages",
        "max_tokens",
        "temperature",
    }


def test_rewrite_for_x_is_checked_and_asked_again_when_over_280(
    fake: FakeOpenAI, api: Client, workspace: Any, seminar: Any
) -> None:
    assert check_text("x", LONG).length > 280
    fake.overlong_rewrites = 1
    response = _post(
        api,
        _url(workspace, "rewrite"),
        {"seminar_id": seminar.pk, "text": LONG, "network": "x", "language": "en"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["text"] == SHORT
    assert body["retried"] is True
    assert body["check"]["network"] == "x"
    assert body["check"]["limit"] == 280
    assert body["check"]["length"] == check_text("x", SHORT).length
    assert body["check"]["valid"] is True
    assert body["notes"] == []
    assert len(fake.requests) == 2
    first = fake.requests[0]["messages"][-1]["content"]
    assert "rewrite the post below for X" in first and "at most 280 characters" in first
    again = fake.requests[1]["messages"][-1]["content"]
    length = check_text("x", LONG).length
    assert again.startswith(f"That is {length} characters, over X's limit of 280.")
    assert "at most 238 characters" in again
    assert body["prompt"] == fake.requests[1]["messages"]


def test_rewrite_still_over_the_limit_says_so(
    fake: FakeOpenAI, api: Client, workspace: Any
) -> None:
    fake.overlong_rewrites = 5
    fake.answer_shorten = False  # type: ignore[attr-defined]
    original = fake.answer

    def stubborn(body: dict[str, Any]) -> str:
        return LONG if "Shorten it" in body["messages"][-1]["content"] else original(body)

    fake.answer = stubborn  # type: ignore[method-assign]
    body = _post(api, _url(workspace, "rewrite"), {"text": "Κείμενο", "network": "x"}).json()
    assert body["text"] == LONG
    assert body["check"]["valid"] is False
    assert body["retried"] is True
    length = check_text("x", LONG).length
    assert body["notes"] == [
        f"Still {length} characters, over X's limit of 280, after asking twice: "
        "shorten it before you use it."
    ]


def test_rewrite_uses_the_accounts_own_limit(fake: FakeOpenAI, api: Client, workspace: Any) -> None:
    account = NetworkAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        name="Σεμινάριο",
        handle="@seminar@example.social",
        base_url="https://example.social",
        server_limits={"configuration": {"statuses": {"max_characters": 1000}}},
    )
    body = _post(
        api, _url(workspace, "rewrite"), {"text": "Ελάτε!", "account_id": account.pk}
    ).json()
    assert body["check"]["limit"] == 1000
    assert "at most 1000 characters" in fake.requests[0]["messages"][-1]["content"]


def test_translate_greek_to_english_and_back(fake: FakeOpenAI, api: Client, workspace: Any) -> None:
    body = _post(
        api, _url(workspace, "translate"), {"text": "Ελάτε στο σεμινάριο!", "language": "el"}
    ).json()
    assert body["text"] == "Join us at the seminar on digital marketing! #Σεμινάριο2026"
    assert body["notes"] == ["Translated into English."]
    assert "from Greek into English" in fake.requests[0]["messages"][1]["content"]
    body = _post(api, _url(workspace, "translate"), {"text": "Join us!", "language": "en"}).json()
    assert body["text"] == "Ελάτε στο σεμινάριο για το ψηφιακό μάρκετινγκ! #Seminar2026"
    assert "from English into Greek" in fake.requests[1]["messages"][1]["content"]


def test_hashtags_leave_out_the_official_ones_and_those_already_written(
    fake: FakeOpenAI, api: Client, workspace: Any, seminar: Any
) -> None:
    body = _post(
        api,
        _url(workspace, "hashtags"),
        {"seminar_id": seminar.pk, "text": "Ελάτε! #Athens", "language": "el"},
    ).json()
    assert body["hashtags"] == ["#ψηφιακό_μάρκετινγκ", "#DigitalMarketing", "#smallbusiness"]
    assert body["text"] == "#ψηφιακό_μάρκετινγκ #DigitalMarketing #smallbusiness"


def test_a_timeout_says_so_in_plain_words_and_keeps_the_text(
    fake: FakeOpenAI, owner_client: Client, workspace: Any, seminar: Any
) -> None:
    fake.mode = "slow"
    fake.delay = 3.0
    response = _post(
        owner_client,
        _url(workspace, "rewrite"),
        {"text": "Το κείμενό μου", "network": "x"},
    )
    assert response.status_code == 504
    error = response.json()["error"]
    assert error["code"] == "ai_timeout"
    assert error["message"] == (
        "The AI server did not answer within 1 second. Nothing was changed: your text is as "
        "you left it. Try again in a moment."
    )
    assert "Το κείμενό μου" in error["data"]["prompt"][1]["content"]
    assert len(fake.requests) == 1  # no retry behind the user's back


def test_a_timeout_message_is_in_greek_for_a_greek_user(
    fake: FakeOpenAI, owner_client: Client, workspace: Any, user: Any
) -> None:
    user.language = "el"
    user.save()
    fake.mode = "slow"
    response = owner_client.post(
        _url(workspace, "translate"),
        data=json.dumps({"text": "Καλημέρα"}),
        content_type="application/json",
        headers={"Accept-Language": "el"},
    )
    assert response.status_code == 504
    assert "μέσα σε 1 δευτερόλεπτο." in response.json()["error"]["message"]


def test_the_timeout_message_counts_seconds_in_singular_and_plural() -> None:
    from django.utils import translation

    from keryx.insights.ai_client import AiTimeout

    with translation.override("el"):
        assert "μέσα σε 1 δευτερόλεπτο." in AiTimeout(1.0, []).message
        assert "μέσα σε 2.5 δευτερόλεπτα." in AiTimeout(2.5, []).message
    with translation.override("en"):
        assert "within 1 second." in AiTimeout(1, []).message
        assert "within 30 seconds." in AiTimeout(30.0, []).message


def test_a_server_error_says_so_and_is_not_retried(
    fake: FakeOpenAI, api: Client, workspace: Any, seminar: Any
) -> None:
    fake.mode = "error"
    response = _post(api, _url(workspace, "draft"), {"seminar_id": seminar.pk})
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "ai_failed"
    assert "Nothing was changed" in error["message"]
    assert len(fake.requests) == 1


def test_drafting_is_rate_limited_per_user(
    fake: FakeOpenAI, api: Client, workspace: Any, settings: Any
) -> None:
    settings.KERYX_AI_RATE_LIMIT = 2
    for _ in range(2):
        assert _post(api, _url(workspace, "translate"), {"text": "Γεια"}).status_code == 200
    response = _post(api, _url(workspace, "translate"), {"text": "Γεια"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert len(fake.requests) == 2


def test_a_viewer_may_not_draft(fake: FakeOpenAI, workspace: Any, member: Any) -> None:
    from tests.factories import make_token

    viewer = member("viewer")
    client = Client(headers={"Authorization": f"Bearer {make_token(viewer)}"})
    response = _post(client, _url(workspace, "translate"), {"text": "Γεια"})
    assert response.status_code == 403
    assert fake.requests == []


def test_unknown_theme_and_network_are_422(
    fake: FakeOpenAI, api: Client, workspace: Any, seminar: Any
) -> None:
    response = _post(api, _url(workspace, "draft"), {"seminar_id": seminar.pk, "theme": "nope"})
    assert response.status_code == 422
    response = _post(api, _url(workspace, "rewrite"), {"text": "x", "network": "myspace"})
    assert response.status_code == 422
    assert fake.requests == []


def test_the_panel_speaks_greek_to_a_greek_user(
    fake: FakeOpenAI, owner_client: Client, workspace: Any, seminar: Any, user: Any
) -> None:
    user.language = "el"
    user.save()
    page = owner_client.get(
        reverse("content:new", kwargs={"workspace": workspace.slug}),
        headers={"Accept-Language": "el"},
    )
    html = page.content.decode()
    assert "Προτάσεις ΤΝ" in html
    assert "οι τίτλοι των ενοτήτων του προγράμματος" in html
    assert "AI suggestions" not in html
    assert "Use this suggestion" not in html
