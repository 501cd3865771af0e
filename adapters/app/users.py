"""Sign-in accounts and sessions for the HTTP API.

An account belongs to a person registered in the log (their actor id): signing in lets the
server sign steps with that person's own key, so only an administrator creates, resets or
disables one. Passwords are kept only as scrypt hashes, tokens only as SHA-256 digests
(`audit/passwords.py`). Sessions expire and can be revoked. Failed sign-ins are counted per
account (which then backs off: each further attempt waits longer, up to a few minutes) and per
client address (refused for a while once there are too many); an attempt is counted in the same
transaction that checks the counts, so attempts made at once cannot pass the limit together.
The logs say who failed and why, never the password, and never a name typed for an unknown account.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec
import sqlalchemy as sa
import structlog

from adapters.app.application import Application
from adapters.app.authority import require_administrator
from adapters.store.tables import accounts, sessions, sign_in_failures
from audit.passwords import (
    DEFAULT_COST,
    TOKEN_PREFIX,
    CredentialError,
    ScryptCost,
    check_password,
    hash_password,
    needs_rehash,
    new_session_token,
    spend_like_a_check,
    token_digest,
)
from domain.kernel.errors import InvalidInput, RecordNotFound, ReviewledgerError

log = structlog.get_logger(__name__)

SESSION_LIFETIME = timedelta(hours=8)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 20  # within FAILURE_WINDOW, from one address, whichever accounts
# An account's failures are remembered for an hour; after the first five, each attempt waits
# for its back-off from the last failure: a minute, doubling with each further failure, never
# more than eight. Guessing slows to a few tries an hour; the owner waits minutes, not hours,
# and an administrator can clear the failures at once (`reviewledger users unblock`).
ACCOUNT_MEMORY = timedelta(hours=1)
MAX_FAILURES_PER_ACCOUNT = 5  # checked without waiting, within ACCOUNT_MEMORY
BACKOFF_START = timedelta(minutes=1)
BACKOFF_MAX = timedelta(minutes=8)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_MAX_TOKEN_LENGTH = len(TOKEN_PREFIX) + 64


class NotSignedIn(ReviewledgerError):
    """No valid session: the token is missing, unknown, expired or revoked."""

    def __init__(
        self, reason: str = "sign in first (POST /sessions) and send the token as a Bearer token"
    ) -> None:
        super().__init__(reason)


class SignInRefused(ReviewledgerError):
    """The account or the password is not right (which of the two is never said)."""

    def __init__(self) -> None:
        super().__init__("the account or the password is not right")


class TooManySignIns(ReviewledgerError):
    """Too many failed sign-ins lately, for this account or from this address."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins: try again in {retry_after} seconds")
        self.retry_after = retry_after


class IssuedSession(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    actor: str
    expires_at: datetime


class SignedIn(msgspec.Struct, frozen=True, kw_only=True):
    actor: str
    expires_at: datetime


class AccountSummary(msgspec.Struct, frozen=True, kw_only=True):
    actor: str
    created_at: datetime
    created_by: str
    password_set_at: datetime
    disabled: bool
    active_sessions: int


def _utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; every time stored here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now(app: Application) -> datetime:
    return _utc(app.clock.now())


def check_new_password(actor_id: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")
    if password.strip().lower() == actor_id.lower():
        raise InvalidInput("password", "must not be the account's own name")


# -- administration -------------------------------------------------------------------------


def add_account(
    app: Application, by: str, actor_id: str, password: str, *, cost: ScryptCost = DEFAULT_COST
) -> None:
    """Create the sign-in account of a registered person (an administrator's act)."""
    require_administrator(app.acting(by), "creating a sign-in account", actor_id)
    if actor_id not in app.ledger.registry().actors:
        raise RecordNotFound("registered person", actor_id)
    check_new_password(actor_id, password)
    moment = _now(app)
    with app.db.engine.begin() as conn:
        if conn.execute(sa.select(accounts.c.actor_id).where(accounts.c.actor_id == actor_id)).first():
            raise InvalidInput("actor", f"{actor_id} already has an account; use `users set-password`")
        conn.execute(
            sa.insert(accounts).values(
                actor_id=actor_id,
                password_hash=hash_password(password, cost),
                created_at=moment,
                created_by=by,
                password_set_at=moment,
                disabled_at=None,
            )
        )
    log.info("account_created", account=actor_id, by=by)


def _existing(conn: sa.Connection, actor_id: str) -> None:
    if not conn.execute(sa.select(accounts.c.actor_id).where(accounts.c.actor_id == actor_id)).first():
        raise RecordNotFound("sign-in account", actor_id)


def _revoke(conn: sa.Connection, actor_id: str, moment: datetime) -> int:
    result = conn.execute(
        sa.update(sessions)
        .where(sessions.c.actor_id == actor_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=moment)
    )
    return int(result.rowcount)


def set_password(
    app: Application, by: str, actor_id: str, password: str, *, cost: ScryptCost = DEFAULT_COST
) -> None:
    """Set a new password (and enable the account); every session of the account ends."""
    require_administrator(app.acting(by), "setting a password", actor_id)
    check_new_password(actor_id, password)
    moment = _now(app)
    with app.db.engine.begin() as conn:
        _existing(conn, actor_id)
        conn.execute(
            sa.update(accounts)
            .where(accounts.c.actor_id == actor_id)
            .values(password_hash=hash_password(password, cost), password_set_at=moment, disabled_at=None)
        )
        revoked = _revoke(conn, actor_id, moment)
        conn.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.actor_id == actor_id))
    log.info("password_set", account=actor_id, by=by, sessions_revoked=revoked)


