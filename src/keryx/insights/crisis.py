"""Crisis detection on a stream of mentions: a surge well above its baseline that turns negative.

The detector sees mentions one at a time, in time order, and decides at each mention from the
mentions up to it, as it would live (:class:`CrisisDetector.feed`). Rules (decision 0902):

* **Baseline**: mentions per 5-minute bucket. For the first hour of the stream (the warm-up)
  it is the mean so far, so a stream that starts busy is not a surge; then an exponentially
  weighted average with a 2-hour half-life, starting from the warm-up's mean. It never goes
  below ``floor`` (one mention per bucket). During an episode it learns four times slower, so a
  surge does not lift its own baseline, yet a lasting new level becomes the normal in the end.
* **Surge**: the mentions in the last 15 minutes reach ``factor`` (3) times the baseline for 15
  minutes, and at least ``min_mentions`` (20).
* **Episode**: starts with a surge and ends when there has been no surge for ``cooldown`` (60
  minutes). One episode raises at most one ``spike`` (a positive or neutral surge: worth a notice,
  never a crisis) and at most one ``crisis``.
* **Crisis**: during a surge, at least ``negative_share`` (40 %) of the window's mentions are
  negative and negative mentions outnumber positive ones. A positive spike that later turns
  negative is upgraded to a crisis (one alert). After a crisis no other crisis is raised for
  ``crisis_cooldown`` (3 hours), even if the surge breaks up and comes back.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

BUCKET = dt.timedelta(minutes=5)
WINDOW = dt.timedelta(minutes=15)
HALF_LIFE = dt.timedelta(hours=2)
WARM_UP = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # crisis | spike
    detected_at: dt.datetime
    window_start: dt.datetime
    mentions: int
    negative_share: float
    baseline: float  # expected mentions in the window
    reason: str

    def as_json(self, zone: dt.tzinfo) -> dict[str, object]:
        return {
            "kind": self.kind,
            "detected_at": self.detected_at.astimezone(zone).isoformat(),
            "window_start": self.window_start.astimezone(zone).isoformat(),
            "mentions": self.mentions,
            "negative_share": round(self.negative_share, 4),
            "reason": self.reason,
        }


class CrisisDetector:
    """Feed mentions in time order; :meth:`feed` returns an :class:`Alert` when one is raised."""

    def __init__(
        self,
        *,
        factor: float = 3.0,
        min_mentions: int = 20,
        negative_share: float = 0.4,
        floor: float = 1.0,
        cooldown: dt.timedelta = dt.timedelta(minutes=60),
        crisis_cooldown: dt.timedelta = dt.timedelta(hours=3),
    ) -> None:
        self.factor = factor
        self.min_mentions = min_mentions
        self.negative_share = negative_share
        self.floor = floor
        self.cooldown = cooldown
        self.crisis_cooldown = crisis_cooldown
        self._alpha = 1 - 0.5 ** (BUCKET / HALF_LIFE)
        self._window: deque[tuple[dt.datetime, int]] = deque()  # (time, −1/0/+1)
        self._negative = 0
        self._positive = 0
        self._bucket_start: dt.datetime | None = None
        self._bucket_count = 0
        self._rate = floor  # mentions per bucket, learnt after the warm-up
        self._first: dt.datetime | None = None
        self._seen = 0  # mentions since the first, during the warm-up
        self._warm = False
        self._last: dt.datetime | None = None
        self._episode = False
        self._last_surge: dt.datetime | None = None
        self._episode_kinds: set[str] = set()
        self._last_crisis: dt.datetime | None = None

    # --- baseline ---------------------------------------------------------------------------

    def baseline(self, now: dt.datetime | None = None) -> float:
        """Mentions expected in one window. During the warm-up (the first hour of the stream)
        the rate is the mean so far, so a stream that starts busy is not a surge."""
        rate = self._rate
        if not self._warm and self._first is not None and now is not None:
            buckets = max(1.0, (now - self._first) / BUCKET)
            rate = self._seen / buckets
        return max(self.floor, rate) * (WINDOW / BUCKET)

    def _close_buckets(self, now: dt.datetime) -> None:
        if self._bucket_start is None or self._first is None:
            self._bucket_start = self._first = now
            return
        if not self._warm:
            if now - self._first < WARM_UP:
                return
            self._warm = True  # the learnt rate starts from the warm-up's mean
            self._rate = max(self.floor, self._seen / ((now - self._first) / BUCKET))
            self._bucket_start = now
            self._bucket_count = 0
            return
        while now - self._bucket_start >= BUCKET:
            # During an episode the baseline learns four times slower, so a surge does not
            # lift its own baseline but a lasting new level becomes normal in the end.
            alpha = self._alpha / 4 if self._episode else self._alpha
            self._rate += alpha * (self._bucket_count - self._rate)
            self._bucket_count = 0
            self._bucket_start += BUCKET
            gap = (now - self._bucket_start) // BUCKET
            if gap > 12:  # a long silence: decay in one step
                self._rate *= (1 - self._alpha) ** gap
                self._bucket_start += BUCKET * gap

    # --- the stream -------------------------------------------------------------------------

    def feed(self, time: dt.datetime, polarity: int) -> Alert | None:
        """One mention at ``time`` (aware) with polarity −1 (negative), 0 or +1 (positive)."""
        if self._last is not None and time < self._last:
            time = self._last  # out of order: it arrived now
        self._last = time
        self._close_buckets(time)
        self._bucket_count += 1
        if not self._warm:
            self._seen += 1
        window = self._window
        window.append((time, polarity))
        if polarity < 0:
            self._negative += 1
        elif polarity > 0:
            self._positive += 1
        start = time - WINDOW
        while window[0][0] <= start:
            _, old = window.popleft()
            if old < 0:
                self._negative -= 1
            elif old > 0:
                self._positive -= 1
        count = len(window)
        expected = self.baseline(time)
        surge = count >= self.min_mentions and count >= self.factor * expected
        if not surge:
            if self._episode and self._last_surge and time - self._last_surge >= self.cooldown:
                self._episode = False
                self._episode_kinds = set()
            return None
        self._last_surge = time
        if not self._episode:
            self._episode = True
            self._episode_kinds = set()
        share = self._negative / count
        negative = share >= self.negative_share and self._negative > self._positive
        if negative:
            recent = (
                self._last_crisis is not None and time - self._last_crisis < self.crisis_cooldown
            )
            if "crisis" in self._episode_kinds or recent:
                return None
            self._episode_kinds.add("crisis")
            self._last_crisis = time
            kind = "crisis"
        else:
            if self._episode_kinds:
                return None
            self._episode_kinds.add("spike")
            kind = "spike"
        reason = (
            f"{count} mentions in {int(WINDOW.total_seconds() // 60)} minutes against "
            f"{expected:.1f} expected; {share:.0%} negative"
        )
        return Alert(kind, time, window[0][0], count, share, expected, reason)
