"""What the test network allows, declared as data (like every network's ``rules.py``)."""

from __future__ import annotations

NETWORK = "testnet"
TEXT_LIMIT = 5000

# Read by keryx.publishing.limits: how many publishes may run at once (across every account
# of this network), how many posts one account may publish per window, and whether the network
# de-duplicates writes by an Idempotency-Key (and for how long it remembers one).
PUBLISH_LIMITS = {
    "concurrency": 64,
    "quota": None,
    "quota_window_hours": 24,
    "idempotency": True,
    "idempotency_window_hours": 24,
}
