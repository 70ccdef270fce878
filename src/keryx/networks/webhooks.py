"""Signed inbound webhooks, shared by the networks that push (so no network imports another):
Meta's ``hub.challenge`` handshake and ``X-Hub-Signature-256`` (Facebook, Instagram,
Threads), LinkedIn's ``challengeCode`` and ``X-LI-Signature``, X's CRC (``crc_token``) and
``x-twitter-webhooks-signature``. Each returns a :class:`WebhookAnswer` for a handshake and
raises :class:`BadSignature` for a delivery that is not signed with the app's secret.

- Meta: https://developers.facebook.com/docs/graph-api/webhooks/getting-started
- LinkedIn: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/webhook-validation
- X: https://docs.x.com/x-api/webhooks/introduction (Securing webhooks)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from django.utils.translation import gettext as _

from keryx.networks.base import BadSignature, WebhookAnswer, WebhookRequest


def _hmac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def _refuse(network: str) -> BadSignature:
    return BadSignature(
        _("A webhook delivery claiming to come from %(network)s had a wrong signature.")
        % {"network": network},
        status=403,
    )


def delivery_id(request: WebhookRequest) -> str:
    """Networks repeat a delivery they think failed: its body's hash identifies it."""
    return hashlib.sha256(request.body).hexdigest()


def meta_handshake(request: WebhookRequest, *, verify_token: str) -> WebhookAnswer | None:
    """``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…``: echo the challenge
    when the token is the one Keryx registered."""
    if request.method != "GET":
        return None
    query = request.query
    if query.get("hub.mode") != "subscribe" or not verify_token:
        raise _refuse("Meta")
    if not hmac.compare_digest(query.get("hub.verify_token", ""), verify_token):
        raise _refuse("Meta")
    return WebhookAnswer(body=query.get("hub.challenge", ""), handshake=True)


def meta_check(request: WebhookRequest, *, app_secret: str) -> None:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``."""
    given = request.headers.get("x-hub-signature-256", "")
    expected = "sha256=" + _hmac(app_secret, request.body).hex()
    if not app_secret or not hmac.compare_digest(given, expected):
        raise _refuse("Meta")


def linkedin_handshake(request: WebhookRequest, *, client_secret: str) -> WebhookAnswer | None:
    """``GET ?challengeCode=<uuid>``: ``{"challengeCode", "challengeResponse": hex HMAC}``."""
    if request.method != "GET":
        return None
    code = request.query.get("challengeCode", "")
    if not code or not client_secret:
        raise _refuse("LinkedIn")
    answer = {"challengeCode": code, "challengeResponse": _hmac(client_secret, code.encode()).hex()}
    return WebhookAnswer(body=json.dumps(answer), content_type="application/json", handshake=True)


def linkedin_check(request: WebhookRequest, *, client_secret: str) -> None:
    """``X-LI-Signature``: hex HMAC-SHA256 of the raw body with the client secret."""
    given = request.headers.get("x-li-signature", "")
    expected = _hmac(client_secret, request.body).hex()
    if not client_secret or not hmac.compare_digest(given, expected):
        raise _refuse("LinkedIn")


def x_crc(request: WebhookRequest, *, consumer_secret: str) -> WebhookAnswer | None:
    """``GET ?crc_token=…``: ``{"response_token": "sha256=" + base64 HMAC}``."""
    if request.method != "GET":
        return None
    token = request.query.get("crc_token", "")
    if not token or not consumer_secret:
        raise _refuse("X")
    digest = base64.b64encode(_hmac(consumer_secret, token.encode())).decode("ascii")
    body = json.dumps({"response_token": "sha256=" + digest})
    return WebhookAnswer(body=body, content_type="application/json", handshake=True)


def x_check(request: WebhookRequest, *, consumer_secret: str) -> None:
    """``x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the body>``."""
    given = request.headers.get("x-twitter-webhooks-signature", "")
    expected = "sha256=" + base64.b64encode(_hmac(consumer_secret, request.body)).decode("ascii")
    if not consumer_secret or not hmac.compare_digest(given, expected):
        raise _refuse("X")
