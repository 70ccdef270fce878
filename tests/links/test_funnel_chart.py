"""The funnel chart: steps that narrow, with the conversion from each step to the next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

from keryx.links.funnel import Funnel, Row


def _funnel(**total: int) -> Funnel:
    return Funnel(
        seminar=None,  # type: ignore[arg-type]
        touch="last",
        total=Row(key="total", label="All", **total),
        networks=[],
        posts=[],
        previews=0,
        bots=0,
        untracked=0,
    )


def test_stages_narrow_with_the_conversion_between_them() -> None:
    stages = _funnel(clicks=200, visitors=160, registrations=40, confirmations=30, check_ins=0)
    got = [(s.key, s.count, s.width, s.conversion) for s in stages.stages()]
    assert got == [
        ("clicks", 200, 100.0, None),
        ("visitors", 160, 80.0, 80.0),
        ("registrations", 40, 20.0, 25.0),
        ("confirmations", 30, 15.0, 75.0),
        ("check_ins", 0, 0.0, 0.0),
    ]


def test_an_empty_funnel_has_no_bars_and_no_rates() -> None:
    stages = _funnel().stages()
    assert [(s.width, s.conversion) for s in stages] == [(0.0, None)] + [(0.0, None)] * 4


def test_a_tiny_step_still_shows_a_sliver() -> None:
    stages = _funnel(clicks=1000, visitors=900, registrations=3).stages()
    assert stages[2].width == 2.0


@pytest.mark.parametrize(("language", "label"), [("el", "20 Νοεμβρίου"), ("en", "20 November")])
def test_chart_days_are_written_in_the_readers_language(language: str, label: str) -> None:
    with translation.override(language):
        assert date_format(dt.date(2026, 11, 20), "MONTH_DAY_FORMAT") == label
