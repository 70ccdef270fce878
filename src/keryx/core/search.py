"""Searching user text in the database, folding case and accents the way ``text_key`` does.

``Q(name__folded_contains="μαρια")`` finds «Μαρία», «ΜΑΡΙΑ» and «μαρία»: the column is folded
by the database and the searched words by :func:`keryx.core.text.text_key`, so both sides
compare in the same form. Nothing is stored, so nothing goes stale when a name changes or is
erased.

* SQLite: ``keryx_fold(x)`` is ``text_key`` itself, registered on every connection.
* PostgreSQL: the same folding written in SQL (NFD, Greek capitals and final sigma mapped,
  ``lower``, combining marks removed), so it does not depend on the server's locale.

:func:`search_q` builds the condition for a search box: every typed word must appear in one of
the fields (in any order), or match one of the ``exact`` fields as typed (codes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.lookups import Contains

from keryx.core.text import text_key

FOLD_FUNCTION = "keryx_fold"

_GREEK_UPPER = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩς"
_GREEK_LOWER = "αβγδεζηθικλμνξοπρστυφχψωσ"
_POSTGRES_FOLD = (
    "regexp_replace(lower(translate(normalize({sql}, NFD), "
    f"'{_GREEK_UPPER}', '{_GREEK_LOWER}')), '[\\u0300-\\u036f]', '', 'g')"
)


def _fold(value: str | None) -> str | None:
    return None if value is None else text_key(value)


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every SQLite connection ``keryx_fold`` (connected by Django's ``connection_created``)."""
    if connection.vendor == "sqlite":
        raw: sqlite3.Connection = connection.connection
        raw.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)


connection_created.connect(register_sqlite_function, dispatch_uid="keryx.core.search.fold")


@models.CharField.register_lookup
@models.TextField.register_lookup
class FoldedContains(Contains):
    """``field__folded_contains=word``: the folded column contains the folded word."""

    lookup_name = "folded_contains"

    def get_prep_lookup(self) -> Any:
        value = super().get_prep_lookup()
        return text_key(value) if isinstance(value, str) else value

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        # The words are always plain values: ``LIKE %s`` as for ``contains``.
        return str(connection.operators["contains"] % rhs)

    def process_lhs(self, compiler: Any, connection: Any, lhs: Any = None) -> tuple[str, Any]:
        sql, params = super().process_lhs(compiler, connection, lhs)
        if connection.vendor == "postgresql":
            return _POSTGRES_FOLD.format(sql=sql), params
        return f"{FOLD_FUNCTION}({sql})", params


def search_words(query: str) -> list[str]:
    """The words of a search box, as typed (empty words dropped)."""
    return query.split()


def search_q(query: str, fields: Sequence[str], *, exact: Sequence[str] = ()) -> Q:
    """Every word of ``query`` in one of ``fields`` (folded) or equal to one of ``exact``."""
    condition = Q()
    for word in search_words(query):
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__folded_contains": word})
        for field in exact:
            either |= Q(**{field: word})
        condition &= either
    return condition
