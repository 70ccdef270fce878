"""Accuracy of the sentiment analyser on a labelled set, per language form (el, en, greeklish).

``python -m keryx.insights.evaluate [FILE]`` prints the table; the default file is Keryx's own
set, ``keryx/insights/data/labelled.jsonl`` (one object a line: ``text``, ``label``,
``language`` = el | en | greeklish), written for Keryx and not used to fit any weight one by one.
It also reports how often the language form was detected right.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from keryx.insights.sentiment.analyser import analyse

LABELLED = Path(__file__).with_name("data") / "labelled.jsonl"


@dataclass
class Score:
    total: int = 0
    correct: int = 0
    language_correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def language_accuracy(self) -> float:
        return self.language_correct / self.total if self.total else 0.0


def evaluate(path: Path = LABELLED) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        result = analyse(item["text"])
        for key in (item["language"], "all"):
            score = scores.setdefault(key, Score())
            score.total += 1
            score.correct += result.label == item["label"]
            score.language_correct += result.form == item["language"]
            score.confusion[(item["label"], result.label)] += 1
    return scores


def report(scores: dict[str, Score]) -> str:
    lines = ["form        texts  accuracy  language detected"]
    for key in ("el", "en", "greeklish", "all"):
        if key in scores:
            s = scores[key]
            lines.append(f"{key:<10} {s.total:>6}  {s.accuracy:8.3f}  {s.language_accuracy:8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(report(evaluate(Path(args[0]) if args else LABELLED)) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
