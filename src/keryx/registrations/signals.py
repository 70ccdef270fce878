"""Signals other apps listen to (the links app forwards them to GA4, for instance).

Each is sent with ``sender=Registration`` and ``registration=<Registration>`` once the
transaction that made the change has committed, exactly once per change: a repeated
confirmation or a second scan of a ticket sends nothing. See
docs/decisions/0600-attribution-contract.md.
"""

from __future__ import annotations

from django.dispatch import Signal

registration_created = Signal()
registration_confirmed = Signal()
registration_cancelled = Signal()
registration_checked_in = Signal()
