"""Crisis alerts from stored texts: scan, raise once, tell people (in the app, by e-mail, to the
workspace's webhook).

:func:`alerts_scan` replays the workspace's last day of texts through the same
:class:`~keryx.insights.crisis.CrisisDetector` as ``keryx analyze crisis`` (so the live decision
and the replay agree) and stores an alert the detector raised in the last hour unless one of the
same kind is already stored within the crisis cooldown (three hours): one crisis, one alert.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.models import User, Workspace
from keryx.accounts.roles import Role
from keryx.core.tasks import enqueue_on_commit
from keryx.insights.crisis import Alert, CrisisDetector
from keryx.insights.enums import AlertKind
from keryx.insights.models import AnalysedText, CrisisAlert, ListeningSettings

HISTORY = dt.timedelta(hours=24)
FRESH = dt.timedelta(hours=1)
COOLDOWN = dt.timedelta(hours=3)
POLARITY = {"positive": 1, "negative": -1, "neutral": 0}


def detector_alerts(workspace: Workspace, now: dt.datetime) -> list[Alert]:
    """What the detector raises over the workspace's last day, up to ``now``."""
    detector = CrisisDetector()
    alerts: list[Alert] = []
    rows = (
        AnalysedText.objects.filter(
            workspace=workspace, posted_at__gt=now - HISTORY, posted_at__lte=now
        )
        .order_by("posted_at", "pk")
        .values_list("posted_at", "label")
    )
    for posted_at, label in rows.iterator(chunk_size=5000):
        alert = detector.feed(posted_at, POLARITY.get(label, 0))
        if alert is not None:
            alerts.append(alert)
    return alerts


def alerts_scan(workspace: Workspace, *, now: dt.datetime | None = None) -> list[CrisisAlert]:
    """Store and announce the alerts the detector raised in the last hour (once each)."""
    now = now or timezone.now()
    raised: list[CrisisAlert] = []
    for alert in detector_alerts(workspace, now):
        if alert.detected_at < now - FRESH:
            continue
        with transaction.atomic():
            # one scan at a time per workspace: the row lock orders concurrent scans
            Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
            if CrisisAlert.objects.filter(
                workspace=workspace,
                kind=alert.kind,
                detected_at__gt=alert.detected_at - COOLDOWN,
                detected_at__lt=alert.detected_at + COOLDOWN,
            ).exists():
                continue
            row = CrisisAlert.objects.create(
                workspace=workspace,
                kind=alert.kind,
                detected_at=alert.detected_at,
                window_start=alert.window_start,
                mentions=alert.mentions,
                negative_share=alert.negative_share,
                expected=alert.baseline,
            )
            alert_announce(row)
        raised.append(row)
    return raised


def alert_words(alert: CrisisAlert) -> tuple[str, str]:
    """Title and body of an alert, in the active language."""
    share = round(alert.negative_share * 100)
    if alert.kind == AlertKind.CRISIS:
        title = _("Possible crisis: %(n)d mentions, %(share)d%% negative") % {
            "n": alert.mentions,
            "share": share,
        }
        body = _(
            "Mentions rose to %(n)d in 15 minutes against %(expected).0f expected, and "
            "%(share)d%% of them are negative. Open Listening to see them and start crisis "
            "mode if needed."
        ) % {"n": alert.mentions, "expected": alert.expected, "share": share}
    else:
        title = _("Mentions are spiking: %(n)d in 15 minutes") % {"n": alert.mentions}
        body = _(
            "Mentions rose to %(n)d in 15 minutes against %(expected).0f expected; the mood is "
            "not negative (%(share)d%% negative). A good moment to join the conversation."
        ) % {"n": alert.mentions, "expected": alert.expected, "share": share}
    return title, body


def alert_announce(alert: CrisisAlert) -> None:
    """In the app and by e-mail (notifications), and to the webhook after commit."""
    from keryx.insights.tasks import send_alert_webhook
    from keryx.notifications.domain.notify import notify_in_their_language

    settings = ListeningSettings.objects.filter(workspace=alert.workspace).first()
    if alert.kind == AlertKind.SPIKE and settings is not None and not settings.alert_spikes:
        return
    roles = [Role.OWNER, Role.MANAGER]
    if alert.kind == AlertKind.CRISIS:
        roles.append(Role.MODERATOR)
    recipients = User.objects.filter(
        memberships__workspace=alert.workspace, memberships__role__in=roles
    ).distinct()
    notify_in_their_language(
        recipients=recipients,
        kind=f"insights.{alert.kind}",
        words=lambda: alert_words(alert),
        url=reverse("insights:trending", kwargs={"workspace": alert.workspace.slug}),
        workspace=alert.workspace,
    )
    if settings is not None and settings.webhook_url:
        enqueue_on_commit(send_alert_webhook, alert.pk)


def webhook_payload(alert: CrisisAlert, base_url: str) -> dict[str, object]:
    """Slack-compatible (``text``) and Matrix-hookshot-compatible (``text``, ``html``) JSON."""
    title, body = alert_words(alert)
    link = base_url.rstrip("/") + reverse(
        "insights:trending", kwargs={"workspace": alert.workspace.slug}
    )
    return {
        "text": f"{title}\n{body}\n{link}",
        "html": f'<strong>{title}</strong><br>{body}<br><a href="{link}">{link}</a>',
        "username": "Keryx",
        "kind": alert.kind,
        "mentions": alert.mentions,
        "negative_share": round(alert.negative_share, 4),
        "detected_at": alert.detected_at.isoformat(),
    }


def alert_webhook_send(alert: CrisisAlert) -> str:
    """POST the alert to the workspace's webhook; returns and stores what happened."""
    from django.conf import settings as django_settings
    from django.utils import translation

    from keryx.core.http import OutboundClient, OutboundError, check_public_url

    hook = ListeningSettings.objects.filter(workspace=alert.workspace).first()
    if hook is None or not hook.webhook_url:
        return ""
    with translation.override(alert.workspace.default_language or "en"):
        payload = webhook_payload(alert, getattr(django_settings, "KERYX_BASE_URL", ""))
    try:
        url = check_public_url(hook.webhook_url)
        with OutboundClient(service="alert webhook") as http:
            response = http.post(url, json=payload)
        status = f"{response.status_code}"
    except (OutboundError, ValueError) as exc:
        status = f"error: {exc}"[:200]
    alert.webhook_status = status
    alert.save(update_fields=["webhook_status"])
    return status
