"""A/B significance on known counts, checked against values computed by hand."""

from __future__ import annotations

import math

import pytest

from keryx.analytics.domain.ab import compare_variants, sample_size_per_variant, two_proportion_z


def test_two_proportion_z_on_known_counts() -> None:
    # A: 100 of 1000, B: 130 of 1000. Pooled p = 230/2000 = 0.115;
    # SE = √(0.115 × 0.885 × (1/1000 + 1/1000)) = √0.00020355 = 0.0142671;
    # z = 0.03 / 0.0142671 = 2.10274; p = erfc(2.10274 / √2) = 0.035490.
    z, p = two_proportion_z(100, 1000, 130, 1000)
    assert round(z, 5) == 2.10274
    assert round(p, 5) == 0.03549


def test_no_difference_is_not_significant() -> None:
    # A: 50 of 500, B: 55 of 500: pooled 0.105, SE = √(0.105 × 0.895 × 0.004) = 0.0193881,
    # z = 0.01 / 0.0193881 = 0.51578, p = 0.60601.
    result = compare_variants(50, 500, 55, 500)
    assert round(result.z, 5) == 0.51578
    assert round(result.p_value, 3) == 0.606
    assert (result.significant, result.winner) == (False, "")


def test_sample_size_for_ten_to_twelve_per_cent() -> None:
    # p1 = 0.10, p2 = 0.12, mean 0.11:
    # (1.959964 × √(2 × 0.11 × 0.89) + 0.841621 × √(0.09 + 0.1056))² / 0.02²
    # = (0.867270 + 0.372222)² / 0.0004 = 1.536340 / 0.0004 = 3840.85 → 3841 per variant.
    assert sample_size_per_variant(0.10, 0.02) == 3841


def test_comparison_says_the_winner_and_how_many_more_are_needed() -> None:
    result = compare_variants(100, 1000, 130, 1000, mde=0.02)
    assert (result.significant, result.winner) == (True, "b")
    assert (result.rate_a, result.rate_b) == (0.1, 0.13)
    assert result.needed_per_variant == 3841
    assert (result.still_needed_a, result.still_needed_b) == (2841, 2841)


def test_identical_zero_rates_give_no_evidence() -> None:
    assert two_proportion_z(0, 10, 0, 10) == (0.0, 1.0)


@pytest.mark.parametrize("args", [(1, 0, 1, 1), (5, 4, 1, 10)])
def test_impossible_counts_are_refused(args: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError):
        two_proportion_z(*args)


def test_p_value_matches_the_normal_tail() -> None:
    z, p = two_proportion_z(200, 1000, 250, 1000)
    assert math.isclose(p, 2 * (1 - 0.5 * (1 + math.erf(abs(z) / math.sqrt(2)))), rel_tol=1e-9)


@pytest.mark.django_db
def test_ab_page_compares_two_versions(owner_client, workspace) -> None:  # type: ignore[no-untyped-def]
    page = owner_client.get(
        f"/w/{workspace.slug}/analytics/kpis/ab/",
        {"shown_a": 1000, "success_a": 100, "shown_b": 1000, "success_b": 130, "mde": "2"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'data-winner="b"' in page
    assert "p = 0.0355" in page
    assert "each version needs 3841 people" in page
    bad = owner_client.get(
        f"/w/{workspace.slug}/analytics/kpis/ab/",
        {"shown_a": 10, "success_a": 11, "shown_b": 10, "success_b": 1, "mde": "2"},
    ).content.decode()
    assert "ab-result" not in bad
