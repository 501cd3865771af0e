"""Signing in over HTTP: sessions that expire and can be ended, failed sign-ins limited and logged without secrets."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import structlog

from adapters.app import users
from adapters.http.client_address import client_address, trusted_proxies
from adapters.store.tables import accounts, sessions
from audit.passwords import DEFAULT_COST
from domain.kernel.errors import InvalidInput, NotAuthorised
from tests.http.api_support import NATIONAL_PEOPLE, PASSWORD, Api, serving


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """The API with only the people of a national review and its readers signed up."""
    with serving(db_url, tmp_path, people=NATIONAL_PEOPLE) as found:
        yield found


def test_a_person_signs_in_sees_who_they_are_and_signs_out(api: Api) -> None:
    response = api.sign_in("cpc-officer")
    assert response.status_code == 201
    issued = response.json()
    assert issued["token"].startswith("rls_") and issued["token_type"] == "Bearer"
    assert issued["actor"] == "cpc-officer" and issued["roles"] == ["cpc_officer"]
    client = api.anonymous()
    client.headers["Authorization"] = f"Bearer {issued['token']}"
    me = client.get("/sessions/current")
    assert me.status_code == 200
    assert me.json()["actor"] == "cpc-officer"
    assert client.delete("/sessions/current").status_code == 204
    after = client.get("/reviews")
    assert after.status_code == 401
    assert after.json() == {
        "error": "not_signed_in",
        "message": "the session was ended: sign in again",
        "request_id": after.headers["X-Request-ID"],
    }


def test_without_a_token_every_endpoint_but_sign_in_asks_for_one(api: Api) -> None:
    client = api.anonymous()
    for path in ("/reviews", "/routes", "/clocks", "/log/checkpoint", "/reviews/LR-1/history"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["error"] == "not_signed_in"
    forged = client.get("/reviews", headers={"Authorization": "Bearer rls_" + "A" * 43})
    assert forged.status_code == 401
    assert forged.json()["message"] == "the bearer token is not one this server issued"
    assert client.get("/openapi.json").status_code == 200


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(api: Api) -> None:
    wrong = api.sign_in("cpc-officer", "not the password at all")
    unknown = api.sign_in("nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["message"] == unknown.json()["message"] == "the account or the password is not right"


def test_failed_sign_ins_are_limited_per_account_and_logged_without_the_password(api: Api) -> None:
    with structlog.testing.capture_logs() as logs:
        for _ in range(users.MAX_FAILURES_PER_ACCOUNT):
            assert api.sign_in("cpc-chair", "guessing wrongly 123").status_code == 401
        limited = api.sign_in("cpc-chair", PASSWORD)  # even the right password waits now
        assert limited.status_code == 429
        assert limited.json()["error"] == "too_many_sign_ins"
        assert 0 < int(limited.headers["Retry-After"]) <= 15 * 60
        # Another account from the same address is not held up by these failures.
        assert api.sign_in("cog-chair").status_code == 201
        # Someone typing their password where the account goes: that text is never logged.
        assert api.sign_in("my secret phrase", "x").status_code == 401
    refused = [line for line in logs if line["event"] == "sign_in_refused"]
    assert [(r["reason"], r["account"]) for r in refused] == [
        *[("wrong_password", "cpc-chair")] * users.MAX_FAILURES_PER_ACCOUNT,
        ("rate_limited", "cpc-chair"),
        ("unknown_account", None),
    ]
    text = repr(logs)
    assert "guessing wrongly" not in text and PASSWORD not in text and "my secret phrase" not in text
    # When the window has passed, the person can sign in again.
    api.clock.advance(users.FAILURE_WINDOW + timedelta(seconds=1))
    assert api.sign_in("cpc-chair").status_code == 201


def test_failed_sign_ins_from_one_address_are_limited_whichever_the_account(api: Api) -> None:
    for attempt in range(users.MAX_FAILURES_PER_CLIENT):
        assert api.sign_in(f"guess-{attempt}", "wrong password").status_code == 401
    assert api.sign_in("reviewer").status_code == 429


@pytest.fixture
def short_sessions(tmp_path: Path) -> Iterator[Api]:
    with serving(f"sqlite:///{tmp_path}/short.db", tmp_path, session_lifetime=timedelta(hours=1)) as found:
        yield found


def test_a_session_expires(short_sessions: Api) -> None:
    client = short_sessions.as_("inspector")
    assert client.get("/reviews").status_code == 200
    short_sessions.clock.advance(timedelta(hours=1))
    expired = client.get("/reviews")
    assert expired.status_code == 401
    assert expired.json()["message"] == "the session has expired: sign in again"


def test_an_administrator_ends_sessions_and_disables_accounts(api: Api) -> None:
    client = api.as_("reviewer")
    assert client.get("/reviews").status_code == 200
    app = api.application()
    try:
        assert users.revoke_sessions(app, "admin", "reviewer") == 1
        assert client.get("/reviews").status_code == 401
        assert api.sign_in("reviewer").status_code == 201
        users.disable_account(app, "admin", "reviewer")
        assert api.sign_in("reviewer").status_code == 401
        users.set_password(app, "admin", "reviewer", "another long password", cost=DEFAULT_COST)
        assert api.sign_in("reviewer", "another long password").status_code == 201
    finally:
        app.close()


def test_the_database_holds_neither_passwords_nor_tokens(api: Api) -> None:
    token = api.sign_in("inspector").json()["token"]
    app = api.application()
    try:
        with app.db.reader.connect() as conn:
            hashes = list(conn.execute(sa.select(accounts.c.password_hash)).scalars())
            stored = [
                repr(tuple(row)) for table in (accounts, sessions) for row in conn.execute(sa.select(table))
            ]
    finally:
        app.close()
    assert hashes and all(h.startswith("$scrypt$") for h in hashes)
    assert not any(PASSWORD in row or token[4:] in row for row in stored)


@pytest.fixture
def wide_api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """Eight requests served at once, so that attempts really meet."""
    with serving(db_url, tmp_path, people=NATIONAL_PEOPLE, pool_size=8) as found:
        yield found


def test_parallel_guesses_check_no_more_passwords_than_the_limit(wide_api: Api) -> None:
    def guess(attempt: int) -> int:
        return wide_api.sign_in("cpc-chair", f"parallel guess {attempt:02d}").status_code

    with structlog.testing.capture_logs() as logs, ThreadPoolExecutor(max_workers=32) as workers:
        answers = list(workers.map(guess, range(32)))
    checked = [
        line for line in logs if line["event"] == "sign_in_refused" and line["reason"] == "wrong_password"
    ]
    assert len(checked) == users.MAX_FAILURES_PER_ACCOUNT
    assert sorted(answers) == [401] * users.MAX_FAILURES_PER_ACCOUNT + [429] * (
        32 - users.MAX_FAILURES_PER_ACCOUNT
    )


def test_an_account_backs_off_after_failures_and_the_owner_waits_minutes_not_hours(api: Api) -> None:
    for _ in range(users.MAX_FAILURES_PER_ACCOUNT):
        assert api.sign_in("cpc-chair", "guessing wrongly 123").status_code == 401
    waits = []
    for _ in range(6):
        refused = api.sign_in("cpc-chair", "guessing wrongly 123")
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        api.clock.advance(timedelta(seconds=waits[-1]))
        assert (
            api.sign_in("cpc-chair", "guessing wrongly 123").status_code == 401
        )  # checked once the wait is over
    # A minute, doubling with each further failure, never more than eight minutes.
    assert [round(w / 60) for w in waits] == [1, 2, 4, 8, 8, 8]
    assert all(w <= users.BACKOFF_MAX.total_seconds() for w in waits)
    # The owner, after the longest wait, signs in with the right password.
    api.clock.advance(users.BACKOFF_MAX)
    assert api.sign_in("cpc-chair").status_code == 201
    assert api.sign_in("cpc-chair", "guessing wrongly 123").status_code == 401  # the count starts afresh


def test_an_administrator_clears_an_accounts_failures_at_once(api: Api) -> None:
    for _ in range(users.MAX_FAILURES_PER_ACCOUNT + 1):
        api.sign_in("cpc-chair", "guessing wrongly 123")
    assert api.sign_in("cpc-chair").status_code == 429
    app = api.application()
    try:
        with pytest.raises(NotAuthorised, match="administrator"):
            users.unblock(app, "cpc-officer", "cpc-chair")
        assert users.unblock(app, "admin", "cpc-chair") == users.MAX_FAILURES_PER_ACCOUNT
    finally:
        app.close()
    assert api.sign_in("cpc-chair").status_code == 201


def test_the_client_is_the_peer_unless_a_trusted_proxy_forwarded_the_request() -> None:
    proxies = trusted_proxies(["10.0.0.0/24", "::1"])
    # No trusted proxy: the header is anyone's to send, and is ignored.
    assert client_address("203.0.113.9", ["198.51.100.1"], proxies) == "203.0.113.9"
    assert client_address("10.0.0.5", [], ()) == "10.0.0.5"
    # A trusted proxy: the first address from the right that is not a trusted proxy.
    assert client_address("10.0.0.5", ["198.51.100.1, 192.0.2.7, 10.0.0.9"], proxies) == "192.0.2.7"
    assert client_address("::1", ["198.51.100.1"], proxies) == "198.51.100.1"
    # A hop that is not an address stops the walk at the last proxy that said it.
    assert client_address("10.0.0.5", ["198.51.100.1, not-an-address"], proxies) == "10.0.0.5"
    assert client_address(None, [], proxies) == "unknown"
    with pytest.raises(InvalidInput, match="--trusted-proxy: must be an IP address or network"):
        trusted_proxies(["10.0.0.0/33"])


@pytest.fixture
def behind_a_proxy(tmp_path: Path) -> Iterator[Api]:
    """The API served as if behind a council's proxy: the test client's address is the trusted proxy."""
    proxy = (ipaddress.ip_network("127.0.0.1/32"),)
    with serving(
        f"sqlite:///{tmp_path}/proxy.db", tmp_path, people=NATIONAL_PEOPLE, trusted_proxies=proxy
    ) as found:
        yield found


def test_behind_a_trusted_proxy_one_addresss_failures_do_not_hold_up_the_others(behind_a_proxy: Api) -> None:
    def sign_in(actor: str, password: str, forwarded_for: str) -> int:
        response = httpx.post(
            f"{behind_a_proxy.url}/sessions",
            json={"actor": actor, "password": password},
            headers={"X-Forwarded-For": forwarded_for},
            timeout=60,
        )
        return response.status_code

    for attempt in range(users.MAX_FAILURES_PER_CLIENT):
        assert sign_in(f"guess-{attempt}", "wrong password", "198.51.100.1") == 401
    assert sign_in("reviewer", PASSWORD, "198.51.100.1") == 429  # the guessing address is held up
    assert sign_in("inspector", PASSWORD, "198.51.100.2") == 201  # a colleague behind the same proxy is not
