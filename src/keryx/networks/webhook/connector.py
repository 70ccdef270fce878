"""Webhook: POST a signed JSON payload to a URL (Discord, Slack, Microsoft Teams workflows,
Zapier, Make, n8n or your own receiver). docs/networks/webhook.md documents the payload and
the signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.core.http import check_public_url
from keryx.networks.base import (
    ConnectedAccount,
    Connector,
    Conversation,
    MediaFile,
    Metrics,
    Published,
    PublishRequest,
    Rejected,
)
from keryx.networks.webhook.client import WebhookClient, host_of
from keryx.networks.webhook.spec import SPEC

STYLES = ("generic", "discord", "slack", "teams")


def media_url(media: MediaFile) -> str:
    """The public address of an uploaded file, when it lives under MEDIA_ROOT."""
    try:
        relative = Path(media.path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError:
        return ""
    return f"{settings.KERYX_BASE_URL}{settings.MEDIA_URL}{relative.as_posix()}"


def _plain(request: PublishRequest) -> str:
    text = request.text.strip()
    if request.link and request.link not in text:
        text = f"{text}\n{request.link}" if text else request.link
    return text


def build_payload(style: str, request: PublishRequest, *, delivery: str) -> dict[str, Any]:
    text = _plain(request)
    if any(not media_url(m) for m in request.media):
        raise Rejected(_("A webhook receives images by address: upload them to Keryx first."))
    images = [m for m in request.media if m.mime.startswith("image/")]
    if style == "discord":
        payload: dict[str, Any] = {"content": text, "allowed_mentions": {"parse": []}}
        embeds = [
            {"image": {"url": url}, "description": m.alt_text}
            for m in images
            if (url := media_url(m))
        ]
        if embeds:
            payload["embeds"] = embeds
        return payload
    if style == "slack":
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}}
        ]
        blocks += [
            {"type": "image", "image_url": url, "alt_text": m.alt_text or " "}
            for m in images
            if (url := media_url(m))
        ]
        return {"text": text, "blocks": blocks}
    if style == "teams":
        body: list[dict[str, Any]] = [{"type": "TextBlock", "text": text, "wrap": True}]
        body += [
            {"type": "Image", "url": url, "altText": m.alt_text}
            for m in images
            if (url := media_url(m))
        ]
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": body,
                    },
                }
            ],
        }
    return {
        "event": "post.publish",
        "delivery": delivery,
        "idempotency_key": request.idempotency_key,
        "sent_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "text": text,
        "post": {
            "text": request.text,
            "link": request.link,
            "fingerprint": request.fingerprint,
            "media": [
                {
                    "url": media_url(m),
                    "mime": m.mime,
                    "alt_text": m.alt_text,
                    "width": m.width,
                    "height": m.height,
                }
                for m in request.media
            ],
        },
    }


class WebhookConnector(Connector):
    key = "webhook"
    label = "Webhook"
    capabilities = SPEC.capabilities

    @property
    def client(self) -> WebhookClient:
        creds = self.account.credentials
        return WebhookClient(url=str(creds.get("url", "")), secret=str(creds.get("secret", "")))

    @property
    def style(self) -> str:
        style = str(self.account.credentials.get("style", "generic"))
        return style if style in STYLES else "generic"

    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        delivery = uuid.uuid4().hex
        # Discord answers with the message it created only when asked to wait.
        params = {"wait": "true"} if self.style == "discord" else {}
        response = self.client.deliver(
            build_payload(self.style, request, delivery=delivery),
            delivery=delivery,
            idempotency_key=request.idempotency_key,
            params=params,
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        return Published(
            remote_id=str(answer.get("id") or delivery),
            url=str(answer.get("url") or ""),
            published_at=timezone.now(),
            extra={"delivery": delivery, "status": response.status_code},
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        return None  # a webhook cannot be asked what it received

    def delete(self, remote_id: str) -> None:
        raise Rejected(_("A webhook delivery cannot be taken back."))

    def reply(self, remote_id: str, text: str) -> Published:
        raise Rejected(_("A webhook cannot reply."))

    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        return {}

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        return []

    def verify(self) -> ConnectedAccount:
        """Ask the receiver whether it is there (a request nobody sees; see
        :meth:`WebhookClient.ping`). Raises ``Unavailable`` when nothing answers."""
        self.client.ping(self.style)
        creds = self.account.credentials
        # No name: the one the user gave the webhook stays.
        return replace(_account(str(creds.get("url", "")), creds, ""), name="")

    @classmethod
    def connect_form(cls, *, data: Mapping[str, str]) -> ConnectedAccount:
        url = (data.get("url") or "").strip()
        style = (data.get("style") or "generic").strip()
        secret = (data.get("secret") or "").strip()
        if style not in STYLES:
            raise Rejected(_("Choose one of: %(values)s.") % {"values": ", ".join(STYLES)})
        check_public_url(url)
        if style == "generic" and len(secret) < 16:
            raise Rejected(
                _(
                    "Give a secret of at least 16 characters; the receiver checks the signature with it."
                )
            )
        creds = {"url": url, "secret": secret, "style": style}
        return _account(url, creds, (data.get("name") or "").strip())


def _account(url: str, creds: Mapping[str, Any], name: str) -> ConnectedAccount:
    parts = urlsplit(url)
    return ConnectedAccount(
        remote_id=hashlib.sha256(url.encode("utf-8")).hexdigest()[:24],
        name=name or host_of(url),
        handle=host_of(url),
        base_url=f"{parts.scheme}://{parts.netloc}" if parts.netloc else "",
        credentials=dict(creds),
    )


CONNECTOR = WebhookConnector
