"""The vote fast path on the ASGI front (decision 0804): the same rules as Django's vote view
— counted once, replaced or refused per kind of poll, closed polls refused, rate limited —
plus the forgery checks, idempotency keys and the group commit that answers only after the
batch is stored."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from keryx.asgi import application
from keryx.core.realtime.hub import stop_hub
from keryx.live.domain.polls import poll_create, poll_set_status
from keryx.live.fastpath.writer import WRITER
from keryx.live.models import Participant, Poll, Vote

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "testserver"


def _poll(access: Any, room: Any, kind: str = "single", options: tuple[str, ...] = ()) -> Poll:
    choices = list(options or ("Α", "Β", "Γ"))
    if kind in {"rating", "cloud", "text"}:
        choices = []
    poll = poll_create(
        access=access,
        room=room,
        kind=kind,
        question="Πώς σας φάνηκε;",
        options=choices,
        correct=[0] if kind == "quiz" else [],
    )
    poll_set_status(access=access, poll=poll, action="launch")
    return poll


class Phone:
    """A participant's browser talking to the ASGI application (the fast path included)."""

    def __init__(self, client: httpx.AsyncClient, code: str) -> None:
        self.client = client
        self.code = code
        self.token = ""

    async def open(self) -> None:
        page = await self.client.get(f"/j/{self.code}/")
        assert page.status_code == 200
        found = re.search(r'data-token="([0-9a-f]+)"', page.text)
        assert found is not None
        self.token = found.group(1)

    async def vote(self, poll: Poll, key: str = "", **fields: Any) -> httpx.Response:
        headers = {
            "X-Live-Token": self.token,
            "Origin": f"http://{HOST}",
            "Sec-Fetch-Site": "same-origin",
            "Accept-Language": "el",
        }
        if key:
            headers["Idempotency-Key"] = key
        headers.update(fields.pop("headers", {}))
        return await self.client.post(
            f"/j/{self.code}/p/{poll.pk}/vote", data=fields, headers=headers
        )


def run(scenario: Any) -> Any:
    async def main() -> Any:
        try:
            return await scenario()
        finally:
            await stop_hub()

    return asyncio.run(main())


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=application), base_url=f"http://{HOST}"
    )


def test_vote_is_counted_once_replaced_and_answered_in_greek(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room)
    a, b, _c = list(poll.options.values_list("pk", flat=True))

    async def scenario() -> list[httpx.Response]:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            first = await phone.vote(poll, key="k1", options=str(a))
            retried = await phone.vote(poll, key="k1", options=str(a))
            changed = await phone.vote(poll, key="k2", options=str(b))
            stale = await phone.vote(poll, key="k1", options=str(a))  # an old retry
            return [first, retried, changed, stale]

    first, retried, changed, stale = run(scenario)
    assert first.status_code == 200
    assert first.json() == {
        "poll": poll.pk,
        "counted": 1,
        "message": "Ευχαριστούμε! Η απάντησή σας καταμετρήθηκε.",
    }
    assert retried.json() == first.json()
    assert changed.json()["counted"] == 0  # replaced, not added
    assert stale.json() == first.json()  # the first answer again, and nothing changes
    assert list(Vote.objects.filter(poll=poll).values_list("option_id", flat=True)) == [b]


def test_forged_votes_are_refused(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room)
    option = poll.options.first().pk

    async def scenario() -> list[int]:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            cross_site = await phone.vote(
                poll, options=str(option), headers={"Sec-Fetch-Site": "cross-site"}
            )
            other_origin = await phone.vote(
                poll,
                options=str(option),
                headers={"Origin": "https://evil.example", "Sec-Fetch-Site": ""},
            )
            real_token = phone.token
            phone.token = "0" * 32
            wrong_token = await phone.vote(poll, options=str(option))
            phone.token = real_token
        async with _client() as stranger:  # no participant cookie
            nobody = Phone(stranger, room.code)
            nobody.token = real_token
            no_cookie = await nobody.vote(poll, options=str(option))
        return [r.status_code for r in (cross_site, other_origin, wrong_token, no_cookie)]

    assert run(scenario) == [403, 403, 403, 404]
    assert not Vote.objects.exists()


def test_closed_poll_quiz_and_multiple_choice_keep_their_rules(room, access) -> None:  # type: ignore[no-untyped-def]
    single = _poll(access, room)
    quiz = _poll(access, room, "quiz")
    multiple = _poll(access, room, "multiple")
    rating = _poll(access, room, "rating")
    poll_set_status(access=access, poll=single, action="close")
    q1, q2, _ = list(quiz.options.values_list("pk", flat=True))
    m1, m2, _ = list(multiple.options.values_list("pk", flat=True))
    s1 = single.options.first().pk

    async def scenario() -> dict[str, Any]:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            closed = await phone.vote(single, options=str(s1))
            quiz_first = await phone.vote(quiz, options=str(q1))
            quiz_again = await phone.vote(quiz, options=str(q2))
            multi = await phone.vote(multiple, options=[str(m1), str(m2)])
            multi_again = await phone.vote(multiple, options=[str(m1)])
            bad_rating = await phone.vote(rating, value="9")
            good_rating = await phone.vote(rating, value="4")
            return {
                "closed": (closed.status_code, closed.json()["message"]),
                "quiz": (quiz_first.status_code, quiz_again.status_code),
                "multi": (multi.json()["counted"], multi_again.json()["counted"]),
                "rating": (bad_rating.status_code, good_rating.status_code),
            }

    seen = run(scenario)
    assert seen == {
        "closed": (409, "Αυτή η ψηφοφορία έχει κλείσει."),
        "quiz": (200, 409),
        "multi": (2, 0),
        "rating": (422, 200),
    }
    assert list(Vote.objects.filter(poll=quiz).values_list("option_id", flat=True)) == [q1]
    assert Vote.objects.filter(poll=multiple).count() == 2
    assert list(Vote.objects.filter(poll=rating).values_list("value", flat=True)) == [4]


