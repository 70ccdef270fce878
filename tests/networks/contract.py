"""The contract every connector keeps, checked the same way for all of them (like
django-allauth's shared provider tests).

A connector's test module (``tests/networks/<key>/test_contract.py``) subclasses
:class:`ConnectorContract` and declares only data:

- ``network``: the key (``keryx.networks.<key>.connector.CONNECTOR`` is found by the registry);
- ``account``: the :class:`AccountState` the connector acts for;
- ``scenarios``: for each scenario name (see :data:`ALWAYS` and :func:`required_scenarios`), the
  HTTP exchanges the network would have (:class:`Route`, answered with recorded payloads from
  ``src/keryx/networks/<key>/fixtures/``) and what the connector must return (``expect``).

Fixture files are JSON objects ``{"source": <documentation page>, "status": 200,
"headers": {...}, "body": <the payload>}`` (``"text"`` instead of ``"body"`` for a body that is
not JSON); every file must name the documentation page it comes from.

The base then runs the same tests for every connector: publishing (text, image with a
description, link; thread and first comment where declared, an honest ``Rejected`` where not),
the typed error mapping (auth expired, rate limited with the wait, rejected with the network's
own words, unavailable on 5xx and when the network cannot be reached, unconfirmed on a timeout
after sending, with the write sent exactly once), metrics, conversations, reply, delete,
looking a post up by fingerprint, credential refresh, and the OAuth redirect and callback.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
import time_machine
from django.conf import settings
from PIL import Image

import keryx.networks
from keryx.networks.base import (
    AccountState,
    AuthExpired,
    Connector,
    MediaFile,
    Metrics,
    OAuthApp,
    Page,
    PublishRequest,
    RateLimited,
    Rejected,
    Unavailable,
    Unconfirmed,
    Unsupported,
    content_fingerprint,
)
from keryx.networks.oauth import code_challenge
from keryx.networks.registry import connector_class

NETWORKS_DIR = Path(keryx.networks.__file__).resolve().parent

# Every time-dependent scenario (rate-limit resets, token expiry) runs at this instant.
CONTRACT_NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CONTRACT_SINCE = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)

TEXT = "Σεμινάριο Social Media στην Αθήνα, 12 Δεκεμβρίου! #Σεμινάριο2026"
LINK = "https://keryx.example/r/ab12cd"
ALT_TEXT = "Η αίθουσα του σεμιναρίου γεμάτη κόσμο"
THREAD = ("Το πρόγραμμα: ομιλίες και εργαστήρια.", "Εγγραφές στο σύνδεσμο του πρώτου μηνύματος.")
FIRST_COMMENT = "Εγγραφές: https://keryx.example/r/ab12cd"
REPLY_TEXT = "Ευχαριστούμε! Τα λέμε εκεί."
IDEMPOTENCY_KEY = "variant-42-attempt-1"
FINGERPRINT = content_fingerprint(TEXT)
REDIRECT_URI = "https://keryx.example/networks/callback/"
STATE = "state-from-contract"

# Scenarios every connector declares.
ALWAYS = frozenset(
    {
        "publish_text",
        "publish_image",
        "publish_link",
        "auth_expired",
        "rate_limited",
        "rejected",
        "unavailable",
        "verify",
    }
)


@dataclass(frozen=True)
class Route:
    """One HTTP exchange: ``url`` is exact, or a regular expression when it starts ``re:``.

    ``fixture`` names a file in the connector's fixtures folder; a sequence answers successive
    calls in turn. ``json``/``status``/``headers`` answer without a file (only for answers the
    docs give no body for, e.g. ``204 No Content``). ``write=True`` marks the request that
    creates the post: the unconfirmed test times it out after sending.
    """

    method: str
    url: str
    fixture: str | Sequence[str] = ""
    status: int | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    write: bool = False


@dataclass(frozen=True)
class Scenario:
    routes: Sequence[Route] = ()
    # What the call must return (see each test for the shape), or the expected error detail.
    expect: Any = None
    # Extra checks on what was sent: ``check(calls)`` with the recorded httpx requests.
    check: Callable[[list[httpx.Request]], None] | None = None


def load_fixture(network: str, name: str) -> dict[str, Any]:
    path = NETWORKS_DIR / network / "fixtures" / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _response(network: str, route: Route, fixture: str) -> httpx.Response:
    headers = dict(route.headers)
    if fixture:
        data = load_fixture(network, fixture)
        headers = {**data.get("headers", {}), **headers}
        status = route.status or int(data.get("status", 200))
        if "body" in data:
            return httpx.Response(status, json=data["body"], headers=headers)
        return httpx.Response(status, text=data.get("text", ""), headers=headers)
    if route.json is not None:
        return httpx.Response(route.status or 200, json=route.json, headers=headers)
    return httpx.Response(route.status or 200, headers=headers)


def install(
    router: respx.MockRouter, network: str, routes: Sequence[Route], *, timeout_writes: bool = False
) -> list[respx.Route]:
    installed = []
    for spec in routes:
        if spec.url.startswith("re:"):
            route = router.route(method=spec.method, url__regex=spec.url[3:])
        else:
            route = router.route(method=spec.method, url=spec.url)
        if timeout_writes and spec.write:
            route.side_effect = httpx.ReadTimeout("timed out after sending")
        else:
            fixtures = [spec.fixture] if isinstance(spec.fixture, str) else list(spec.fixture)
            responses = [_response(network, spec, f) for f in fixtures]
            if len(responses) == 1:
                route.return_value = responses[0]
            else:
                route.side_effect = responses
        installed.append(route)
    return installed


def sent(router: respx.MockRouter) -> list[httpx.Request]:
    return [call.request for call in router.calls]


def form_or_json(request: httpx.Request) -> dict[str, Any]:
    """The parameters of a request body, whether JSON or form-encoded (lists kept)."""
    content = request.content.decode("utf-8", errors="replace")
    if request.headers.get("content-type", "").startswith("application/json"):
        data: dict[str, Any] = json.loads(content)
        return data
    return {k: v if len(v) > 1 else v[0] for k, v in parse_qs(content).items()}


def required_scenarios(connector: type[Connector]) -> set[str]:
    caps = connector.capabilities
    needed = set(ALWAYS)
    optional = {
        "publish_thread": caps.thread,
        "publish_first_comment": caps.first_comment,
        "metrics": caps.metrics,
        "conversations": caps.conversations,
        "reply": caps.reply,
        "delete": caps.delete,
        "find_published": caps.find_published,
        "refresh": caps.refresh,
        "complete_authorization": caps.connect == "oauth",
        "read_comments": caps.comments,
        "read_mentions": caps.mentions,
        "read_search": caps.search,
        "read_hide": caps.hide,
        "read_delete_comment": caps.delete_comment,
        "read_audience": caps.audience,
    }
    needed |= {name for name, wanted in optional.items() if wanted}
    return needed


# What each read scenario calls (``expect`` for the paged ones: ``(items, cursor)`` with
# items as ``(remote_id, kind, text, author_handle, post_remote_id, in_reply_to)``).
READ_POST = "post-1"
READ_QUERY = "#Σεμινάριο2026"
READ_COMMENT = "comment-1"
# Each takes the connector and the contract being run (its ``read_post``, ``read_comment``
# and ``read_own_comment``).
READ_CALLS: dict[str, Callable[[Connector, Any], Any]] = {
    "read_comments": lambda c, t: c.fetch_comments(t.read_post),
    "read_mentions": lambda c, t: c.fetch_mentions(),
    "read_search": lambda c, t: c.search(READ_QUERY),
    "read_hide": lambda c, t: c.hide(t.read_comment),
    "read_delete_comment": lambda c, t: c.delete_comment(t.read_own_comment),
    "read_audience": lambda c, t: c.fetch_audience(),
}
READ_CAPABILITY = {
    "read_comments": "comments",
    "read_mentions": "mentions",
    "read_search": "search",
    "read_hide": "hide",
    "read_delete_comment": "delete_comment",
    "read_audience": "audience",
}


KNOWN_SCENARIOS = ALWAYS | {
    "publish_thread",
    "publish_first_comment",
    "metrics",
    "conversations",
    "reply",
    "delete",
    "find_published",
    "refresh",
    "complete_authorization",
    "refresh_revoked",
    *READ_CALLS,
}


def _image(tmp_path: Path, name: str = "hall.png") -> MediaFile:
    # Keryx's media live under MEDIA_ROOT (a webhook sends their public address).
    folder = Path(settings.MEDIA_ROOT) / "contract" / tmp_path.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    Image.new("RGB", (64, 48), (200, 30, 40)).save(path, format="PNG")
    return MediaFile(
        path=path,
        mime="image/png",
        alt_text=ALT_TEXT,
        width=64,
        height=48,
        bytes=path.stat().st_size,
    )


class ConnectorContract:
    """Subclass as ``class TestContract(ConnectorContract)`` and declare the data below."""

    network: ClassVar[str]
    account: ClassVar[AccountState]
    scenarios: ClassVar[dict[str, Scenario]]
    # The developer app for OAuth networks (settings give it in production).
    oauth_app: ClassVar[OAuthApp | None] = None
    # The server's base URL for networks with many servers (Mastodon).
    oauth_base_url: ClassVar[str] = ""
    # Remote ids the metrics and reply/delete scenarios act on.
    remote_id: ClassVar[str] = ""
    # The post whose comments are read, the comment that is hidden and the one that is
    # deleted, in the read scenarios (networks whose ids carry meaning, like Bluesky's
    # at:// URIs where only the account's own replies can be deleted, set their own).
    read_post: ClassVar[str] = READ_POST
    read_comment: ClassVar[str] = READ_COMMENT
    read_own_comment: ClassVar[str] = READ_COMMENT
    # Fixtures used by the connector's own tests beside the contract.
    extra_fixtures: ClassVar[frozenset[str]] = frozenset()

    # --- helpers ----------------------------------------------------------------------------
    @property
    def connector_cls(self) -> type[Connector]:
        return connector_class(self.network)

    def connector(self) -> Connector:
        self.renewed: list[tuple[dict[str, Any], dt.datetime | None]] = []
        return self.connector_cls(
            self.account, on_credentials=lambda c, e: self.renewed.append((c, e))
        )

    def run(
        self,
        name: str,
        call: Callable[[Connector], Any],
        *,
        timeout_writes: bool = False,
        scenario: Scenario | None = None,
    ) -> tuple[Any, list[httpx.Request], list[respx.Route]]:
        scenario = scenario or self.scenarios[name]
        connector = self.connector()
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            routes = install(router, self.network, scenario.routes, timeout_writes=timeout_writes)
            result = call(connector)
            calls = sent(router)
        if scenario.check is not None and not timeout_writes:
            scenario.check(calls)
        return result, calls, routes

    def expect_error(
        self, name: str, error: type[Exception], *, timeout_writes: bool = False
    ) -> tuple[Any, list[httpx.Request], list[respx.Route]]:
        scenario = self.scenarios["publish_text" if timeout_writes else name]
        connector = self.connector()
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            routes = install(router, self.network, scenario.routes, timeout_writes=timeout_writes)
            with pytest.raises(error) as info:
                connector.publish(
                    PublishRequest(text=TEXT, idempotency_key=IDEMPOTENCY_KEY, fingerprint="")
                )
            calls = sent(router)
        return info.value, calls, routes

    def assert_refused_without_request(self, request: PublishRequest) -> None:
        connector = self.connector()
        with respx.mock(assert_all_mocked=True) as router:
            with pytest.raises(Rejected) as info:
                connector.publish(request)
            assert router.calls.call_count == 0
        assert info.value.reason

    # --- declaration ------------------------------------------------------------------------
    def test_registry_finds_the_connector(self) -> None:
        cls = self.connector_cls
        assert cls.key == self.network
        assert cls.label
        assert cls.capabilities.connect in {"oauth", "form"}

    def test_declares_every_required_scenario(self) -> None:
        declared = set(self.scenarios)
        assert sorted(required_scenarios(self.connector_cls) - declared) == []
        assert sorted(declared - KNOWN_SCENARIOS) == []

    # --- reading back -----------------------------------------------------------------------
    def test_undeclared_reads_are_unsupported_before_any_request(self) -> None:
        caps = self.connector_cls.capabilities
        for name, call in READ_CALLS.items():
            if getattr(caps, READ_CAPABILITY[name]):
                continue
            connector = self.connector()
            with respx.mock(assert_all_mocked=True) as router:
                with pytest.raises(Unsupported) as info:
                    call(connector, self)
                assert router.calls.call_count == 0, name
            assert info.value.message

    def test_declared_reads_answer_as_recorded(self) -> None:
        caps = self.connector_cls.capabilities
        for name, call in READ_CALLS.items():
            if not getattr(caps, READ_CAPABILITY[name]):
                continue
            with time_machine.travel(CONTRACT_NOW, tick=False):
                result, calls, _routes = self.run(name, lambda c, call=call: call(c, self))
            expect = self.scenarios[name].expect
            assert calls, name
            if isinstance(result, Page):
                items = [
                    (i.remote_id, i.kind, i.text, i.author_handle, i.post_remote_id, i.in_reply_to)
                    for i in result.items
                ]
                assert (items, result.cursor) == expect, name
            elif expect is not None:
                assert result == expect, name

    def test_fixtures_name_their_documentation_page(self) -> None:
        folder = NETWORKS_DIR / self.network / "fixtures"
        files = sorted(folder.glob("*.json"))
        assert files, f"no fixtures in {folder}"
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            assert str(data.get("source", "")).startswith("https://"), path.name
            assert "body" in data or "text" in data, path.name

    def test_every_fixture_used_by_a_scenario(self) -> None:
        used: set[str] = set()
        for scenario in self.scenarios.values():
            for route in scenario.routes:
                used |= {route.fixture} if isinstance(route.fixture, str) else set(route.fixture)
        folder = NETWORKS_DIR / self.network / "fixtures"
        assert sorted({p.name for p in folder.glob("*.json")} - used - self.extra_fixtures) == []

    # --- publishing -------------------------------------------------------------------------
    def _assert_published(self, published: Any, expect: Any) -> None:
        assert (published.remote_id, published.url) == (expect.remote_id, expect.url)

    def test_publish_text(self) -> None:
        published, _calls, routes = self.run(
            "publish_text",
            lambda c: c.publish(
                PublishRequest(text=TEXT, idempotency_key=IDEMPOTENCY_KEY, fingerprint=FINGERPRINT)
            ),
        )
        self._assert_published(published, self.scenarios["publish_text"].expect)
        assert all(route.called for route in routes)

    def test_publish_image_with_description(self, tmp_path: Path) -> None:
        if self.connector_cls.capabilities.images == 0:
            self.assert_refused_without_request(PublishRequest(text=TEXT, media=[_image(tmp_path)]))
            return
        published, calls, routes = self.run(
            "publish_image",
            lambda c: c.publish(
                PublishRequest(text=TEXT, media=[_image(tmp_path)], idempotency_key=IDEMPOTENCY_KEY)
            ),
        )
        self._assert_published(published, self.scenarios["publish_image"].expect)
        assert all(route.called for route in routes)
        if self.connector_cls.capabilities.alt_text:
            assert any(ALT_TEXT in _body_text(request) for request in calls), (
                "the image description was not sent"
            )

    def test_publish_more_images_than_declared_is_refused(self, tmp_path: Path) -> None:
        most = self.connector_cls.capabilities.images
        media = [_image(tmp_path, f"{i}.png") for i in range(most + 1)]
        self.assert_refused_without_request(PublishRequest(text=TEXT, media=media))

    def test_publish_link(self) -> None:
        published, calls, routes = self.run(
            "publish_link",
            lambda c: c.publish(
                PublishRequest(text=TEXT, link=LINK, idempotency_key=IDEMPOTENCY_KEY)
            ),
        )
        self._assert_published(published, self.scenarios["publish_link"].expect)
        assert all(route.called for route in routes)
        assert any(LINK in _body_text(request) for request in calls), "the link was not sent"

    def test_publish_thread(self) -> None:
        request = PublishRequest(text=TEXT, thread=THREAD, idempotency_key=IDEMPOTENCY_KEY)
        if not self.connector_cls.capabilities.thread:
            self.assert_refused_without_request(request)
            return
        published, calls, routes = self.run("publish_thread", lambda c: c.publish(request))
        self._assert_published(published, self.scenarios["publish_thread"].expect)
        assert all(route.called for route in routes)
        bodies = "\n".join(_body_text(r) for r in calls)
        assert all(part in bodies for part in THREAD)

    def test_publish_first_comment(self) -> None:
        request = PublishRequest(
            text=TEXT, first_comment=FIRST_COMMENT, idempotency_key=IDEMPOTENCY_KEY
        )
        if not self.connector_cls.capabilities.first_comment:
            self.assert_refused_without_request(request)
            return
        published, calls, routes = self.run("publish_first_comment", lambda c: c.publish(request))
        self._assert_published(published, self.scenarios["publish_first_comment"].expect)
        assert all(route.called for route in routes)
        assert any(FIRST_COMMENT in _body_text(r) for r in calls)

    # --- typed errors -----------------------------------------------------------------------
    def test_auth_expired(self) -> None:
        error, _calls, _routes = self.expect_error("auth_expired", AuthExpired)
        assert error.message
        assert error.hint

    def test_rate_limited_says_how_long_to_wait(self) -> None:
        with time_machine.travel(CONTRACT_NOW, tick=False):
            error, _calls, _routes = self.expect_error("rate_limited", RateLimited)
        assert error.retry_after == pytest.approx(self.scenarios["rate_limited"].expect, abs=1)

    def test_rejected_gives_the_networks_reason(self) -> None:
        error, _calls, _routes = self.expect_error("rejected", Rejected)
        assert error.reason == self.scenarios["rejected"].expect

    def test_unavailable_on_server_error(self) -> None:
        error, _calls, _routes = self.expect_error("unavailable", Unavailable)
        assert error.message

    def test_unreachable_network_is_unavailable(self) -> None:
        connector = self.connector()
        with respx.mock(assert_all_mocked=True) as router:
            router.route().side_effect = httpx.ConnectError("connection refused")
            with pytest.raises(Unavailable):
                connector.publish(PublishRequest(text=TEXT, idempotency_key=IDEMPOTENCY_KEY))

    def test_timeout_after_sending_is_never_retried_blindly(self) -> None:
        caps = self.connector_cls.capabilities
        # With a key the network de-duplicates, a retry with the same key is safe:
        # Unavailable. Without one, nobody can know: Unconfirmed.
        expected: type[Exception] = Unavailable if caps.idempotency else Unconfirmed
        error, _calls, routes = self.expect_error("publish_text", expected, timeout_writes=True)
        writes = [
            route
            for spec, route in zip(self.scenarios["publish_text"].routes, routes, strict=True)
            if spec.write
        ]
        assert writes, "publish_text declares no route with write=True"
        assert [route.call_count for route in writes] == [1] * len(writes)
        assert error.hint

    # --- reading ----------------------------------------------------------------------------
    def test_fetch_metrics(self) -> None:
        if not self.connector_cls.capabilities.metrics:
            result, calls, _ = self.run(
                "metrics", lambda c: c.fetch_metrics([self.remote_id]), scenario=Scenario()
            )
            assert (result, calls) == ({}, [])
            return
        result, _calls, _routes = self.run("metrics", lambda c: c.fetch_metrics([self.remote_id]))
        expect: dict[str, Metrics] = self.scenarios["metrics"].expect
        assert {k: _metrics(v) for k, v in result.items()} == {
            k: _metrics(v) for k, v in expect.items()
        }

    def test_fetch_conversations(self) -> None:
        if not self.connector_cls.capabilities.conversations:
            result, calls, _ = self.run(
                "conversations",
                lambda c: c.fetch_conversations(CONTRACT_SINCE),
                scenario=Scenario(),
            )
            assert (result, calls) == ([], [])
            return
        result, _calls, _routes = self.run(
            "conversations", lambda c: c.fetch_conversations(CONTRACT_SINCE)
        )
        got = [
            (c.remote_id, c.kind, c.text, c.author_handle, c.post_remote_id, c.in_reply_to)
            for c in result
        ]
        assert got == self.scenarios["conversations"].expect
        assert all(c.created_at.tzinfo is not None for c in result)

    def test_reply(self) -> None:
        if not self.connector_cls.capabilities.reply:
            connector = self.connector()
            with respx.mock(assert_all_mocked=True) as router, pytest.raises(Rejected):
                connector.reply(self.remote_id, REPLY_TEXT)
            assert router.calls.call_count == 0
            return
        published, calls, _routes = self.run("reply", lambda c: c.reply(self.remote_id, REPLY_TEXT))
        self._assert_published(published, self.scenarios["reply"].expect)
        assert any(REPLY_TEXT in _body_text(r) for r in calls)

    def test_delete(self) -> None:
        if not self.connector_cls.capabilities.delete:
            connector = self.connector()
            with respx.mock(assert_all_mocked=True) as router, pytest.raises(Rejected):
                connector.delete(self.remote_id)
            assert router.calls.call_count == 0
            return
        _result, _calls, routes = self.run("delete", lambda c: c.delete(self.remote_id))
        assert all(route.called for route in routes)

    def test_find_published(self) -> None:
        if not self.connector_cls.capabilities.find_published:
            result, calls, _ = self.run(
                "find_published",
                lambda c: c.find_published(FINGERPRINT, since=CONTRACT_SINCE),
                scenario=Scenario(),
            )
            assert (result, calls) == (None, [])
            return
        found, _calls, _routes = self.run(
            "find_published", lambda c: c.find_published(FINGERPRINT, since=CONTRACT_SINCE)
        )
        self._assert_published(found, self.scenarios["find_published"].expect)

    # --- credentials ------------------------------------------------------------------------
    def test_verify_returns_the_account(self) -> None:
        with time_machine.travel(CONTRACT_NOW, tick=False):
            account, _calls, _routes = self.run("verify", lambda c: c.verify())
        expect = self.scenarios["verify"].expect
        assert (account.remote_id, account.handle) == (expect.remote_id, expect.handle)

    def test_refresh_credentials(self) -> None:
        if not self.connector_cls.capabilities.refresh:
            result, calls, _ = self.run(
                "refresh", lambda c: c.refresh_credentials(), scenario=Scenario()
            )
            assert (result, calls) == (None, [])
            return
        with time_machine.travel(CONTRACT_NOW, tick=False):
            result, _calls, _routes = self.run("refresh", lambda c: c.refresh_credentials())
        expect = self.scenarios["refresh"].expect
        assert result.credentials == expect.credentials
        assert result.token_expires_at == expect.token_expires_at

    def test_refresh_with_revoked_token_is_auth_expired(self) -> None:
        if "refresh_revoked" not in self.scenarios:
            assert not self.connector_cls.capabilities.refresh, (
                "a connector that refreshes declares refresh_revoked"
            )
            return
        connector = self.connector()
        with respx.mock(assert_all_mocked=True) as router:
            install(router, self.network, self.scenarios["refresh_revoked"].routes)
            with pytest.raises(AuthExpired):
                connector.refresh_credentials()

    def test_authorize_url(self) -> None:
        cls = self.connector_cls
        if cls.capabilities.connect != "oauth":
            with pytest.raises(Rejected):
                cls.authorize_url(redirect_uri=REDIRECT_URI, state=STATE)
            return
        authorization = cls.authorize_url(
            redirect_uri=REDIRECT_URI,
            state=STATE,
            base_url=self.oauth_base_url,
            app=self.oauth_app,
        )
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorization.url).query).items()}
        assert authorization.state == STATE
        assert query["state"] == STATE
        assert query["redirect_uri"] == REDIRECT_URI
        assert query["response_type"] == "code"
        assert self.oauth_app is not None and query["client_id"] == self.oauth_app.client_id
        if cls.capabilities.pkce:
            assert re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", authorization.code_verifier)
            assert query["code_challenge_method"] == "S256"
            assert query["code_challenge"] == code_challenge(authorization.code_verifier)

    def test_complete_authorization(self) -> None:
        cls = self.connector_cls
        if cls.capabilities.connect != "oauth":
            return
        authorization = cls.authorize_url(
            redirect_uri=REDIRECT_URI,
            state=STATE,
            base_url=self.oauth_base_url,
            app=self.oauth_app,
        )
        with time_machine.travel(CONTRACT_NOW, tick=False):
            accounts, calls, _routes = self.run(
                "complete_authorization",
                lambda c: cls.complete_authorization(
                    redirect_uri=REDIRECT_URI,
                    code="code-from-callback",
                    authorization=authorization,
                    base_url=self.oauth_base_url,
                    app=self.oauth_app,
                ),
            )
        expect = self.scenarios["complete_authorization"].expect
        assert [(a.remote_id, a.handle, a.name) for a in accounts] == [
            (a.remote_id, a.handle, a.name) for a in expect
        ]
        assert all(a.credentials for a in accounts)
        assert any("code-from-callback" in _body_text(r) for r in calls)
        if cls.capabilities.pkce:
            assert any(authorization.code_verifier in _body_text(r) for r in calls)


def _metrics(m: Metrics) -> tuple[int | None, ...]:
    return (m.likes, m.shares, m.comments, m.impressions, m.reach, m.clicks)


def _body_text(request: httpx.Request) -> str:
    """The request's body and query as text, with JSON and form escapes undone."""
    parts = [str(request.url)]
    try:
        body = request.content
    except httpx.RequestNotRead:  # a streamed upload
        body = b""
    text = body.decode("utf-8", errors="replace")
    parts.append(text)
    try:
        parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    except ValueError:
        parts.extend(" ".join(v) for v in parse_qs(text).values())
    from urllib.parse import unquote_plus

    parts.append(unquote_plus(str(request.url)))
    return "\n".join(parts)
