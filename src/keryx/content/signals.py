"""Signals the content app sends.

``variant_text_saved(sender=Variant, variant=variant)`` is sent after what the author wrote in
a variant was saved — its ``source_text``, ``source_first_comment`` or ``source_link_url``
(created, edited by hand, or updated from the master text) — inside the same transaction.
The published fields (``text``, ``first_comment``, ``link_url``) then equal the source. The
links app listens to make every plain link a tracked link: a receiver may change the
published fields (saving them itself, with a queryset update) but never the source, and must
not call back into the content domain. See docs/decisions/0301-variant-text-saved-signal.md
and 0309-variant-source-text.md.

``post_approved(sender=Post, post=post, access=access)`` is sent inside the approval's
transaction once a post has all the approvals it needs; ``access`` is the approver's. The
publishing app schedules the variants that carry a planned time.
"""

from __future__ import annotations

from django.dispatch import Signal

variant_text_saved = Signal()
post_approved = Signal()
