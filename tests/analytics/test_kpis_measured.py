"""The KPIs from metric snapshots, ratings, NPS and survey invitations, on a known data set
added to tests/analytics/conftest.py's: every value computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from keryx.analytics.domain.rollups import rollups_refresh
from keryx.analytics.engagement import engagement_chart
from keryx.analytics.figures import series_per_key
from keryx.analytics.kpis import NotMeasured, kpi
from keryx.content.models import Post, Variant
from keryx.live.models import Participant, Poll, Room, Vote
from keryx.networks.models import MetricSnapshot, NetworkAccount
from keryx.registrations.models import Registration
from keryx.surveys.models import Answer, Invitation, Question, Response, Survey
from tests.analytics.conftest import NOW, at

pytestmark = pytest.mark.django_db
D = Decimal


def _account(workspace, network: str) -> NetworkAccount:  # type: ignore[no-untyped-def]
    return NetworkAccount.objects.create(
        workspace=workspace, network=network, name=network, remote_id=f"{network}-1"
    )


def _published(seminar, account, remote_id: str) -> Variant:  # type: ignore[no-untyped-def]
    post = Post.objects.create(
        workspace=seminar.workspace, seminar=seminar, master_text=remote_id, theme="speakers"
    )
    return Variant.objects.create(
        post=post,
        account=account,
        network=account.network,
        text=remote_id,
        status="published",
        published_at=at(1, 12),
        remote_id=remote_id,
    )


def _snap(account, remote_id: str, when, **numbers) -> None:  # type: ignore[no-untyped-def]
    MetricSnapshot.objects.create(account=account, remote_id=remote_id, taken_at=when, **numbers)


@pytest.fixture
def measured(known, workspace):  # type: ignore[no-untyped-def]
    seminar = known.seminar
    x, fb = _account(workspace, "x"), _account(workspace, "facebook")
    _published(seminar, x, "x1")
    _published(seminar, fb, "fb1")
    _published(seminar, fb, "fb2")  # published, never measured
    # X gives no impressions nor reach: NULL, never 0.
    _snap(x, "x1", at(2, 10), likes=3, shares=1, comments=0)
    _snap(x, "x1", at(3, 10), likes=5, shares=2, comments=1)
    _snap(fb, "fb1", at(3, 9), likes=10, shares=0, comments=4, impressions=500, reach=400)
    _snap(fb, "fb1", at(3, 20), likes=12, shares=1, comments=4, impressions=800, reach=600)
    _snap(x, "not-ours", at(3, 11), likes=100, shares=100, comments=100)

    regs = {r.email.split("@")[0]: r for r in Registration.objects.filter(seminar=seminar)}
    room = Room.objects.create(workspace=workspace, seminar=seminar, title="Αίθουσα")
    poll = Poll.objects.create(room=room, kind="rating", question="Πώς σας φάνηκε;")
    choice = Poll.objects.create(room=room, kind="single", question="Από πού;")
    for registration, value in ((regs["p1"], 5), (regs["p3"], 4), (None, 2)):
        person = Participant.objects.create(seminar=seminar, registration=registration)
        Vote.objects.create(poll=poll, participant=person, value=value)
        Vote.objects.create(poll=choice, participant=person, value=1)  # not a rating

    def survey(kind: str) -> tuple[Survey, Question, Question]:
        s = Survey.objects.create(workspace=workspace, seminar=seminar, kind=kind)
        rating = Question.objects.create(survey=s, key="rating", kind="rating5")
        nps = Question.objects.create(survey=s, key="nps", kind="nps")
        return s, rating, nps

    feedback, rating, nps = survey("feedback")
    for key, submitted, stars, score in (
        ("p3", True, 3, 10),
        ("p6", True, 5, 9),
        ("p1", False, 1, 0),  # not submitted: not counted
        (None, True, None, 7),
        (None, True, None, 3),
    ):
        registration = regs[key] if key else None
        invitation = None
        if registration is not None:
            invitation = Invitation.objects.create(
                survey=feedback, registration=registration, invited_at=at(6, 9)
            )
        response = Response.objects.create(
            survey=feedback,
            registration=registration,
            invitation=invitation,
            day=dt.date(2026, 12, 6),
            submitted=submitted,
        )
        if stars is not None:
            Answer.objects.create(response=response, question=rating, number=stars)
        Answer.objects.create(response=response, question=nps, number=score)
    Invitation.objects.create(survey=feedback, registration=regs["p4"], invited_at=at(6, 9))
    Invitation.objects.create(survey=feedback, registration=regs["p2"])  # never sent
    audience, a_rating, _a_nps = survey("audience")
    response = Response.objects.create(
        survey=audience, registration=regs["p2"], day=dt.date(2026, 12, 1), submitted=True
    )
    Answer.objects.create(response=response, question=a_rating, number=1)  # not feedback
    rollups_refresh(seminar, now=NOW)
    return known


def test_snapshot_kpis_sum_the_latest_snapshot_of_each_variant(measured) -> None:  # type: ignore[no-untyped-def]
    value = lambda key: kpi(key).value_for(measured.seminar)  # noqa: E731
    # Latest: x1 5/2/1 (no impressions, no reach), fb1 12/1/4 with 800 impressions, 600 reach.
    assert value("likes") == D(17)
    assert value("shares") == D(3)
    assert value("comments") == D(5)
    assert value("engagement") == D(25)
    assert value("impressions") == D(800)  # X's missing number is left out, not a 0
    assert value("reach") == D(600)


def test_snapshot_kpis_not_measured_say_why(known) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        result = kpi("likes").value_for(known.seminar)
    assert isinstance(result, NotMeasured)
    assert "No metric snapshots yet" in str(result.reason)


def test_a_number_no_network_gives_is_not_measured(known, workspace) -> None:  # type: ignore[no-untyped-def]
    x = _account(workspace, "x")
    _published(known.seminar, x, "x9")
    _snap(x, "x9", at(3, 10), likes=1)
    rollups_refresh(known.seminar, now=NOW)
    with translation.override("en"):
        result = kpi("reach").value_for(known.seminar)
    assert isinstance(result, NotMeasured)
    assert "do not report" in str(result.reason)


def test_snapshot_daily_series_are_what_each_day_added(measured) -> None:  # type: ignore[no-untyped-def]
    day = lambda n: dt.date(2026, 12, n)  # noqa: E731
    # End of 2 Dec: x1 3+1+0 = 4; end of 3 Dec: x1 8 + fb1 17 = 25.
    assert kpi("engagement").daily(measured.seminar) == {day(2): D(4), day(3): D(21)}  # type: ignore[misc]
    assert kpi("impressions").daily(measured.seminar) == {day(2): D(0), day(3): D(800)}  # type: ignore[misc]


def test_engagement_over_time_per_network(measured) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        chart = engagement_chart(measured.seminar)
    assert chart.labels == ["2026-12-02", "2026-12-03"]
    assert [(d["label"], d["data"]) for d in chart.datasets] == [
        ("Facebook", [None, 17]),
        ("X", [4, 8]),
    ]
    assert chart.csv().splitlines()[1:] == ["2026-12-02,,4", "2026-12-03,17,8"]


def test_ratings_nps_and_response_rate(measured) -> None:  # type: ignore[no-untyped-def]
    value = lambda key: kpi(key).value_for(measured.seminar)  # noqa: E731
    # Live: 5 + 4 + 2; feedback survey: 3 + 5 (the unsubmitted 1 and the audience survey's 1
    # are left out) → 19 / 5.
    assert value("average_rating") == D("3.80")
    # 10, 9, 7, 3: two promoters, one detractor of four → 25.
    assert value("nps") == D(25)
    # Sent to p3, p6, p1, p4 (p2's never sent); p3 and p6 submitted → 2 / 4.
    assert value("survey_response_rate") == D("50.0")


def test_feedback_kpis_not_measured_without_answers(known) -> None:  # type: ignore[no-untyped-def]
    for key in ("average_rating", "nps", "survey_response_rate"):
        assert isinstance(kpi(key).value_for(known.seminar), NotMeasured)


def test_ratings_per_touch_code_for_the_funnel(measured) -> None:  # type: ignore[no-untyped-def]
    found = series_per_key(
        measured.seminar, "funnel:ratings", "funnel:rating_sum", "funnel:rating_n"
    )
    # r1 (orgX1) rated 5 live; r3 (paidF1) 4 live and 3 in the survey; r6 (paidF1) 5.
    assert found["funnel:ratings"] == {"orgX1": 1, "paidF1": 2}
    assert found["funnel:rating_sum"] == {"orgX1": 5, "paidF1": 12}
    assert found["funnel:rating_n"] == {"orgX1": 1, "paidF1": 3}


def test_days_the_clocks_change_are_counted_in_local_days(known, workspace) -> None:  # type: ignore[no-untyped-def]
    from keryx.analytics.domain.rollups import _day_runs
    from keryx.analytics.figures import series_per_day
    from keryx.links.models import Click

    runs = _day_runs(known.seminar, dt.date(2026, 10, 24), dt.date(2026, 10, 26))
    # Athens leaves summer time at 04:00 (+3) on 25 October 2026 → 03:00 (+2), 01:00 UTC.
    assert [(r[0].isoformat(), r[1].isoformat(), r[2]) for r in runs] == [
        ("2026-10-23T21:00:00+00:00", "2026-10-25T01:00:00+00:00", 10800),
        ("2026-10-25T01:00:00+00:00", "2026-10-26T22:00:00+00:00", 7200),
    ]
    utc = dt.UTC
    for when in (
        dt.datetime(2026, 10, 24, 21, 30, tzinfo=utc),  # 00:30 on the 25th (+3)
        dt.datetime(2026, 10, 25, 21, 30, tzinfo=utc),  # 23:30 on the 25th (+2)
        dt.datetime(2026, 10, 25, 22, 30, tzinfo=utc),  # 00:30 on the 26th
    ):
        Click.objects.create(link=known.organic, at=when, kind="human")
    rollups_refresh(known.seminar, now=NOW, full=True)
    days = series_per_day(known.seminar, "clicks:human")
    assert days[dt.date(2026, 10, 25)] == D(2)
    assert days[dt.date(2026, 10, 26)] == D(1)
