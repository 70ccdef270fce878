"""NPS, averages, CSAT and the suppressed cross-tab cell on a known set of answers; the XLSX
export read back with openpyxl; bad input."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import openpyxl
import pytest
from django.utils import timezone, translation

from keryx.surveys.domain.answering import response_save, response_start_anonymous
from keryx.surveys.domain.exports import export_csv, export_xlsx
from keryx.surveys.domain.results import crosstab, nps_of, question_results
from keryx.surveys.models import Answer, Response
from tests.surveys.helpers import answer, simple_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _greek() -> Iterator[None]:
    with translation.override("el"):
        yield


# 10 answers: NPS 10,10,9,9,9,8,7,6,3,0 -> 5 promoters, 2 passives, 3 detractors: NPS 20
NPS = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]
RATING = [5, 5, 4, 4, 4, 3, 3, 2, 1, 1]  # average 3.2; CSAT = 5/10 = 50 %
GENDER = ["female"] * 6 + ["male"] * 3 + ["undisclosed"]  # men: 3 (< 5, suppressed)


def _fill(survey) -> None:  # type: ignore[no-untyped-def]
    for n, (nps, rating, gender) in enumerate(zip(NPS, RATING, GENDER, strict=True)):
        data = {"q_nps": str(nps), "q_overall": str(rating), "q_gender": gender}
        if nps <= 6:
            data["q_why"] = f'=HYPERLINK("x") λόγος {n}'
        answer(survey, data, network="linkedin" if n < 7 else "instagram")


def test_nps_average_csat_on_known_answers(user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    _fill(survey)
    by_key = {r.question.key: r for r in question_results(survey)}
    nps = by_key["nps"].nps
    assert nps is not None
    assert (nps.score, nps.promoters, nps.passives, nps.detractors, nps.n) == (20, 5, 2, 3, 10)
    assert by_key["nps"].average == 7.1
    assert by_key["overall"].average == 3.2
    assert by_key["overall"].csat == 50
    assert by_key["overall"].n == 10
    assert [(k, c) for k, _label, c in by_key["gender"].rows] == [
        ("female", 6),
        ("male", 3),
        ("non_binary", 0),
        ("undisclosed", 1),
        ("self", 0),
    ]
    assert by_key["why"].n == 3  # shown only to detractors
    assert nps_of({}) is None


def test_crosstab_suppresses_groups_under_five(user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    _fill(survey)
    target = survey.questions.get(key="overall")
    table = crosstab(survey, target=target, dimension="gender")
    rows = {r["label"]: r for r in table.rows}
    # women: ratings 5,5,4,4,4,3 -> 25/6 = 4.17, shown
    assert rows["Γυναίκα"]["n"] == 6 and rows["Γυναίκα"]["average"] == 4.17
    assert rows["Γυναίκα"]["suppressed"] is False
    # men: 3 respondents -> suppressed, no average
    assert rows["Άνδρας"]["suppressed"] is True and rows["Άνδρας"]["average"] is None
    assert table.suppressed == 2  # men (3) and "prefer not to say" (1)
    by_network = crosstab(survey, target=survey.questions.get(key="nps"), dimension="network")
    rows = {r["label"]: r for r in by_network.rows}
    # LinkedIn: 10,10,9,9,9,8,7 -> 5 promoters of 7, no detractor: NPS 71
    assert rows["LinkedIn"]["n"] == 7 and rows["LinkedIn"]["nps"] == 71
    assert rows["Instagram"]["suppressed"] is True and rows["Instagram"]["nps"] is None


def test_xlsx_export_matches_the_answers_and_defuses_formulas(user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    _fill(survey)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(survey)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 11
    header = rows[0]
    assert header[:4] == ("Απάντηση", "Ημέρα", "Γλώσσα", "Δίκτυο")
    nps_col = header.index("Θα μας προτείνατε;")
    why_col = header.index("Γιατί;")
    gender_col = header.index("Ποιο είναι το φύλο σας;")
    assert [r[nps_col] for r in rows[1:]] == NPS
    assert [r[gender_col] for r in rows[1:]][:2] == ["Γυναίκα", "Γυναίκα"]
    assert rows[8][why_col] == '\'=HYPERLINK("x") λόγος 7'
    assert rows[1][3] == "LinkedIn" and rows[10][3] == "Instagram"
    assert rows[1][1] == timezone.localdate().isoformat()
    csv_text = export_csv(survey)
    assert "'=HYPERLINK" in csv_text and csv_text.count("\n") == 11


def test_missing_required_answer_is_named_and_the_rest_kept(user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    response = response_start_anonymous(survey, language="el")
    saved = response_save(
        response=response,
        data={"q_overall": "4", "q_gender": "self", "q_gender_self": "άλλο"},
        page=None,
        submit=True,
    )
    assert list(saved.errors) == ["nps"]
    assert "Θα μας προτείνατε;" in saved.errors["nps"]
    response.refresh_from_db()
    assert response.submitted is False
    kept = {
        (a.question.key, a.choice, a.number, a.text)
        for a in response.answers.select_related("question")
    }
    assert kept == {("overall", "", 4.0, ""), ("gender", "self", None, "άλλο")}


def test_anonymous_response_keeps_only_the_day(user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    response = answer(survey, {"q_nps": "9"})
    fields = {f.name for f in Response._meta.get_fields()}
    assert "ip" not in fields and "created_at" not in fields
    assert isinstance(response.day, dt.date) and response.registration_id is None
    assert Answer.objects.filter(response=response).count() == 1


def test_closed_survey_refuses_and_says_when(client, user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    survey.closes_at = timezone.now() - dt.timedelta(hours=1)
    survey.save()
    page = client.get(f"/q/{survey.public_code}/?lang=en")
    assert page.status_code == 410
    text = page.content.decode()
    assert "This survey is closed" in text and "It closed on" in text


def test_results_through_the_api(api, user, workspace) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace)
    _fill(survey)
    listed = api.get(f"/api/v1/workspaces/{workspace.slug}/surveys")
    assert listed.status_code == 200
    assert [(s["id"], s["responses"]) for s in listed.json()["items"]] == [(survey.pk, 10)]
    answer = api.get(f"/api/v1/workspaces/{workspace.slug}/surveys/{survey.pk}/results")
    assert answer.status_code == 200
    nps = next(q for q in answer.json()["questions"] if q["key"] == "nps")
    assert (nps["nps"], nps["promoters"], nps["passives"], nps["detractors"]) == (20, 5, 2, 3)
    assert api.get(f"/api/v1/workspaces/{workspace.slug}/surveys/999999/results").status_code == 404
