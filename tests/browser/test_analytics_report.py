"""In Chromium, in Greek (issue 14): the demo seminar's dashboard shows its KPIs against their
targets with charts, the funnel reaches the rating, an imported Meta Ads CSV gives its cost per
registrant (and a ceiling set for it on the seminar's form is judged as less-is-better), and
the PDF report is generated in the background, downloads and opens — its extracted text holds
the seminar's title and KPIs."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm, Role
from keryx.analytics.domain.adfigures import ad_figures
from keryx.analytics.domain.campaigns import CampaignData, campaign_create
from keryx.analytics.kpis import kpi
from keryx.links.models import TrackedLink
from keryx.registrations.domain.tokens import manage_token_make
from keryx.registrations.models import Registration
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parent.parent / "analytics" / "samples"


def _demo():  # type: ignore[no-untyped-def]
    """What `keryx demo` builds, plus live ratings from registrants (the funnel's last step)."""
    from keryx.analytics.domain.demo import demo_campaigns
    from keryx.content.domain.demo import demo_content
    from keryx.insights.domain.demo import demo_listening
    from keryx.links.domain.demo import demo_audience
    from keryx.live.domain.participants import participant_join
    from keryx.live.domain.polls import poll_create, poll_set_status, poll_vote
    from keryx.live.domain.rooms import room_open
    from keryx.seminars.domain.demo import demo_create
    from keryx.surveys.domain.demo import demo_surveys

    demo = demo_create()
    seminar = demo.seminar
    demo_content(seminar, demo.users)
    demo_audience(seminar, demo.users)
    demo_listening(seminar)
    demo_surveys(seminar, demo.users)
    demo_campaigns(seminar, demo.users)
    live = workspace_access(demo.users[Role.OWNER], seminar.workspace, Perm.LIVE_MODERATE)
    room = room_open(access=live, seminar=seminar)
    poll = poll_create(access=live, room=room, kind="rating", question="Πώς σας φάνηκε;")
    poll = poll_set_status(access=live, poll=poll, action="launch")
    for i, registration in enumerate(Registration.objects.filter(seminar=seminar)[:3]):
        person = participant_join(seminar=seminar, ticket=manage_token_make(registration.public_id))
        poll_vote(poll=poll, participant=person, value=5 - i % 2)
    return demo


def _greek(value: Decimal, digits: str = "2g") -> str:
    with translation.override("el"):
        return floatformat(value, digits)


def test_demo_dashboard_funnel_ads_and_pdf_report_in_greek(page) -> None:  # type: ignore[no-untyped-def]
    from keryx.seminars.domain.demo import DEMO_PASSWORD

    demo = _demo()
    seminar, owner = demo.seminar, demo.users[Role.OWNER]
    slug = seminar.workspace.slug
    # A Meta campaign named as in the sample export, on the seminar's Facebook links.
    campaign = campaign_create(
        access=workspace_access(owner, seminar.workspace, Perm.ANALYTICS_EDIT),
        seminar=seminar,
        data=CampaignData(
            platform="meta",
            name="Χειμερινή καμπάνια",
            starts_on=dt.date(2026, 11, 25),
            ends_on=dt.date(2026, 12, 31),
            budget=Decimal(1500),
            link_ids=list(
                TrackedLink.objects.filter(seminar=seminar, network="facebook").values_list(
                    "pk", flat=True
                )
            ),
        ),
    )

    page.goto("/accounts/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))

    # The dashboard: KPIs against targets, with charts drawn.
    page.click(f'nav a[href="/w/{slug}/analytics/kpis/"]')
    page.click(f"text={seminar.title}")
    page.wait_for_selector("h1:has-text('Δείκτες έναντι στόχων')")
    registrations = kpi("registrations").value_for(seminar)
    assert isinstance(registrations, Decimal)
    row = page.locator('tr[data-kpi="registrations"]')
    assert row.locator("th").inner_text() == "Εγγραφές"
    assert row.locator("td").first.inner_text() == _greek(registrations, "-2g")
    assert row.locator("td").nth(1).inner_text() == "120"
    page.wait_for_selector('canvas[data-chart="chart-progress"][data-chart-ready="true"]')
    page.wait_for_selector('canvas[data-chart="chart-registrations"][data-chart-ready="true"]')

    # The funnel, down to the rating: three registrants rated the seminar live.
    # (the tracked links' funnel, to check-in and the rating; the KPIs' own funnel is /kpis/…)
    page.click('nav.tabs a[href$="/funnel/"]:not([href*="/kpis/"])')
    total = page.locator('td[data-col="ratings"]').all_inner_texts()
    assert sum(int(t) for t in total if t.strip().isdigit()) >= 3

    # The Meta Ads Manager export (Greek numbers and dates), with its cost per registrant.
    page.goto(f"/w/{slug}/analytics/kpis/{seminar.pk}/campaigns/{campaign.pk}/")
    page.set_input_files("input[name=file]", str(SAMPLES / "meta_el_daily.csv"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=2 γραμμές εισήχθησαν από το Meta Ads Manager.")
    cost = ad_figures([campaign]).cost_per_registrant
    assert cost is not None
    assert page.locator("dd[data-cost-per-registrant]").inner_text() == f"{_greek(cost)} EUR"

    # A ceiling for the cost per registrant, set on the seminar's form: the dashboard judges it
    # as less-is-better (twice the cost is well under the ceiling: ahead).
    page.goto(f"/w/{slug}/seminars/{seminar.pk}/edit/")
    ceiling = page.locator("input[name=kpi_cost_per_registrant]")
    label = page.locator(f'label[for="{ceiling.get_attribute("id")}"]').inner_text()
    assert "Κόστος ανά εγγεγραμμένο (το πολύ)" in label
    ceiling.fill(f"{cost * 2:.2f}")  # a number field: the browser takes a dot
    page.click("form:has(input[name=kpi_cost_per_registrant]) button[type=submit]")
    page.wait_for_url(re.compile(rf"/seminars/{seminar.pk}/$"))
    page.goto(f"/w/{slug}/analytics/kpis/{seminar.pk}/")
    row = page.locator('tr[data-kpi="cost_per_registrant"]')
    assert row.get_attribute("data-status") == "ahead"
    assert row.locator("th").inner_text() == "Κόστος ανά εγγεγραμμένο"

    # The report: generated in the background, then downloaded and opened.
    page.click("nav.tabs >> text=Αναφορές")
    page.wait_for_selector("h1:has-text('Αναφορές')")
    page.select_option("select[name=fmt]", "pdf")
    page.select_option("select[name=language]", "el")
    page.click("button[data-generate]", no_wait_after=True)
    page.wait_for_selector('tr[data-status="done"] a[data-download]', timeout=60_000)
    screenshot(page, "analytics-reports-el")
    with page.expect_download() as download:
        page.click('tr[data-status="done"] a[data-download]')
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    from pypdf import PdfReader

    # Words as pypdf extracts them, whatever line a table cell wrapped them on.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert seminar.title in text
    assert "Δείκτες έναντι στόχων" in text
    assert f"Εγγραφές {_greek(registrations, '-2g')} 120" in text
    every_campaign = kpi("cost_per_registrant").value_for(seminar)
    assert isinstance(every_campaign, Decimal)
    assert f"Κόστος ανά εγγεγραμμένο {_greek(every_campaign)} EUR" in text
    assert "Χειμερινή καμπάνια" in text
    assert "Αξιολόγησαν το σεμινάριο" in text
