"""The real-time layer every app uses: publish events, stream them to browsers over SSE.

Writers (views, tasks, the worker process, any web process) call :func:`publish` — or
:func:`publish_on_commit` inside a transaction, so only committed changes go out — or
:func:`publish_coalesced` for state that changes many times a second (a poll's counts: at
most one event per key per interval and process, built from the database when it is sent).

Every event is a row of :class:`keryx.core.models.Event`; its id is the SSE id. After the
insert commits, a wake-up signal tells readers to look: in-process (the embedded shape's web
process) and, with ``REDIS_URL``, a Redis pub/sub message every web process hears (the scaled
shape). The signal carries no data, so a lost signal costs only latency: readers also poll
the table every ``KERYX_EVENTS_POLL`` seconds, which is how events written by the embedded
worker (another process) arrive. Readers are :mod:`keryx.core.realtime.hub` (one per web
process) and :mod:`keryx.core.realtime.sse` (one per connected browser).
"""

from keryx.core.realtime.publish import (
    current_event_id,
    publish,
    publish_coalesced,
    publish_on_commit,
)

__all__ = ["current_event_id", "publish", "publish_coalesced", "publish_on_commit"]
