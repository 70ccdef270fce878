"""Is variant B really better than A? A two-proportion z-test on clicks or registrations, and
how many more people each variant needs before a difference of a given size would show.

Two-sided test at 95 % confidence; sample size for 80 % power (docs/decisions/0953).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_ALPHA = 1.959963984540054  # two-sided 95 %: Φ⁻¹(0.975)
Z_BETA = 0.8416212335729143  # power 80 %: Φ⁻¹(0.80)
ALPHA = 0.05


@dataclass(frozen=True)
class Comparison:
    rate_a: float
    rate_b: float
    z: float
    p_value: float
    significant: bool  # p < 0.05
    winner: str  # "a", "b" or "" (no significant difference)
    needed_per_variant: int | None  # for the minimum detectable effect asked
    still_needed_a: int | None
    still_needed_b: int | None


def two_proportion_z(successes_a: int, n_a: int, successes_b: int, n_b: int) -> tuple[float, float]:
    """(z, two-sided p-value) with the pooled standard error; (0, 1) when nothing can differ."""
    if n_a <= 0 or n_b <= 0:
        raise ValueError("each variant needs at least one person shown it")
    if not (0 <= successes_a <= n_a and 0 <= successes_b <= n_b):
        raise ValueError("successes must be between 0 and the number shown")
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (successes_b / n_b - successes_a / n_a) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def sample_size_per_variant(baseline: float, mde: float) -> int:
    """People each variant needs to detect an absolute lift of ``mde`` over ``baseline``
    (two-sided α = 0.05, power 0.80)."""
    if not 0 < baseline < 1 or mde <= 0 or baseline + mde >= 1:
        raise ValueError("baseline and baseline + effect must be rates between 0 and 1")
    p2 = baseline + mde
    mean = (baseline + p2) / 2
    root = Z_ALPHA * math.sqrt(2 * mean * (1 - mean)) + Z_BETA * math.sqrt(
        baseline * (1 - baseline) + p2 * (1 - p2)
    )
    return math.ceil(root**2 / mde**2)


def compare_variants(
    successes_a: int, n_a: int, successes_b: int, n_b: int, *, mde: float | None = None
) -> Comparison:
    """Compare two variants (clicks per impression, registrations per click…). ``mde`` is the
    smallest absolute difference worth detecting; the baseline is A's rate (or the pooled rate
    when A has none)."""
    z, p = two_proportion_z(successes_a, n_a, successes_b, n_b)
    rate_a, rate_b = successes_a / n_a, successes_b / n_b
    significant = p < ALPHA
    winner = ("b" if rate_b > rate_a else "a") if significant else ""
    needed = still_a = still_b = None
    if mde is not None:
        baseline = rate_a or (successes_a + successes_b) / (n_a + n_b)
        needed = sample_size_per_variant(baseline, mde)
        still_a, still_b = max(needed - n_a, 0), max(needed - n_b, 0)
    return Comparison(rate_a, rate_b, z, p, significant, winner, needed, still_a, still_b)
