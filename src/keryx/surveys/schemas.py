"""API shapes of surveys and their results."""

from __future__ import annotations

from ninja import Schema


class SurveyOut(Schema):
    id: int
    title: dict[str, str]
    kind: str
    seminar_id: int | None
    anonymous: bool
    public_url: str
    responses: int


class QuestionResultOut(Schema):
    key: str
    kind: str
    label: str
    n: int
    average: float | None = None
    nps: int | None = None
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None
    csat: int | None = None
    counts: dict[str, int]


class ResultsOut(Schema):
    survey_id: int
    responses: int
    questions: list[QuestionResultOut]
