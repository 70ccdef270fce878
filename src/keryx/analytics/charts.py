"""A chart's data with its table and CSV: what the chart script reads, what "Show as a table"
lists, and what "Download CSV" gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keryx.analytics.exports import csv_text


@dataclass
class Chart:
    key: str
    title: str
    labels: list[str]
    datasets: list[dict[str, Any]]
    kind: str = "line"
    label_header: str = ""

    def data(self) -> dict[str, Any]:
        """What the chart script reads (numbers as floats, gaps as null)."""
        return {
            "labels": self.labels,
            "datasets": [
                {
                    "label": d["label"],
                    "data": [None if v is None else float(v) for v in d["data"]],
                }
                for d in self.datasets
            ],
        }

    def header(self) -> list[str]:
        return [self.label_header, *(d["label"] for d in self.datasets)]

    def rows(self) -> list[list[Any]]:
        return [
            [label, *(d["data"][i] for d in self.datasets)] for i, label in enumerate(self.labels)
        ]

    def csv(self) -> str:
        return csv_text(self.header(), self.rows())
