"""The composer's merge view: when someone saved a post after this editor opened it, show
their value next to this editor's for every field that differs, and let the editor choose.

The form then comes back with ``merge-<field>`` set to ``theirs`` or ``yours`` and the new
``version``; :func:`apply_choices` puts "their" values in before the usual save.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from keryx.content.composer import POST_KEYS
from keryx.content.models import Post


def submitted_version(data: QueryDict) -> int | None:
    raw = data.get("version", "")
    return int(raw) if raw.isdigit() else None


def submitted_revision(data: QueryDict) -> int | None:
    """The revision an approve form showed (forms that send none approve the current one)."""
    raw = data.get("revision", "")
    return int(raw) if raw.isdigit() else None


def _label(name: str) -> str:
    return str(getattr(Post._meta.get_field(name), "verbose_name", name))


def _theirs(post: Post) -> dict[str, tuple[str, str, str]]:
    """field → (label, value as the form sends it, value as shown)."""
    values: dict[str, tuple[str, str, str]] = {
        "seminar": (
            _label("seminar"),
            str(post.seminar_id),
            str(post.seminar),
        )
    }
    for key in POST_KEYS:
        value = str(getattr(post, key) or "")
        values[key] = (_label(key), value, value)
    for variant in post.variants.select_related("account"):
        if variant.text_edited:
            key = f"v{variant.account_id}-text"
            label = f"{variant.account.get_network_display()} ({variant.account.handle})"
            values[key] = (label, variant.source_text, variant.source_text)
    return values


def merge_rows(post: Post, data: QueryDict) -> list[dict[str, Any]]:
    """The fields where the saved post (theirs) and the submitted form (yours) differ."""
    rows = []
    for key, (label, theirs, shown) in _theirs(post).items():
        yours = data.get(key)
        if key.startswith("v") and data.get(key.removesuffix("text") + "edited") != "1":
            continue  # this editor's variant follows the master text
        if yours is None or yours.replace("\r\n", "\n").strip() == theirs.strip():
            continue
        rows.append(
            {"field": key, "label": label, "theirs": theirs, "theirs_shown": shown, "yours": yours}
        )
    return rows


def apply_choices(post: Post, data: QueryDict) -> QueryDict:
    """The submitted form with "their" value for every field the editor chose so."""
    chosen = [k.removeprefix("merge-") for k, v in data.items() if k.startswith("merge-")]
    if not chosen:
        return data
    theirs = _theirs(post)
    merged = data.copy()
    for key in chosen:
        if data.get(f"merge-{key}") == "theirs" and key in theirs:
            merged[key] = theirs[key][1]
    return merged
