from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ConversationOut(Schema):
    id: int
    network: str
    kind: str
    author_name: str
    author_handle: str
    excerpt: str
    url: str
    sentiment: str
    language: str
    status: str
    assignee_id: int | None
    seminar_id: int | None
    post_id: int | None
    tags: list[str]
    hidden: bool
    first_message_at: dt.datetime
    last_message_at: dt.datetime
    first_reply_at: dt.datetime | None
    messages_count: int


class ConversationPageOut(Schema):
    items: list[ConversationOut]
    next: str = Field("", description="Pass as `after` for the next page; empty on the last.")
    crisis_mode: bool


class InboxFilter(Schema):
    status: str = Field("open", description="open, done, or empty for both")
    network: str = ""
    seminar: int | None = None
    post: int | None = None
    sentiment: str = ""
    assignee: str = Field("", description="me, none, or a user id")
    language: str = ""
    tag: str = ""
    q: str = Field("", description="words in the authors and texts (case and accents folded)")
    after: str = Field("", description="the `next` of the previous page")
    page_size: int = Field(50, ge=1, le=200)


class AssignIn(Schema):
    assignee_id: int | None = None


class StatusIn(Schema):
    status: str


class ReplyIn(Schema):
    text: str
    key: str = Field(
        "", max_length=64, description="Idempotency key: the same key twice is the same reply."
    )


class ReplyOut(Schema):
    id: int
    status: str
    text: str
    remote_id: str
    url: str
    error: str
    created_at: dt.datetime
