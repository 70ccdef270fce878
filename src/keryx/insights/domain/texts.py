"""Storing analysed texts: the inbox and the network searches call :func:`text_record`."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from keryx.accounts.models import Workspace
from keryx.insights.enums import Source
from keryx.insights.models import AnalysedText
from keryx.insights.sentiment.analyser import analyse
from keryx.insights.terms import hashtags_of, terms_of
from keryx.seminars.models import Seminar


def text_record(
    *,
    workspace: Workspace,
    text: str,
    posted_at: dt.datetime,
    source: str = Source.INBOX,
    network: str = "",
    external_id: str = "",
    author_handle: str = "",
    seminar: Seminar | None = None,
) -> AnalysedText:
    """Analyse ``text`` (language, sentiment, hashtags, terms) and store it once: a text with
    the same network id is returned as stored, not analysed again."""
    if seminar is not None and seminar.workspace_id != workspace.pk:
        raise ValueError("the seminar belongs to another workspace")
    if external_id:
        found = AnalysedText.objects.filter(
            workspace=workspace, network=network, external_id=external_id
        ).first()
        if found is not None:
            return found
    result = analyse(text)
    row = AnalysedText(
        workspace=workspace,
        seminar=seminar,
        source=source,
        network=network,
        external_id=external_id,
        author_handle=author_handle,
        text=text,
        posted_at=posted_at,
        label=result.label,
        score=result.score,
        language=result.language,
        form=result.form,
        hashtags=hashtags_of(text),
        terms=terms_of(text),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # stored by a concurrent call a moment ago
        return AnalysedText.objects.get(
            workspace=workspace, network=network, external_id=external_id
        )
    return row
