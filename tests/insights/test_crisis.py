"""Crisis replay on a generated timeline: a positive viral spike is no crisis; a negative surge
raises exactly one crisis within 30 minutes of its start."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from keryx.insights.crisis import CrisisDetector
from tests.insights.test_cli import run

START = dt.datetime(2026, 5, 14, 6, 0, tzinfo=dt.UTC)
CALM = [
    "Τι ώρα ξεκινάει το σεμινάριο;",
    "Looking forward to the seminar",
    "Πού είναι η αίθουσα;",
    "Great speakers this year",
    "8a yparxei vinteoskopisi?",
]
PRAISE = ["Καταπληκτική ομιλία! 👏", "Amazing keynote, loved it", "teleio to panel!!"]
ANGER = [
    "Απαράδεκτο, ακύρωσαν την ομιλία χωρίς ενημέρωση",
    "This is a scam, I want a refund",
    "ntropi sas, xalia organosi",
    "Terrible, the stream is broken again",
]
SPIKE_AT = START + dt.timedelta(hours=4)
SURGE_AT = START + dt.timedelta(hours=9)


def timeline() -> list[dict[str, str]]:
    """12 hours: ~2 calm mentions per 5 minutes, a positive viral hour at +4 h (40 per 5
    minutes, 10 % grumbles) and a negative hour at +9 h (30 per 5 minutes, 75 % angry)."""
    rng = random.Random(13)
    out: list[tuple[dt.datetime, str]] = []
    for minute in range(12 * 60):
        now = START + dt.timedelta(minutes=minute)
        if rng.random() < 0.4:
            out.append((now, rng.choice(CALM)))
        if SPIKE_AT <= now < SPIKE_AT + dt.timedelta(hours=1):
            for second in range(0, 60, 8):
                text = rng.choice(ANGER) if rng.random() < 0.1 else rng.choice(PRAISE)
                out.append((now + dt.timedelta(seconds=second), text))
        if SURGE_AT <= now < SURGE_AT + dt.timedelta(hours=1):
            for second in range(0, 60, 10):
                text = rng.choice(ANGER) if rng.random() < 0.75 else rng.choice(CALM)
                out.append((now + dt.timedelta(seconds=second), text))
    out.sort(key=lambda item: item[0])
    return [
        {"time": t.isoformat(), "network": rng.choice(["x", "bluesky"]), "text": text}
        for t, text in out
    ]


def test_replay_spike_is_no_crisis_and_the_negative_surge_is_one(tmp_path: Path) -> None:
    path = tmp_path / "mentions.jsonl"
    path.write_text(
        "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in timeline()), encoding="utf-8"
    )
    code, out, err = run("crisis", "--input", str(path), "--time-zone", "Europe/Athens")
    assert (code, err) == (0, "")
    alerts = json.loads(out)["alerts"]
    assert [a["kind"] for a in alerts] == ["spike", "crisis"]
    spike, crisis = alerts
    assert set(crisis) == {
        "kind",
        "detected_at",
        "window_start",
        "mentions",
        "negative_share",
        "reason",
    }
    spike_at = dt.datetime.fromisoformat(spike["detected_at"])
    assert SPIKE_AT <= spike_at <= SPIKE_AT + dt.timedelta(minutes=30)
    detected = dt.datetime.fromisoformat(crisis["detected_at"])
    assert SURGE_AT <= detected <= SURGE_AT + dt.timedelta(minutes=30)
    assert crisis["detected_at"].endswith("+03:00")  # Athens in summer
    assert crisis["negative_share"] >= 0.4 and crisis["mentions"] >= 20
    assert dt.datetime.fromisoformat(crisis["window_start"]) <= detected


def test_a_decision_uses_only_the_mentions_so_far() -> None:
    mentions = timeline()
    cut = [m for m in mentions if dt.datetime.fromisoformat(m["time"]) < SURGE_AT]
    detector = CrisisDetector()
    from keryx.insights.sentiment.analyser import analyse

    polarity = {"positive": 1, "negative": -1, "neutral": 0}
    kinds = []
    for m in cut:
        alert = detector.feed(
            dt.datetime.fromisoformat(m["time"]), polarity[analyse(m["text"]).label]
        )
        if alert:
            kinds.append(alert.kind)
    assert kinds == ["spike"]


def test_cooldown_one_crisis_for_a_surge_that_breaks_up_and_returns() -> None:
    detector = CrisisDetector()
    kinds = []
    for minute in range(0, 120, 5):  # two quiet hours: the baseline
        assert detector.feed(START + dt.timedelta(minutes=minute), 0) is None
    for minute in range(120, 300):
        now = START + dt.timedelta(minutes=minute)
        surging = minute % 40 < 20  # twenty minutes on, twenty off
        for second in range(0, 60, 10 if surging else 60):
            alert = detector.feed(now + dt.timedelta(seconds=second), -1)
            if alert:
                kinds.append(alert.kind)
    assert kinds == ["crisis"]


def test_crisis_input_errors_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"time": "2026-05-14T10:00:00", "network": "x", "text": "a"}\n')
    code, _, err = run("crisis", "--input", str(path))
    assert (code, "line 1" in err, "offset" in err) == (2, True, True)
    path.write_text('{"time": "2026-05-14T10:00:00+00:00", "network": "x"}\n')
    assert run("crisis", "--input", str(path))[0] == 2
    path.write_text('{"time": "2026-05-14T10:00:00Z", "network": "x", "text": "a"}\n')
    code, out, _ = run("crisis", "--input", str(path), "--time-zone", "Nowhere/City")
    assert code == 2
    code, out, _ = run("crisis", "--input", str(path))
    assert (code, json.loads(out)) == (0, {"alerts": []})


def test_a_stream_that_starts_busy_and_grumpy_is_no_surge() -> None:
    """Ten mentions a minute from the first second, half of them negative: that is this
    account's normal, learnt during the warm-up, not a crisis."""
    detector = CrisisDetector()
    kinds = []
    for minute in range(6 * 60):
        for second in range(0, 60, 6):
            polarity = -1 if second % 12 == 0 else 1
            alert = detector.feed(START + dt.timedelta(minutes=minute, seconds=second), polarity)
            if alert:
                kinds.append(alert.kind)
    assert kinds == []
    assert round(detector.baseline(), 1) == 150.0  # ten a minute, for 15 minutes
