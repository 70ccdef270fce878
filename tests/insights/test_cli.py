"""``keryx analyze sentiment`` as scripts run it: a subprocess, JSON Lines in and out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


def run(*args: str, stdin: bytes = b"", home: Path | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = SRC
    if home is not None:
        env["KERYX_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", "keryx", "analyze", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_sentiment_keeps_every_key_and_adds_label_score_language(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "text": "Πολύ καλό σεμινάριο!", "network": "x"},
        {"id": 2, "text": "xalia o hxos", "meta": {"a": [1, 2]}},
        {"id": 3, "text": "What time does it start?"},
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    code, out, err = run("sentiment", stdin=stdin, home=tmp_path / "fresh")
    assert (code, err) == (0, "")
    assert "Πολύ" in out  # UTF-8, not \u escapes
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["network"] == "x" and rows[1]["meta"] == {"a": [1, 2]}
    assert [(r["label"], r["language"]) for r in rows] == [
        ("positive", "el"),
        ("negative", "el"),
        ("neutral", "en"),
    ]
    assert rows[0]["score"] > 0 > rows[1]["score"] and rows[2]["score"] == 0.0
    assert not (tmp_path / "fresh").exists()  # no database, nothing written


def test_sentiment_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Great talk"}\n', encoding="utf-8")
    code, out, _ = run("sentiment", "--input", str(path))
    assert code == 0
    assert json.loads(out)["label"] == "positive"


def test_a_line_without_text_stops_with_2_naming_the_line() -> None:
    code, out, err = run("sentiment", stdin=b'{"text": "ok"}\n{"txt": "x"}\n{"text": "b"}\n')
    assert code == 2
    assert "line 2" in err
    assert len(out.splitlines()) == 1


def test_a_line_that_is_not_an_object_or_not_json_stops_with_2() -> None:
    assert run("sentiment", stdin=b'["text"]\n')[0] == 2
    code, _, err = run("sentiment", stdin=b'{"text": "a"}\n{"text": "b"}\n{oops\n')
    assert (code, "line 3" in err) == (2, True)
    code, _, err = run("sentiment", stdin=b'{"text": 5}\n')
    assert (code, "line 1" in err) == (2, True)


def test_trailing_empty_lines_are_ignored_but_an_inner_one_is_bad_input() -> None:
    code, out, _ = run("sentiment", stdin=b'{"text": "a"}\n\n  \n')
    assert (code, len(out.splitlines())) == (0, 1)
    code, _, err = run("sentiment", stdin=b'{"text": "a"}\n\n{"text": "b"}\n')
    assert (code, "line 2" in err) == (2, True)


def test_a_missing_file_is_exit_2() -> None:
    code, _, err = run("sentiment", "--input", "/nonexistent/x.jsonl")
    assert code == 2 and "x.jsonl" in err
