"""``keryx analyze``: sentiment and crisis replay for scripts, JSON Lines in, JSON out.

Neither command needs a database, migrations or Django: they start fast on a fresh home.

``keryx analyze sentiment [--input FILE | -]`` reads JSON Lines (standard input by default), one
object per line with a ``text`` string, and writes one JSON line per input line, in order, with
every input key kept and ``label`` (positive | negative | neutral), ``score`` (−1 … 1) and
``language`` (el | en; Greeklish is el) added (they replace input keys of the same names).

``keryx analyze crisis --input FILE [--time-zone TZ]`` reads JSON Lines of mentions
``{"time": ISO 8601 with offset, "network": …, "text": …}`` in time order and writes one JSON
object ``{"alerts": [...]}`` (see :mod:`keryx.insights.crisis`).

Bad input (invalid UTF-8, a line that is not a JSON object with a ``text`` string, for crisis a
``time`` without an offset) stops the run with exit status 2 and a message on standard error
naming the line (numbered from 1). Empty lines (nothing but white space) at the end of the input
are ignored; an empty line followed by more input is bad input (decision 0901). Output is UTF-8.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


class BadInput(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def add_parser(sub: argparse._SubParsersAction) -> None:
    analyze = sub.add_parser(
        "analyze",
        help="Text analysis for scripts: sentiment of texts, crisis replay of mentions.",
        description="Text analysis for scripts (no database needed).",
    )
    actions = analyze.add_subparsers(dest="analyze_command", required=True, metavar="ACTION")
    sentiment = actions.add_parser(
        "sentiment",
        help="Label each JSON line's text positive, negative or neutral (el, en, Greeklish).",
        description=(
            "Read JSON Lines with a 'text' in each object; write each object back with "
            "'label', 'score' (-1..1) and 'language' (el|en) added. Exit 2 on a bad line."
        ),
    )
    sentiment.add_argument(
        "--input", default="-", metavar="FILE", help="JSON Lines file, or - (default) for stdin."
    )
    sentiment.set_defaults(func=run_sentiment)
    crisis = actions.add_parser(
        "crisis",
        help="Replay a timeline of mentions and print the alerts it raises as JSON.",
        description=(
            "Read JSON Lines of mentions {time, network, text} in time order; print "
            '{"alerts": [...]} with kind crisis or spike. Exit 2 on a bad line.'
        ),
    )
    crisis.add_argument("--input", required=True, metavar="FILE", help="JSON Lines, or -.")
    crisis.add_argument(
        "--time-zone", default="UTC", metavar="TZ", help="Zone of the times printed (UTC)."
    )
    crisis.set_defaults(func=run_crisis)


def _open(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else Path(path).open("rb")


def _objects(stream: IO[bytes], required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line; trailing empty lines ignored."""
    blank_at = 0
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            blank_at = blank_at or number
            continue
        if blank_at:
            raise BadInput(blank_at, "an empty line (only the end of the input may have them)")
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise BadInput(number, "not UTF-8") from None
        except ValueError:
            raise BadInput(number, "not valid JSON") from None
        if not isinstance(value, dict):
            raise BadInput(number, "not a JSON object")
        for key in required:
            if not isinstance(value.get(key), str):
                raise BadInput(number, f'no "{key}" string')
        yield number, value


def _fail(command: str, error: Exception) -> int:
    sys.stderr.write(f"keryx analyze {command}: {error}\n")
    return 2


def run_sentiment(args: argparse.Namespace) -> int:
    from keryx.insights.sentiment.analyser import analyse

    try:
        stream = _open(args.input)
    except OSError as exc:
        return _fail("sentiment", exc)
    out = sys.stdout.buffer
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    try:
        with stream:
            for _number, value in _objects(stream, ("text",)):
                result = analyse(value["text"])
                value["label"] = result.label
                value["score"] = result.score
                value["language"] = result.language
                out.write(dumps(value).encode("utf-8") + b"\n")
    except BadInput as exc:
        out.flush()
        return _fail("sentiment", exc)
    out.flush()
    return 0


def _parse_time(number: int, value: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(number, f'"time" is not ISO 8601: {value!r}') from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise BadInput(number, f'"time" has no UTC offset: {value!r}')
    return when


def run_crisis(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from keryx.insights.crisis import CrisisDetector
    from keryx.insights.sentiment.analyser import analyse

    try:
        zone = ZoneInfo(args.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return _fail("crisis", ValueError(f"unknown time zone {args.time_zone!r}"))
    try:
        stream = _open(args.input)
    except OSError as exc:
        return _fail("crisis", exc)
    detector = CrisisDetector()
    alerts: list[dict[str, object]] = []
    polarity = {"positive": 1, "negative": -1, "neutral": 0}
    try:
        with stream:
            for number, value in _objects(stream, ("time", "text")):
                when = _parse_time(number, value["time"])
                alert = detector.feed(when, polarity[analyse(value["text"]).label])
                if alert is not None:
                    alerts.append(alert.as_json(zone))
    except BadInput as exc:
        return _fail("crisis", exc)
    sys.stdout.buffer.write(
        json.dumps({"alerts": alerts}, ensure_ascii=False).encode("utf-8") + b"\n"
    )
    sys.stdout.buffer.flush()
    return 0
