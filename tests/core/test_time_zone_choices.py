"""The time zone picker: common zones first, the rest after, never "Factory" or "localtime"."""

from __future__ import annotations

import pytest

from keryx.core.choices import COMMON_TIME_ZONES, time_zone_choices
from keryx.web.forms import ProfileForm, WorkspaceForm


def test_common_zones_come_first_and_factory_and_localtime_are_never_offered() -> None:
    (common_label, common), (all_label, rest) = time_zone_choices()
    assert (str(common_label), str(all_label)) == ("Common time zones", "All time zones")
    assert [value for value, _label in common] == list(COMMON_TIME_ZONES)
    values = [value for value, _label in rest]
    assert "Factory" not in values and "localtime" not in values
    assert "Europe/Athens" not in values  # listed once, among the common ones
    assert ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos Aires") in rest
    assert values == sorted(values)


def test_a_form_accepts_a_zone_from_either_group_and_refuses_factory() -> None:
    def valid(zone: str) -> bool:
        data = {"name": "Ομάδα", "default_language": "el", "default_time_zone": zone}
        return WorkspaceForm(data).is_valid()

    assert valid("Europe/Athens") and valid("Asia/Tokyo")
    assert not valid("Factory") and not valid("localtime")


@pytest.mark.parametrize("form", [WorkspaceForm(), ProfileForm()])
def test_the_picker_renders_two_groups_and_a_search_hook(form) -> None:  # type: ignore[no-untyped-def]
    field = "default_time_zone" if "default_time_zone" in form.fields else "time_zone"
    html = str(form[field])
    assert "data-tz-select" in html and 'data-search-label="Search time zones"' in html
    assert html.index('<optgroup label="Common time zones">') < html.index(
        '<optgroup label="All time zones">'
    )
    assert ">Factory<" not in html
