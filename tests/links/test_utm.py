from __future__ import annotations

from keryx.links.domain.utm import (
    channel_defaults,
    is_own_site,
    split_utm,
    tracked_url,
    with_parameters,
)


def test_channel_defaults_use_ga4_names_and_the_seminar() -> None:
    assert channel_defaults("bluesky", seminar_slug="seminario-2026", post_id=12) == {
        "utm_source": "bluesky",
        "utm_medium": "social",
        "utm_campaign": "seminario-2026",
        "utm_content": "post-12",
        "utm_term": "",
    }


def test_channel_defaults_add_the_campaign_phase_to_the_campaign() -> None:
    defaults = channel_defaults(
        "qrcode", seminar_slug="seminario-2026", campaign_phase="early_bird"
    )
    assert (defaults["utm_source"], defaults["utm_medium"], defaults["utm_campaign"]) == (
        "qrcode",
        "print",
        "seminario-2026_early_bird",
    )


def test_tracked_url_adds_the_code_only_on_keryx_own_site(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "https://keryx.example.gr"
    utm = {"utm_source": "x", "utm_medium": "social", "utm_campaign": "s"}
    assert (
        tracked_url("https://keryx.example.gr/s/s/?lang=el", utm, code="Ab3dEf7")
        == "https://keryx.example.gr/s/s/?lang=el&utm_source=x&utm_medium=social&utm_campaign=s&kx=Ab3dEf7"
    )
    assert (
        tracked_url("https://partner.example.org/page#top", utm, code="Ab3dEf7")
        == "https://partner.example.org/page?utm_source=x&utm_medium=social&utm_campaign=s#top"
    )


def test_tracked_url_replaces_utm_parameters_already_in_the_destination() -> None:
    url = tracked_url("https://example.org/?utm_source=old&a=1", {"utm_source": "facebook"})
    assert url == "https://example.org/?a=1&utm_source=facebook"


def test_split_utm_takes_the_utm_parameters_out_and_drops_kx() -> None:
    assert split_utm("https://example.org/p?utm_source=fb&x=%CE%B1&kx=abc&utm_term=") == (
        "https://example.org/p?x=%CE%B1",
        {"utm_source": "fb"},
    )


def test_with_parameters_leaves_out_empty_values() -> None:
    assert with_parameters("https://e.org/?a=1", {"a": "", "b": "2"}) == "https://e.org/?b=2"


def test_is_own_site_compares_scheme_host_and_port(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "http://127.0.0.1:8000"
    assert is_own_site("http://127.0.0.1:8000/s/x/")
    assert not is_own_site("http://127.0.0.1:9000/s/x/")
    assert not is_own_site("https://127.0.0.1:8000/s/x/")