def unblock(app: Application, by: str, actor_id: str) -> int:
    """Forget an account's failed sign-ins, so its back-off ends now; returns how many there were."""
    require_administrator(app.acting(by), "clearing failed sign-ins", actor_id)
    with app.db.engine.begin() as conn:
        _existing(conn, actor_id)
        cleared = conn.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.actor_id == actor_id))
    log.info("sign_in_failures_cleared", account=actor_id, by=by, failures=int(cleared.rowcount))
    return int(cleared.rowcount)


def disable_account(app: Application, by: str, actor_id: str) -> None:
    """Stop an account signing in; every session of the account ends."""
    require_administrator(app.acting(by), "disabling a sign-in account", actor_id)
    moment = _now(app)
    with app.db.engine.begin() as conn:
        _existing(conn, actor_id)
        conn.execute(sa.update(accounts).where(accounts.c.actor_id == actor_id).values(disabled_at=moment))
        revoked = _revoke(conn, actor_id, moment)
    log.info("account_disabled", account=actor_id, by=by, sessions_revoked=revoked)


def revoke_sessions(app: Application, by: str, actor_id: str) -> int:
    """End every session of an account now; returns how many were open."""
    require_administrator(app.acting(by), "revoking sessions", actor_id)
    with app.db.engine.begin() as conn:
        _existing(conn, actor_id)
        revoked = _revoke(conn, actor_id, _now(app))
    log.info("sessions_revoked", account=actor_id, by=by, sessions_revoked=revoked)
    return revoked


def list_accounts(app: Application) -> list[AccountSummary]:
    moment = _now(app)
    active = (
        sa.select(sessions.c.actor_id, sa.func.count().label("n"))
        .where(sessions.c.revoked_at.is_(None), sessions.c.expires_at > moment)
        .group_by(sessions.c.actor_id)
        .subquery()
    )
    query = (
        sa.select(accounts, sa.func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.actor_id == accounts.c.actor_id)
        .order_by(accounts.c.actor_id)
    )
    with app.db.reader.connect() as conn:
        rows = conn.execute(query).all()
    return [
        AccountSummary(
            actor=row.actor_id,
            created_at=_utc(row.created_at),
            created_by=row.created_by,
            password_set_at=_utc(row.password_set_at),
            disabled=row.disabled_at is not None,
            active_sessions=int(row[-1]),
        )
        for row in rows
    ]


# -- signing in and out ---------------------------------------------------------------------

# PostgreSQL: the reservation of a sign-in attempt takes this transaction-scoped advisory lock, so
# two attempts never count the same failures ("rl_signi"); SQLite's BEGIN IMMEDIATE does the same.
_SIGN_IN_LOCK = 0x726C5F7369676E69


def _client_wait(conn: sa.Connection, client: str, moment: datetime) -> int:
    """Seconds until fewer than the limit of failures from `client` are left in the window (0: not limited)."""
    times = [
        _utc(row[0])
        for row in conn.execute(
            sa.select(sign_in_failures.c.at)
            .where(sign_in_failures.c.client == client, sign_in_failures.c.at > moment - FAILURE_WINDOW)
            .order_by(sign_in_failures.c.at.desc())
            .limit(MAX_FAILURES_PER_CLIENT)
        )
    ]
    if len(times) < MAX_FAILURES_PER_CLIENT:
        return 0
    return max(1, int((times[-1] + FAILURE_WINDOW - moment).total_seconds()) + 1)


def backoff(failures: int) -> timedelta:
    """How long an account waits after its last failure, having had `failures` lately (zero: no wait)."""
    beyond = failures - MAX_FAILURES_PER_ACCOUNT
    if beyond < 0:
        return timedelta(0)
    return min(BACKOFF_START * (1 << min(beyond, 16)), BACKOFF_MAX)


def _account_wait(conn: sa.Connection, actor_id: str, moment: datetime) -> int:
    """Seconds the account's back-off still has to run (0: an attempt may be checked now)."""
    count, last = conn.execute(
        sa.select(sa.func.count(), sa.func.max(sign_in_failures.c.at)).where(
            sign_in_failures.c.actor_id == actor_id, sign_in_failures.c.at > moment - ACCOUNT_MEMORY
        )
    ).one()
    if last is None:
        return 0
    remaining = (_utc(last) + backoff(int(count)) - moment).total_seconds()
    return 0 if remaining <= 0 else int(remaining) + 1