def test_votes_are_rate_limited_per_participant(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room, "rating")

    async def scenario() -> list[httpx.Response]:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            return [await phone.vote(poll, value=str(1 + n % 5)) for n in range(31)]

    answers = run(scenario)
    assert [a.status_code for a in answers[:30]] == [200] * 30
    assert answers[30].status_code == 429
    assert int(answers[30].headers["Retry-After"]) >= 1


def test_a_retried_vote_is_answered_again_without_counting_against_the_limit(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room, "rating")

    async def scenario() -> tuple[list[httpx.Response], list[httpx.Response], httpx.Response]:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            first = [await phone.vote(poll, key="same", value="3")]
            # A flaky network: the same vote sent ten more times, some of them at once.
            retries = [await phone.vote(poll, key="same", value="3") for _ in range(5)]
            retries += await asyncio.gather(
                *(phone.vote(poll, key="same", value="3") for _ in range(5))
            )
            rest = [await phone.vote(poll, key=f"k{n}", value="4") for n in range(29)]
            over = await phone.vote(poll, key="k-over", value="5")
            return first + rest, retries, over

    counted, retries, over = run(scenario)
    assert [a.status_code for a in counted] == [200] * 30
    assert {(a.status_code, a.json()["counted"]) for a in retries} == {(200, 1)}
    assert over.status_code == 429
    assert list(Vote.objects.filter(poll=poll).values_list("value", flat=True)) == [4]


def test_a_crowd_shares_commits_and_every_acknowledged_vote_is_stored(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room)
    option = poll.options.first().pk
    batches_before = WRITER.batches

    async def scenario() -> list[int]:
        async with _client() as client:
            phones = []
            for _ in range(40):
                phone = Phone(client, room.code)
                client.cookies.clear()
                await phone.open()
                phone_cookies = httpx.Cookies(client.cookies)
                phones.append((phone, phone_cookies))

            async def one(phone: Phone, cookies: httpx.Cookies) -> int:
                async with _client() as own:
                    own.cookies = cookies
                    phone.client = own
                    return (await phone.vote(poll, options=str(option))).status_code

            return list(await asyncio.gather(*(one(p, c) for p, c in phones)))

    statuses = run(scenario)
    assert statuses == [200] * 40
    assert Vote.objects.filter(poll=poll).count() == 40
    assert Participant.objects.count() == 40
    assert WRITER.batches - batches_before < 40  # votes shared commits


def test_a_vote_without_the_token_goes_to_django(room, access) -> None:  # type: ignore[no-untyped-def]
    poll = _poll(access, room)
    option = poll.options.first().pk

    async def scenario() -> int:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            phone.token = ""
            answer = await client.post(
                f"/j/{room.code}/p/{poll.pk}/vote", data={"options": str(option)}
            )
            return answer.status_code

    assert run(scenario) == 403  # Django's CSRF check: no token, no vote
    assert not Vote.objects.exists()


def test_votes_are_taken_again_after_the_writer_was_stopped(room, access) -> None:  # type: ignore[no-untyped-def]
    """A lifespan shutdown stops the writer; an application started again in the same process
    (a restart, the next test) must count votes again, not answer 503."""
    poll = _poll(access, room)
    option = poll.options.first().pk
    WRITER.stop()

    async def scenario() -> httpx.Response:
        async with _client() as client:
            phone = Phone(client, room.code)
            await phone.open()
            return await phone.vote(poll, options=str(option))

    answer = run(scenario)
    assert answer.status_code == 200
    assert Vote.objects.filter(poll=poll).count() == 1


def test_the_cookie_is_read_as_django_reads_it(seminar) -> None:  # type: ignore[no-untyped-def]
    """The fast path keeps Django's signer per cookie instead of building one per vote; what
    it accepts must stay exactly what ``get_signed_cookie`` accepts."""
    from django.core import signing
    from django.http import HttpResponse

    from keryx.live.fastpath.router import _participant_key
    from keryx.live.views.public import COOKIE

    name = f"{COOKIE}_{seminar.pk}"
    response = HttpResponse()
    response.set_signed_cookie(name, "key-1", salt=COOKIE)
    signed = response.cookies[name].value
    assert _participant_key(f"other=1; {name}={signed}".encode(), seminar.pk) == "key-1"
    # Signed the way older Django versions did (Django still accepts it): accepted too.
    legacy = signing.get_cookie_signer(salt=name + COOKIE).sign("key-2")
    assert _participant_key(f"{name}={legacy}".encode(), seminar.pk) == "key-2"
    # Tampered, another seminar's cookie, or none: nobody.
    assert _participant_key(f"{name}={signed[:-1]}x".encode(), seminar.pk) == ""
    assert _participant_key(f"{name}={signed}".encode(), seminar.pk + 1) == ""
    assert _participant_key(b"", seminar.pk) == ""
