"""``{% load privacy %}``: links a registrant follows to see or withdraw a consent."""

from __future__ import annotations

from django import template
from django.urls import reverse

from keryx.privacy.domain.links import consent_token_make

register = template.Library()


@register.simple_tag
def consent_url(consent_id: int) -> str:
    return reverse("privacy:consent", args=[consent_token_make(consent_id)])
