"""Files made for registrants: the calendar entry (.ics), the ticket QR code, the share image."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from keryx.registrations.domain.tokens import ticket_token_make
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

if TYPE_CHECKING:
    import segno

_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def public_url(seminar: Seminar) -> str:
    return f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/"


def seminar_ics(seminar: Seminar, *, title: str | None = None, description: str = "") -> bytes:
    """One VEVENT with the seminar's times (UTC), place and public page."""
    from icalendar import Calendar, Event, vText  # imported when used (docs/operations.md)

    cal = Calendar()
    cal.add("prodid", "-//Keryx//Seminar//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"seminar-{seminar.pk}@{settings.KERYX_BASE_URL.split('//')[-1]}")
    event.add("dtstamp", seminar.updated_at)
    event.add("dtstart", seminar.starts_at)
    event.add("dtend", seminar.ends_at)
    event.add("summary", title or seminar.title)
    url = public_url(seminar)
    event.add("description", (description + "\n\n" + url).strip())
    event.add("url", url)
    place = ", ".join(
        p for p in (seminar.venue_name, seminar.venue_address, seminar.venue_city) if p
    )
    if seminar.is_online and seminar.online_url and not place:
        place = seminar.online_url
    if place:
        event["location"] = vText(place)
    cal.add_component(event)
    return cal.to_ical()


def ticket_qr(registration: Registration) -> segno.QRCode:
    import segno

    return segno.make(ticket_token_make(registration.ticket_code), error="m")


def ticket_png(registration: Registration, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    ticket_qr(registration).save(out, kind="png", scale=scale, border=3)
    return out.getvalue()


def ticket_svg(registration: Registration, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    ticket_qr(registration).save(out, kind="svg", scale=scale, border=3, xmldecl=False)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def share_image(*, title: str, subtitle: str) -> bytes:
    """A 1200×630 PNG for link previews when no speaker photo is available."""
    image = Image.new("RGB", (1200, 630), (29, 78, 137))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 630), fill=(20, 56, 100))
    big, small = _font(64), _font(36)
    y = 120
    for line in textwrap.wrap(title, width=30)[:4]:
        draw.text((80, y), line, font=big, fill=(255, 255, 255))
        y += 80
    draw.text((80, y + 30), subtitle, font=small, fill=(224, 236, 250))
    draw.text((80, 575), "Keryx", font=small, fill=(224, 236, 250))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
