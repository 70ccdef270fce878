"""Two statements the ORM does not offer, used by the batch pipeline.

- :func:`update_returning`: ``UPDATE … WHERE … RETURNING id``, so a compare-and-set over many
  rows says *which* rows it changed (PostgreSQL, and SQLite since 3.35).
- :func:`per_row`: a ``CASE id WHEN … THEN …`` value, so one ``UPDATE`` gives each row its own
  value (what ``bulk_update`` does, but inside a queryset that keeps its own conditions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.sql import UpdateQuery


def update_returning(queryset: QuerySet[Any], **values: Any) -> list[Any]:
    """``queryset.update(**values)``, returning the primary keys of the rows it changed.

    The queryset must filter on the table's own columns (and non-correlated subqueries such
    as ``Exists``): a filter through a join would make Django rewrite the statement as
    ``WHERE id IN (subquery)``, which is not a compare-and-set (decision 0400)."""
    query: Any = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    query.clear_select_clause()
    query.get_initial_alias()
    if query.count_active_tables() != 1 or query.related_updates:
        raise ValueError("update_returning needs conditions on the table's own columns")
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. ``pk__in=[]``
        return []
    if not sql:
        return []
    connection = connections[queryset.db]
    pk = connection.ops.quote_name(queryset.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {pk}", params)
        return [row[0] for row in cursor.fetchall()]


class PerRow(Expression):
    """``CASE <pk> WHEN … THEN … ELSE <column> END``, compiled straight to SQL.

    Django's ``Case(When(pk=…))`` resolves a filter per row, which costs more than the
    statement itself for a batch; the values here are only prepared for the database."""

    def __init__(self, model: type[Model], field_name: str, values: Mapping[Any, Any]) -> None:
        field: Field[Any, Any] = model._meta.get_field(field_name)  # type: ignore[assignment]
        super().__init__(output_field=field)
        self.model = model
        self.target = field
        self.values = dict(values)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> PerRow:
        return self

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        pk = self.model._meta.pk
        quote = connection.ops.quote_name
        params: list[Any] = []
        for key, value in self.values.items():
            params.append(pk.get_db_prep_value(key, connection))
            params.append(self.target.get_db_prep_save(value, connection))
        whens = " ".join(["WHEN %s THEN %s"] * len(self.values))
        column = quote(self.target.column)
        return f"CASE {quote(pk.column)} {whens} ELSE {column} END", params


def per_row(model: type[Model], field_name: str, values: Mapping[Any, Any]) -> PerRow:
    """The value of ``field_name`` for each primary key in ``values`` (others keep theirs)."""
    return PerRow(model, field_name, values)
