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
