"""The live app through its views: join, Q&A, polls, moderation, abuse, exports."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from keryx.live.domain.polls import poll_create, poll_set_status
from keryx.live.enums import Moderation
from keryx.live.models import Participant, Question, Vote
from keryx.live.results import poll_results

pytestmark = pytest.mark.django_db


def joined(client: Client, room) -> Client:  # type: ignore[no-untyped-def]
    assert client.get(f"/j/{room.code}/").status_code == 200
    return client


def test_join_by_code_any_case_and_unknown_code_says_so(client: Client, room) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/j/", {"code": room.code.lower()})
    assert answer.status_code == 302 and answer["Location"] == f"/j/{room.code}/"
    missing = client.get("/j/", {"code": "ZZZZZZ"}, HTTP_ACCEPT_LANGUAGE="el")
    assert missing.status_code == 404
    page = client.get(f"/j/{room.code}/")
    assert page.status_code == 200
    qr = client.get(f"/j/{room.code}/qr.svg")
    assert (
        qr["Content-Type"] == "image/svg+xml"
        and b'xmlns="http://www.w3.org/2000/svg"' in qr.content
    )
    assert Participant.objects.filter(seminar=room.seminar).count() == 1
    client.get(f"/j/{room.code}/")  # the cookie brings the same participant back
    assert Participant.objects.filter(seminar=room.seminar).count() == 1


def test_ask_before_moderation_then_approve_answer_and_pin(
    room, access, owner_client, phone
) -> None:  # type: ignore[no-untyped-def]
    p = joined(phone(), room)
    p.post(f"/j/{room.code}/name", {"name": "Μαρία"})
    answer = p.post(f"/j/{room.code}/ask", {"text": "Πότε ξεκινά το εργαστήριο;"})
    assert answer.status_code == 200 and answer.json()["status"] == "pending"
    question = Question.objects.get()
    assert question.author_name == "Μαρία"
    state = p.get(f"/j/{room.code}/state.json").json()["state"]
    assert state["questions"] == []  # not shown before approval
    base = f"/w/{access.workspace.slug}/live/{room.pk}/q/{question.pk}"
    for action in ("approve", "answered", "pin"):
        assert owner_client.post(base, {"action": action}).status_code == 200
    owner_client.post(base, {"action": "reply", "text": "Στις 10:00."})
    shown = p.get(f"/j/{room.code}/state.json").json()["state"]["questions"]
    assert [(q["text"], q["answered"], q["pinned"], q["reply"]) for q in shown] == [
        ("Πότε ξεκινά το εργαστήριο;", True, True, "Στις 10:00.")
    ]


def test_anonymous_question_hides_the_name_and_after_moderation_shows_at_once(
    room, access, phone
) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    p = joined(phone(), room)
    p.post(f"/j/{room.code}/name", {"name": "Νίκος"})
    p.post(f"/j/{room.code}/ask", {"text": "Ανώνυμη ερώτηση", "anonymous": "1"})
    shown = p.get(f"/j/{room.code}/state.json").json()["state"]["questions"]
    assert [(q["text"], q["name"]) for q in shown] == [("Ανώνυμη ερώτηση", "")]


def test_over_long_question_refused_with_translated_message(room, phone) -> None:  # type: ignore[no-untyped-def]
    p = joined(phone(), room)
    answer = p.post(f"/j/{room.code}/ask", {"text": "α" * 301}, HTTP_ACCEPT_LANGUAGE="el")
    assert answer.status_code == 422
    assert "300" in answer.json()["message"] and "301" in answer.json()["message"]
    assert Question.objects.count() == 0


def test_blocked_words_match_greek_with_or_without_accents_and_english(room, phone) -> None:  # type: ignore[no-untyped-def]
    room.blocked_words = "Κακόλογο"
    room.save()
    p = joined(phone(), room)
    for text in ("Είσαι ΜΑΛΑΚΑΣ", "τι μαλακία", "this is shit", "ένα κακολογο εδώ"):
        assert p.post(f"/j/{room.code}/ask", {"text": text}).status_code == 422, text
    assert p.post(f"/j/{room.code}/ask", {"text": "Μια καθαρή ερώτηση"}).status_code == 200


def test_upvote_counts_once_per_participant(room, phone) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    asker = joined(phone(), room)
    asker.post(f"/j/{room.code}/ask", {"text": "Ερώτηση;"})
    question = Question.objects.get()
    voter = joined(phone(), room)
    for _ in range(3):
        assert voter.post(f"/j/{room.code}/q/{question.pk}/upvote").status_code == 200
    joined(phone(), room).post(f"/j/{room.code}/q/{question.pk}/upvote")
    question.refresh_from_db()
    assert question.upvotes == 2


def test_votes_are_idempotent_replaced_and_closed_polls_say_so(room, access, phone) -> None:  # type: ignore[no-untyped-def]
    poll = poll_create(
        access=access, room=room, kind="single", question="Καφές;", options=["Ναι", "Όχι"]
    )
    yes, no = list(poll.options.values_list("pk", flat=True))
    p = joined(phone(), room)
    early = p.post(f"/j/{room.code}/p/{poll.pk}/vote", {"options": yes}, HTTP_ACCEPT_LANGUAGE="en")
    assert early.status_code == 409 and early.json()["message"] == "This poll is closed."
    poll_set_status(access=access, poll=poll, action="launch")
    for _ in range(2):  # a double click
        assert p.post(f"/j/{room.code}/p/{poll.pk}/vote", {"options": yes}).status_code == 200
    assert (
        p.post(f"/j/{room.code}/p/{poll.pk}/vote", {"options": no}).status_code == 200
    )  # changed mind
    joined(phone(), room).post(f"/j/{room.code}/p/{poll.pk}/vote", {"options": no})
    poll.refresh_from_db()
    assert poll_results(poll)["options"] == [{"id": yes, "count": 0}, {"id": no, "count": 2}]
    poll_set_status(access=access, poll=poll, action="close")
    closed = p.post(f"/j/{room.code}/p/{poll.pk}/vote", {"options": yes}, HTTP_ACCEPT_LANGUAGE="el")
    assert (
        closed.status_code == 409 and closed.json()["message"] == "Αυτή η ψηφοφορία έχει κλείσει."
    )


def test_multiple_choice_counts_each_option_once_and_quiz_keeps_the_first_answer(
    room, access, phone
) -> None:  # type: ignore[no-untyped-def]
    multi = poll_create(
        access=access, room=room, kind="multiple", question="Δίκτυα;", options=["FB", "IG", "X"]
    )
    quiz = poll_create(
        access=access, room=room, kind="quiz", question="2+2;", options=["3", "4"], correct=[1]
    )
    for poll in (multi, quiz):
        poll_set_status(access=access, poll=poll, action="launch")
    fb, ig, _x = list(multi.options.values_list("pk", flat=True))
    wrong, right = list(quiz.options.values_list("pk", flat=True))
    p = joined(phone(), room)
    p.post(f"/j/{room.code}/name", {"name": "Ελένη"})
    p.post(f"/j/{room.code}/p/{multi.pk}/vote", {"options": [fb, ig]})
    p.post(f"/j/{room.code}/p/{multi.pk}/vote", {"options": [fb]})
    assert Vote.objects.filter(poll=multi).count() == 2
    assert p.post(f"/j/{room.code}/p/{quiz.pk}/vote", {"options": right}).status_code == 200
    assert p.post(f"/j/{room.code}/p/{quiz.pk}/vote", {"options": wrong}).status_code == 409
    assert poll_results(quiz)["leaderboard"] == [{"name": "Ελένη", "score": 1}]


def test_word_cloud_merges_case_and_accents_and_drops_stop_words(room, access, phone) -> None:  # type: ignore[no-untyped-def]
    poll = poll_create(access=access, room=room, kind="cloud", question="Μία λέξη;")
    poll_set_status(access=access, poll=poll, action="launch")
    for text in ("Σεμινάριο", "σεμιναριο", "ΣΕΜΙΝΆΡΙΟ και το", "the Workshop", "workshop"):
        joined(phone(), room).post(f"/j/{room.code}/p/{poll.pk}/vote", {"text": text})
    assert poll_results(poll)["words"] == [
        {"word": "Σεμινάριο", "count": 3},
        {"word": "Workshop", "count": 2},
    ]


def test_rating_and_open_text_polls(room, access, phone) -> None:  # type: ignore[no-untyped-def]
    rating = poll_create(access=access, room=room, kind="rating", question="Πώς σας φάνηκε;")
    text = poll_create(access=access, room=room, kind="text", question="Σχόλια;")
    for poll in (rating, text):
        poll_set_status(access=access, poll=poll, action="launch")
    for value in (5, 4, 5):
        p = joined(phone(), room)
        p.post(f"/j/{room.code}/p/{rating.pk}/vote", {"value": value})
        p.post(f"/j/{room.code}/p/{text.pk}/vote", {"text": f"Τέλειο {value}"})
    bad = joined(phone(), room).post(f"/j/{room.code}/p/{rating.pk}/vote", {"value": 9})
    assert bad.status_code == 422
    result = poll_results(rating)
    assert result["ratings"] == [0, 0, 0, 1, 2] and result["average"] == 4.67
    assert sorted(poll_results(text)["answers"]) == ["Τέλειο 4", "Τέλειο 5", "Τέλειο 5"]


def test_moderator_actions_refused_to_viewers_and_participants(room, member, phone) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    p = joined(phone(), room)
    p.post(f"/j/{room.code}/ask", {"text": "Ερώτηση"})
    question = Question.objects.get()
    url = f"/w/{room.workspace.slug}/live/{room.pk}/q/{question.pk}"
    assert p.post(url, {"action": "dismiss"}).status_code == 302  # to the login page
    for role in ("viewer", "analyst", "editor"):
        staff = Client()
        staff.force_login(member(role))
        assert staff.post(url, {"action": "dismiss"}).status_code == 403, role
        assert staff.get(f"/w/{room.workspace.slug}/live/{room.pk}/").status_code == 403
    moderator = Client()
    moderator.force_login(member("moderator"))
    assert moderator.post(url, {"action": "dismiss"}).status_code == 200
    question.refresh_from_db()
    assert question.status == "dismissed"


def test_participant_text_is_escaped_in_the_page(room, access, owner_client, phone) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    p = joined(phone(), room)
    p.post(f"/j/{room.code}/name", {"name": "<b>Bob</b>"})
    p.post(f"/j/{room.code}/ask", {"text": "</script><script>alert(1)</script>"})
    html = p.get(f"/j/{room.code}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html
    screen = owner_client.get(f"/w/{access.workspace.slug}/live/{room.pk}/screen/").content.decode()
    assert "<script>alert(1)" not in screen


def test_ticket_link_recognises_the_registrant(room, phone) -> None:  # type: ignore[no-untyped-def]
    from keryx.registrations.domain.tokens import manage_token_make
    from keryx.registrations.models import Registration

    registration = Registration.objects.create(
        seminar=room.seminar, name="Άννα Παππά", email="anna@example.org", language="el"
    )
    p = phone()
    p.get(f"/j/{room.code}/", {"t": manage_token_make(registration.public_id)})
    participant = Participant.objects.get()
    assert participant.registration == registration and participant.name == "Άννα"
    other = phone()
    other.get(f"/j/{room.code}/", {"t": "forged:token"})
    assert Participant.objects.filter(registration__isnull=True).count() == 1


def test_exports_are_formula_safe(room, access, owner_client, phone) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    joined(phone(), room).post(f"/j/{room.code}/ask", {"text": '=HYPERLINK("http://x")'})
    base = f"/w/{access.workspace.slug}/live/{room.pk}/export/questions"
    csv_text = owner_client.get(base + ".csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    xlsx = owner_client.get(base + ".xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        owner_client.get(f"/w/{access.workspace.slug}/live/{room.pk}/export/other.csv").status_code
        == 404
    )


def test_rate_limit_on_asking(room, phone) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    p = joined(phone(), room)
    codes = [p.post(f"/j/{room.code}/ask", {"text": f"Ερώτηση {n}"}).status_code for n in range(7)]
    assert codes == [200] * 5 + [429, 429]


def test_home_opens_rooms_for_seminar_and_session(access, seminar, owner_client) -> None:  # type: ignore[no-untyped-def]
    from keryx.live.models import Room

    page = owner_client.get(f"/w/{access.workspace.slug}/live/")
    assert page.status_code == 200
    answer = owner_client.post(f"/w/{access.workspace.slug}/live/", {"seminar": seminar.pk})
    room = Room.objects.get()
    assert answer["Location"] == f"/w/{access.workspace.slug}/live/{room.pk}/"
    owner_client.post(f"/w/{access.workspace.slug}/live/", {"seminar": seminar.pk})
    assert Room.objects.count() == 1
    data = owner_client.get(f"/w/{access.workspace.slug}/live/{room.pk}/data.json").json()
    assert data["questions"] == [] and data["showing"] == "join"
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("url", "src", "csp"),
    [
        (
            "https://www.youtube.com/watch?v=abc_DEF-123",
            "https://www.youtube-nocookie.com/embed/abc_DEF-123?autoplay=1&amp;mute=1",
            "frame-src 'self' https://www.youtube-nocookie.com",
        ),
        (
            "https://vimeo.com/123456",
            "https://player.vimeo.com/video/123456",
            "frame-src 'self' https://player.vimeo.com",
        ),
        (
            "https://www.facebook.com/keryx/videos/987/",
            "https://www.facebook.com/plugins/video.php?show_text=false&amp;href=https%3A%2F%2Fwww.facebook.com%2Fkeryx%2Fvideos%2F987%2F",
            "frame-src 'self' https://www.facebook.com",
        ),
        (
            "https://cdn.example.org/live/stream.m3u8",
            'data-src="https://cdn.example.org/live/stream.m3u8"',
            "media-src 'self' blob: https://cdn.example.org",
        ),
    ],
)
def test_stream_is_embedded_with_its_origin_allowed_only_there(room, client, url, src, csp) -> None:  # type: ignore[no-untyped-def]
    room.stream_url = url
    room.save()
    page = client.get(f"/j/{room.code}/")
    html = page.content.decode()
    assert src in html
    assert csp in page["Content-Security-Policy"]
    if url.endswith(".m3u8"):
        assert "vendor/hlsjs/hls.min.js" in html
    room.stream_url = ""
    room.save()
    plain = client.get(f"/j/{room.code}/")
    assert "frame-src 'self';" in plain["Content-Security-Policy"] + ";"
