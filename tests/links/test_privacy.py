from __future__ import annotations

from keryx.links.redirect.privacy import (
    anonymise_ip,
    client_address,
    referrer_host,
    visitor_hash,
)


def test_anonymise_ip_zeroes_the_last_octet_of_ipv4() -> None:
    assert anonymise_ip("203.0.113.57") == "203.0.113.0"
    assert anonymise_ip("::ffff:203.0.113.57") == "203.0.113.0"


def test_anonymise_ip_zeroes_the_last_80_bits_of_ipv6() -> None:
    assert anonymise_ip("2001:db8:85a3:1234:5678:8a2e:370:7334") == "2001:db8:85a3::"


def test_anonymise_ip_refuses_what_is_not_an_address() -> None:
    assert anonymise_ip("not-an-ip") is None
    assert anonymise_ip("999.1.1.1") is None
    assert anonymise_ip("01.2.3.4") is None


def test_visitor_hash_is_stable_within_a_day_and_unrelated_across_salts() -> None:
    first = visitor_hash("aa" * 32, "203.0.113.57", "Mozilla/5.0")
    assert first == visitor_hash("aa" * 32, "203.0.113.57", "Mozilla/5.0")
    assert len(first) == 32
    assert first != visitor_hash("bb" * 32, "203.0.113.57", "Mozilla/5.0")
    assert first != visitor_hash("aa" * 32, "203.0.113.58", "Mozilla/5.0")


def test_referrer_host_keeps_only_the_site() -> None:
    assert referrer_host("https://t.co/AbCdEf?x=1") == "t.co"
    assert referrer_host("") == ""
    assert referrer_host("http://[bad") == ""


def test_client_address_trusts_only_the_configured_proxies() -> None:
    assert client_address("10.0.0.1", "198.51.100.7", 0) == "10.0.0.1"
    assert client_address("10.0.0.1", "6.6.6.6, 198.51.100.7", 1) == "198.51.100.7"
    assert client_address("10.0.0.1", "198.51.100.7, 10.0.0.9", 2) == "198.51.100.7"


def test_an_untracked_click_late_in_the_evening_counts_on_the_seminars_day(make_link) -> None:  # type: ignore[no-untyped-def]
    """23:30 UTC is already the next day in Athens: the untracked click, kept without its time,
    must land on the same local day as the tracked ones clicked beside it."""
    import datetime as _dt

    from keryx.links.domain.clicks import clicks_prepare, clicks_store
    from keryx.links.queries import clicks_by_day

    link = make_link(network="linkedin")  # the seminar is in Europe/Athens
    when = _dt.datetime(2026, 12, 6, 23, 30, tzinfo=_dt.UTC).timestamp()
    agent = b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
    events = [
        (link.pk, when, False, False, "203.0.113.9", b"", agent, b""),
        (link.pk, when, False, True, "203.0.113.9", b"", agent, b""),
    ]
    clicks_store(clicks=clicks_prepare(events=events, salt_for=lambda day: "ab" * 32))
    days = clicks_by_day(link, time_zone="Europe/Athens")
    assert [(d["day"].isoformat(), d["human"], d["untracked"]) for d in days] == [
        ("2026-12-07", 1, 1)
    ]
