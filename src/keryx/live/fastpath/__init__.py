"""The vote fast path: votes answered on the ASGI front and stored by group commit.

:mod:`router` authenticates ``POST /j/<code>/p/<poll>/vote`` without Django's request stack,
:mod:`guards` holds the forgery check, the rate limit and the idempotency keys, and
:mod:`writer` stores the pending votes of the whole process in one transaction every few
milliseconds (:func:`keryx.live.domain.ballots.ballots_commit`). Decision 0804, docs/live.md.
"""
