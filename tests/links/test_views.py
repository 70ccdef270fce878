"""The Links and funnel pages (Analytics area)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from keryx.links.models import Ga4Forwarding, TrackedLink
from keryx.links.redirect.recorder import RECORDER
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _base(workspace, seminar) -> str:  # type: ignore[no-untyped-def]
    return f"/w/{workspace.slug}/analytics/{seminar.pk}"


def _no_inline_scripts(html: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)


def test_the_analytics_area_lists_seminars_with_their_numbers(
    owner_client, make_link, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    RECORDER.flush()
    response = owner_client.get(f"/w/{workspace.slug}/analytics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert seminar.title in html
    assert f'href="/w/{workspace.slug}/analytics/kpis/" aria-current="page"' in html
    assert re.search(r"<td>1</td><td>1</td><td>0</td><td>0</td>", html)
    _no_inline_scripts(html)


def test_the_builder_creates_a_link_with_the_channel_defaults(
    owner_client, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    page = owner_client.get(f"{_base(workspace, seminar)}/links/")
    html = page.content.decode()
    defaults = json.loads(
        re.search(r'id="utm-defaults" type="application/json">(.*?)</script>', html).group(1)
    )  # type: ignore[union-attr]
    assert defaults["qrcode"]["utm_source"] == "qrcode"
    _no_inline_scripts(html)
    response = owner_client.post(
        f"{_base(workspace, seminar)}/links/",
        {"network": "facebook", "label": "Εκδήλωση στο Facebook", "destination": ""},
    )
    link = TrackedLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_base(workspace, seminar)}/links/{link.pk}/"
    assert (link.label, link.utm_source, link.utm_medium) == (
        "Εκδήλωση στο Facebook",
        "facebook",
        "social",
    )


def test_a_bad_destination_is_shown_on_the_form_keeping_what_was_typed(
    owner_client, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.post(
        f"{_base(workspace, seminar)}/links/",
        {"network": "x", "label": "Δοκιμή", "destination": "www.example"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a full web address starting with https:// (or http://)." in html
    assert 'value="Δοκιμή"' in html and 'value="www.example"' in html
    assert TrackedLink.objects.count() == 0


def test_the_link_page_shows_its_numbers_qr_and_saves_edits(
    owner_client, make_link, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="qrcode", label="Αφίσα")
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    RECORDER.flush()
    url = f"{_base(workspace, seminar)}/links/{link.pk}/"
    html = owner_client.get(url).content.decode()
    assert f"/r/{link.code}" in html
    assert f"{url}qr.svg" in html
    assert 'data-chart="chart-days"' in html
    _no_inline_scripts(html)
    response = owner_client.post(
        url,
        {
            "network": "qrcode",
            "label": "Αφίσα στη βιβλιοθήκη",
            "utm_source": "qrcode",
            "utm_medium": "print",
            "utm_campaign": "c",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.label, link.utm_campaign) == ("Αφίσα στη βιβλιοθήκη", "c")
    svg = owner_client.get(f"{url}qr.svg?download=1")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == f'attachment; filename="keryx-{link.code}.svg"'
    assert owner_client.get(f"{url}qr.png").content[:4] == b"\x89PNG"
    assert owner_client.get(f"{url}qr.gif").status_code == 404


def test_delete_from_the_link_page(owner_client, make_link, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    response = owner_client.post(f"{_base(workspace, seminar)}/links/{link.pk}/delete/")
    assert response.status_code == 302
    assert not TrackedLink.objects.exists()


def test_the_funnel_page_draws_its_chart_from_json(
    owner_client, make_link, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="bluesky")
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    RECORDER.flush()
    html = owner_client.get(f"{_base(workspace, seminar)}/funnel/?touch=first").content.decode()
    chart = json.loads(
        re.search(r'id="funnel-chart" type="application/json">(.*?)</script>', html).group(1)
    )  # type: ignore[union-attr]
    assert chart["labels"] == ["Bluesky"]
    assert chart["datasets"][0]["data"] == [1]
    assert "vendor/chartjs/chart.umd.min.js" in html and "links/charts.js" in html
    assert '<option value="first" selected>' in html
    _no_inline_scripts(html)


def test_a_viewer_sees_links_but_no_builder_and_cannot_post(member, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    viewer = _client(member("viewer"))
    page = viewer.get(f"{_base(workspace, seminar)}/links/")
    assert page.status_code == 200
    assert "New tracked link" not in page.content.decode()
    assert viewer.post(f"{_base(workspace, seminar)}/links/", {"network": "x"}).status_code == 404
    assert TrackedLink.objects.count() == 0


def test_a_moderator_has_no_links_pages(member, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    moderator = _client(member("moderator"))
    assert moderator.get(f"{_base(workspace, seminar)}/funnel/").status_code == 403
    assert moderator.get(f"/w/{workspace.slug}/analytics/").status_code == 403


def test_an_analyst_sets_up_ga4_forwarding(member, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    analyst = _client(member("analyst"))
    url = f"/w/{workspace.slug}/analytics/ga4/"
    response = analyst.post(
        url,
        {
            "seminar": str(seminar.pk),
            "measurement_id": "g-ab12cd34",
            "api_secret": "xyz",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    saved = Ga4Forwarding.objects.get()
    assert (saved.seminar, saved.measurement_id, saved.api_secret, saved.enabled) == (
        seminar,
        "G-AB12CD34",
        "xyz",
        True,
    )
    html = analyst.get(url).content.decode()
    assert "G-AB12CD34" in html and "xyz" not in html
    wrong = analyst.post(url, {"seminar": "", "measurement_id": "UA-123", "api_secret": ""})
    assert "Enter the measurement ID of a GA4 web stream" in wrong.content.decode()
    assert analyst.post(url, {"delete": str(saved.pk)}).status_code == 302
    assert not Ga4Forwarding.objects.exists()
    viewer = _client(member("viewer"))
    assert viewer.get(url).status_code == 403
