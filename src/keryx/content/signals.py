"""Signals the content app sends.

``variant_text_saved(sender=Variant, variant=variant)`` is sent after a variant's text was
saved (created, edited by hand, or updated from the master text), inside the same
transaction. The links app listens to turn every plain link into a tracked link; a receiver
that changes the text saves the variant itself (``save(update_fields=["text"])``) and must not
call back into the content domain. See docs/decisions/0301-variant-text-saved-signal.md.

``post_approved(sender=Post, post=post, access=access)`` is sent inside the approval's
transaction once a post has all the approvals it needs; ``access`` is the approver's. The
publishing app schedules the variants that carry a planned time.
"""

from __future__ import annotations

from django.dispatch import Signal

variant_text_saved = Signal()
post_approved = Signal()
