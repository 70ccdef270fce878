"""Personas against the real audience on the demo seminar: match scores, charts side by side
and the sentence naming the network that brought each segment; nobody is e-mailed."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from keryx.accounts.models import User
from keryx.accounts.roles import Role
from keryx.core.models import OutboxMessage
from keryx.links.domain.demo import demo_audience
from keryx.seminars.domain.demo import demo_create
from keryx.surveys.domain.demo import demo_surveys
from keryx.surveys.domain.personas import audience_of, persona_match, sector_keys
from keryx.surveys.models import Response

pytestmark = pytest.mark.django_db(transaction=True)


def test_sector_of_a_persona_is_read_in_greek_and_english() -> None:
    assert sector_keys("Μη κερδοσκοπικοί οργανισμοί") == {"ngo"}
    assert sector_keys("Higher education") == {"education"}
    assert sector_keys("Λιανεμπόριο") == set()


def test_demo_seminar_shows_personas_against_its_audience() -> None:
    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_audience(demo.seminar, users)
    mail.outbox.clear()
    made = demo_surveys(demo.seminar, users)
    assert made == Response.objects.filter(survey__seminar=demo.seminar, submitted=True).count()
    assert made > 40
    assert mail.outbox == [] and OutboxMessage.objects.count() == 0

    people = audience_of(demo.seminar)
    assert len(people) == 39 + 20  # registrants, plus the anonymous respondents
    student = demo.seminar.personas.get(name="Φοιτητής επικοινωνίας")
    match = persona_match(student, people)
    assert match.criteria == ["age_band", "gender", "sector"]
    assert match.known > 30 and match.score is not None
    assert match.score == round(100 * match.fits / match.known)

    owner = users[Role.OWNER]
    owner.language = "el"
    owner.save(update_fields=["language"])
    client = Client()
    client.force_login(owner)
    page = client.get(
        f"/w/{demo.seminar.workspace.slug}/surveys/audience/{demo.seminar.pk}/",
    )
    assert page.status_code == 200
    text = page.content.decode()
    age = json.loads(
        re.search(r'id="audience-age_band" type="application/json">(.*?)</script>', text).group(1)
    )  # type: ignore[union-attr]
    assert [d["label"] for d in age["datasets"]] == ["Πραγματικό κοινό (%)", "Περσόνες (%)"]
    assert "18–24" in age["labels"]
    assert re.search(r"Το (LinkedIn|Instagram|Facebook) έφερε το \d+ % από ", text)
    # the results page of the demo feedback survey renders with its NPS
    feedback = demo.seminar.surveys.get(kind="feedback")
    results = client.get(f"/w/{demo.seminar.workspace.slug}/surveys/{feedback.pk}/results/")
    assert results.status_code == 200 and "data-nps" in results.content.decode()
