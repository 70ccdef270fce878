"""In Chromium, in Greek: the seminar's KPIs against targets with charts drawn by the vendored
Chart.js, the table view and the CSV download; a Meta Ads CSV imported with its cost per
registrant."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).parent / "samples"


def test_dashboard_and_meta_import_in_greek(page, known, user, workspace) -> None:  # type: ignore[no-untyped-def]
    user.language = "el"
    user.save(update_fields=["language"])
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))
    page.click(f'nav a[href="/w/{workspace.slug}/analytics/kpis/"]')
    page.click(f"text={known.seminar.title}")
    page.wait_for_selector("h1:has-text('Δείκτες έναντι στόχων')")
    row = page.locator('tr[data-kpi="registrations"]')
    assert row.locator("td").first.inner_text() == "5"
    assert row.locator("td").nth(1).inner_text() == "10"
    page.wait_for_selector('canvas[data-chart="chart-registrations"][data-chart-ready="true"]')
    page.wait_for_selector('canvas[data-chart="chart-progress"][data-chart-ready="true"]')
    assert "Δεν μετριέται ακόμη" in page.locator('tr[data-kpi="nps"]').inner_text()
    figure = page.locator('figure[data-chart-key="registrations"]')
    figure.locator("summary").click()
    assert figure.locator("table tbody tr").first.locator("th").inner_text() == "2026-12-01"
    with page.expect_download() as download:
        figure.locator("text=Λήψη CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "2026-12-01,2,,10"

    # The funnel down to the rating: on the dashboard as a chart, per network on its page.
    page.wait_for_selector('canvas[data-chart="chart-funnel"][data-chart-ready="true"]')
    page.click("nav.tabs >> text=Χωνί ως τη βαθμολογία")
    page.wait_for_selector("#funnel-table")
    assert (
        page.locator("#funnel-table thead")
        .inner_text()
        .strip()
        .endswith("Βαθμολογίες ανά 100 κλικ")
    )
    assert "Αξιολόγησαν" in page.locator("#funnel-table thead").inner_text()
    assert page.locator('#funnel-table tr[data-key="x"] th').inner_text() == "X"

    page.click("nav.tabs >> text=Διαφημιστικές καμπάνιες")
    page.click("text=Χειμερινή καμπάνια")
    page.set_input_files("input[name=file]", str(SAMPLES / "meta_el_daily.csv"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=2 γραμμές εισήχθησαν από το Meta Ads Manager.")
    # 20,50 + 1.030,00 spent; three registrants through the campaign's link → 350,17 each.
    assert page.locator("dd[data-cost-per-registrant]").inner_text() == "350,17 EUR"
