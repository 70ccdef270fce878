from __future__ import annotations

from ninja import Field, Schema


class SentimentIn(Schema):
    texts: list[str] = Field(..., max_length=1000, description="At most 1,000 texts.")


class SentimentOut(Schema):
    text: str
    label: str = Field(description="positive, negative or neutral")
    score: float = Field(description="−1 … 1")
    language: str = Field(description="el or en (Greeklish is el)")
    form: str = Field(description="el, en or greeklish: how it was written")


class TrendOut(Schema):
    kind: str = Field(description="hashtag or term")
    key: str
    label: str
    count: int
    expected: float
    score: float
    positive: int
    negative: int
    examples: list[str]


class TopicOut(Schema):
    advice: str = Field(description="post (people are interested) or answer (they complain)")
    trend: TrendOut


class KeywordOut(Schema):
    text: str
    source: str = Field(description="description or trending")
    weight: float
