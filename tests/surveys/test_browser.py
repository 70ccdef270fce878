"""In Chromium, in Greek: build a survey with NPS, a rating, the demographics block and a
show-if question; invite the checked-in attendees only (the e-mails land in a real SMTP
server); answer on a phone-sized screen; the results page shows the NPS and the charts."""

from __future__ import annotations

import re

import pytest

from keryx.surveys.models import Response, Survey
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.surveys.helpers import registrant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_invite_answer_on_a_phone_and_see_results_in_greek(  # type: ignore[no-untyped-def]
    browser, page, live_server, smtp_sink, settings, seminar, user
) -> None:
    settings.KERYX_BASE_URL = live_server.url
    page.context.set_default_timeout(30_000)  # the first page of a cold live server can be slow
    attendee = registrant(seminar, "maria@example.org", checked_in=True, language="el")
    registrant(seminar, "nikos@example.org", checked_in=False, language="el")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))  # the home dashboard
    page.click(".langswitch button[value=el]")
    page.goto(f"/w/{seminar.workspace.slug}/surveys/")
    page.wait_for_selector("#survey-create-button:has-text('Δημιουργία')")
    page.select_option("#id_seminar", str(seminar.pk))
    page.fill("#id_title_el", "Πώς σας φάνηκε;")
    page.fill("#id_title_en", "How was it?")
    page.click("#survey-create-button")
    page.wait_for_selector("#question-form")
    survey = Survey.objects.get()

    def add(
        kind: str,
        text: str,
        *,
        page_no: int,
        required: bool = False,
        show_if: str = "",
        values: str = "",
    ) -> None:
        page.select_option("#id_q_kind", kind)
        page.fill("#id_text_el", text)
        page.fill("#id_page", str(page_no))
        if required:
            page.check("#id_required")
        if show_if:
            page.select_option("#id_show_if_question", show_if)
            page.fill("#id_show_if_values", values)
        page.click("#question-add-button")
        page.wait_for_selector(f"#question-list li:has-text('{text}')")

    add("nps", "Θα προτείνατε το σεμινάριο;", page_no=1, required=True)
    add("rating5", "Πώς βαθμολογείτε τους ομιλητές;", page_no=1)
    nps_key = survey.questions.get(kind="nps").key
    add("text", "Τι θα μας κάνει καλύτερους;", page_no=1, show_if=nps_key, values="0,1,2,3,4,5,6")
    page.fill("#id_demo_page", "2")
    page.click("#add-demographics")
    page.wait_for_selector("#question-list li[data-kind=heard_from]")
    assert survey.questions.count() == 9
    screenshot(page, "surveys-builder-greek")

    page.select_option("#id_segment", "checked_in")
    page.click("#invite-button")
    page.wait_for_selector("#mail-status")
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "maria@example.org"
    assert str(mail["Subject"]).strip() == "Λίγες ερωτήσεις: Πώς σας φάνηκε;"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"http://\S+/q/p/\S+", smtp_sink.body(mail))
    assert link is not None

    phone = browser.new_context(
        base_url=live_server.url,
        locale="el-GR",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    tab = phone.new_page()
    tab.goto(link.group(0))
    tab.wait_for_selector("#survey-progress")
    assert tab.is_hidden(f"#q-{survey.questions.get(kind='text').key}")
    tab.click("#next-button")  # the NPS is required: named, nothing lost
    tab.wait_for_selector("#survey-errors")
    assert "Θα προτείνατε το σεμινάριο;" in tab.inner_text("#survey-errors")
    tab.check(f"#q-{nps_key} input[value='3']")
    why = f"#q-{survey.questions.get(kind='text').key}"
    tab.wait_for_selector(why, state="visible")  # shown to a detractor
    tab.fill(f"{why} textarea", "Περισσότερα παραδείγματα")
    tab.check(f"#q-{survey.questions.get(kind='rating5').key} input[value='4']")
    tab.click("#next-button")
    tab.wait_for_selector("#q-age_band")
    tab.check("#q-age_band input[value='25-34']")
    tab.check("#q-gender input[value='female']")
    tab.fill("#q-city input", "Θεσσαλονίκη")
    screenshot(tab, "surveys-answer-phone")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    tab.click("#submit-button")
    tab.wait_for_selector("#survey-thanks")
    phone.close()

    response = Response.objects.get(survey=survey)
    assert response.submitted and response.invitation.registration == attendee
    assert response.language == "el"

    page.goto(f"/w/{seminar.workspace.slug}/surveys/{survey.pk}/results/")
    page.wait_for_selector(f"#nps-{nps_key} [data-nps]")
    assert page.inner_text(f"#nps-{nps_key} [data-nps]") == "-100"
    assert "1 επικριτές" in page.inner_text(f"#nps-{nps_key}")
    page.wait_for_selector("canvas[data-chart-ready=true]")
    assert page.locator("canvas[data-chart-ready=true]").count() >= 4
    screenshot(page, "surveys-results-greek")