def _reserve(
    app: Application, actor_id: str, client: str, moment: datetime
) -> tuple[sa.Row[tuple[str, datetime | None]] | None, int]:
    """Check the limits and count this attempt as a failure, in one transaction; returns the account and the row.

    The attempt is written down before its password is checked, so attempts made side by side
    each see the ones before them: no more than the limit are ever checked. A sign-in that
    succeeds takes its row away again.
    """
    with app.db.engine.begin() as conn:
        if app.db.is_postgres:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SIGN_IN_LOCK)))
        conn.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.at <= moment - ACCOUNT_MEMORY))
        account = conn.execute(
            sa.select(accounts.c.password_hash, accounts.c.disabled_at).where(accounts.c.actor_id == actor_id)
        ).first()
        known = account is not None
        wait = max(_account_wait(conn, actor_id, moment) if known else 0, _client_wait(conn, client, moment))
        if wait:
            log.warning("sign_in_refused", reason="rate_limited", account=actor_id if known else None)
            raise TooManySignIns(wait)
        reserved = conn.execute(
            sa.insert(sign_in_failures)
            .values(at=moment, actor_id=actor_id if known else None, client=client)
            .returning(sign_in_failures.c.id)
        ).scalar_one()
    return account, int(reserved)


def sign_in(
    app: Application,
    actor_id: str,
    password: str,
    client: str,
    *,
    lifetime: timedelta = SESSION_LIFETIME,
    cost: ScryptCost = DEFAULT_COST,
) -> IssuedSession:
    """Check the password and open a session; an account backs off after failures, an address is limited."""
    moment = _now(app)
    client = client[:64]
    account, reserved = _reserve(app, actor_id, client, moment)
    problem = _check(account, password, cost)
    if problem is not None:
        # An unknown account's name is not logged: people type their password there by mistake.
        log.warning("sign_in_refused", reason=problem, account=actor_id if account else None)
        raise SignInRefused
    assert account is not None
    token = new_session_token()
    expires_at = moment + lifetime
    with app.db.engine.begin() as conn:
        conn.execute(
            sa.insert(sessions).values(
                token_digest=token_digest(token),
                actor_id=actor_id,
                created_at=moment,
                expires_at=expires_at,
                revoked_at=None,
            )
        )
        conn.execute(
            sa.delete(sign_in_failures).where(
                sa.or_(sign_in_failures.c.actor_id == actor_id, sign_in_failures.c.id == reserved)
            )
        )
        if needs_rehash(account.password_hash, cost):
            conn.execute(
                sa.update(accounts)
                .where(accounts.c.actor_id == actor_id)
                .values(password_hash=hash_password(password, cost))
            )
    log.info("signed_in", account=actor_id, expires_at=expires_at.isoformat())
    return IssuedSession(token=token, actor=actor_id, expires_at=expires_at)


def _check(
    account: sa.Row[tuple[str, datetime | None]] | None, password: str, cost: ScryptCost
) -> str | None:
    """Why the sign-in fails, or None; as slow for an unknown account as for a known one."""
    if account is None:
        spend_like_a_check(password, cost)
        return "unknown_account"
    try:
        check_password(password, account.password_hash)
    except CredentialError:
        return "wrong_password"
    return "account_disabled" if account.disabled_at is not None else None


def authenticate(app: Application, token: str) -> SignedIn:
    """The person a bearer token signs in, if its session is open, unexpired and its account enabled."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > _MAX_TOKEN_LENGTH:
        raise NotSignedIn("the bearer token is not one this server issued")
    query = (
        sa.select(sessions.c.actor_id, sessions.c.expires_at, sessions.c.revoked_at, accounts.c.disabled_at)
        .join(accounts, accounts.c.actor_id == sessions.c.actor_id)
        .where(sessions.c.token_digest == token_digest(token))
    )
    with app.db.reader.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotSignedIn("the bearer token is not one this server issued")
    if row.revoked_at is not None or row.disabled_at is not None:
        raise NotSignedIn("the session was ended: sign in again")
    expires_at = _utc(row.expires_at)
    if expires_at <= _now(app):
        raise NotSignedIn("the session has expired: sign in again")
    return SignedIn(actor=row.actor_id, expires_at=expires_at)


def sign_out(app: Application, token: str) -> None:
    """End the session of `token` now."""
    moment = _now(app)
    with app.db.engine.begin() as conn:
        conn.execute(
            sa.update(sessions)
            .where(sessions.c.token_digest == token_digest(token), sessions.c.revoked_at.is_(None))
            .values(revoked_at=moment)
        )
    log.info("signed_out")
