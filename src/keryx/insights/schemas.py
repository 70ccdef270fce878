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


# --- AI drafting -------------------------------------------------------------------------


class AiStatusOut(Schema):
    enabled: bool
    model: str = Field(description="The model asked; empty when AI drafting is off")
    timeout_seconds: float
    sent: list[str] = Field(description="What Keryx sends to the AI server, and nothing else")


class DraftIn(Schema):
    seminar_id: int
    theme: str = Field("", max_length=40, description="A post theme (content themes)")
    language: str = Field("el", pattern="^(el|en)$")
    notes: str = Field("", max_length=5000, description="What the user has typed so far")


class RewriteIn(Schema):
    text: str = Field(..., max_length=5000)
    network: str = Field("", max_length=16, description="A network key; or give account_id")
    account_id: int | None = Field(None, description="Use this account's own limits")
    seminar_id: int | None = None
    language: str = Field("el", pattern="^(el|en)$")


class TranslateIn(Schema):
    text: str = Field(..., max_length=5000)
    language: str = Field("el", pattern="^(el|en)$", description="The text's language")


class HashtagsIn(Schema):
    text: str = Field("", max_length=5000)
    seminar_id: int | None = None
    language: str = Field("el", pattern="^(el|en)$")


class PromptMessage(Schema):
    role: str
    content: str


class TextCheckOut(Schema):
    network: str
    valid: bool
    length: int
    limit: int
    unit: str
    errors: list[str]
    warnings: list[str]


class SuggestionOut(Schema):
    kind: str = Field(description="draft, rewrite, translate or hashtags")
    text: str = Field(description="The suggestion; nothing is saved until the user uses it")
    hashtags: list[str]
    prompt: list[PromptMessage] = Field(description="Exactly what was sent to the AI server")
    check: TextCheckOut | None = Field(None, description="A rewrite checked by the composer")
    retried: bool = Field(description="A rewrite over the limit was asked for once more")
    notes: list[str]


class RecommendationOut(Schema):
    key: str = Field(description="best_time, best_network, theme, format, personas or trending")
    title: str
    advice: str = Field(description="The recommendation, or why there is none yet")
    enough: bool = Field(description="False: not enough data yet (see n and needed)")
    n: int = Field(description="How many posts, people or texts the evidence rests on")
    needed: int = Field(description="The least n a recommendation needs (decision 0911)")
    period: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    notes: list[str]
