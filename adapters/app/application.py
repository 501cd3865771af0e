"""Application services: load a record, run one command as a person, sign and save the result.

Thin on purpose (CONVENTIONS.md 6): the domain decides, the ledger signs and stores, and
storage errors come back as the project's own errors. The command line and the HTTP API
both call these, so both obey the same rules and the same authority checks.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import structlog

from adapters.app.config import DEFAULT_WITNESS_TIMEOUT
from adapters.app.register import RegisterDetector
from adapters.store.database import Database, is_busy
from adapters.store.event_source import LedgerEventSource
from adapters.store.keystore import default_log_kek_file, load_kek
from adapters.store.ledger import Ledger, WithinAppend
from adapters.store.reading import Recorded
from adapters.transparency.witnessing import WitnessPusher, witness_targets
from domain.governance.naming import Unnamed, widen
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import ConcurrentChange, NotAuthorised, RecordNotFound
from domain.kernel.event import ItemKind, personal
from domain.kernel.registry import LOG_ACTOR, REGISTRY_STREAM, Registry
from domain.kernel.roles import Acting, Role, require_any_role
from projections.runner import ProjectionRunner

log = structlog.get_logger(__name__)

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


def retrying(action: Callable[[], T], *, attempts: int = 8) -> T:
    """Run `action` again, after a short random pause, while someone else changes the record first.

    `action` must load the record afresh each time, as `Application.execute` does; when every
    attempt conflicts, the last attempt's ConcurrentChange is raised.
    """
    for attempt in range(attempts - 1):
        try:
            return action()
        except ConcurrentChange:
            time.sleep(random.uniform(0, 0.01 * 2**attempt))
    return action()


@dataclass(frozen=True)
class Outcome(Generic[A]):
    """A recorded step: the record as it now stands, and the people its words name that its
    `about` left out (added to `about` before it was sealed; see domain/governance/naming.py)."""

    record: A
    unnamed: tuple[Unnamed, ...] = ()

    @property
    def not_named(self) -> tuple[str, ...]:
        """Every subject id detected and not named, once each, in order."""
        return tuple(sorted({s for u in self.unnamed for s in u.subjects}))


def _require_registered(registry: Registry, actor_id: str) -> None:
    """A name that is no one's is told so, not that it lacks a role (`--as nobody`)."""
    if actor_id != LOG_ACTOR and actor_id not in registry.actors:
        raise RecordNotFound("registered person", actor_id)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Application:
    """The whole system over one database: people, keys, records and their steps."""

    def __init__(
        self,
        db_url: str,
        kek_file: Path,
        *,
        create_kek: bool = False,
        clock: Clock | None = None,
        create_store: bool = True,
        log_kek_file: Path | None = None,
        witness_policy: Path | None = None,
        witness_timeout: float = DEFAULT_WITNESS_TIMEOUT,
    ) -> None:
        """Open the store; `create_store=False` opens only one that exists (commands that read create nothing).

        `create_kek` makes both key-encryption keys that are not there yet: the staff KEK at
        `kek_file` and the log's at `log_kek_file` (by default beside it, `<name>.log-kek`).
        With `witness_policy`, each checkpoint signed as a step is recorded is then sent to the
        policy's witnesses, waiting at most `witness_timeout` seconds for each (adapters/transparency/witnessing.py).
        """
        targets = witness_targets(witness_policy) if witness_policy is not None else []
        self.kek_file = kek_file
        self.log_kek_file = log_kek_file or default_log_kek_file(kek_file)
        kek, self.kek_created = load_kek(kek_file, create=create_kek)
        log_kek: bytes | None = None
        self.log_kek_created = False
        if create_kek or self.log_kek_file.exists():
            log_kek, self.log_kek_created = load_kek(
                self.log_kek_file, create=create_kek, variable="REVIEWLEDGER_LOG_KEK_FILE"
            )
        self.db = Database(db_url, create=create_store)
        self.ledger = Ledger(self.db, kek, log_kek)
        if targets:
            self.ledger.after_append = WitnessPusher(self.ledger, targets, witness_timeout)
        self.clock = clock or SystemClock()
        # The read models, kept current after each command (and by `projections run`).
        self.projections = ProjectionRunner(
            self.db.views, LedgerEventSource(self.ledger), is_postgres=self.db.is_postgres
        )
        # The identifier detector over the register, for the people each step's words name.
        self.register = RegisterDetector()

    def close(self) -> None:
        self.db.close()

    def _at(self, at: datetime | None) -> datetime:
        return at or self.clock.now()

    # -- the log and its registry ----------------------------------------------------------

    def initialise(self, origin: str, at: datetime | None = None, *, post_quantum: bool = True) -> bool:
        """Create the log, with its Ed25519 and (unless `post_quantum` is False) ML-DSA-44 keys."""
        created = self.ledger.initialise(origin, self._at(at), post_quantum=post_quantum)
        self.ledger.tree.catch_up()
        self.ledger.complete_disposals()
        return created

    def acting(self, actor_id: str) -> Acting:
        """The person `actor_id` with the roles the registry gives them now; no such person is refused as such."""
        registry = self.ledger.registry()
        _require_registered(registry, actor_id)
        return Acting(actor=actor_id, roles=registry.roles_of(actor_id))

    def _registry_step(self, by: str, at: datetime | None, step: Callable[[Registry], None]) -> None:
        registry = self.ledger.registry()
        # Until the first person holds a key, only the log itself can sign the registry.
        bootstrap = by == LOG_ACTOR and not registry.keys
        if not bootstrap:
            _require_registered(registry, by)
        if not bootstrap and Role.ADMINISTRATOR not in registry.roles_of(by):
            raise NotAuthorised(
                by, "an administrator", "changing the registry of people and keys", REGISTRY_STREAM
            )
        base = registry.version
        # Work on a copy so a refused step leaves the cached registry untouched.
        working = copy.deepcopy(registry)
        step(working)
        self.ledger.append(REGISTRY_STREAM, base, working.collect_events(), by, self._at(at))

    def register_person(
        self, by: str, actor_id: str, name: str, roles: tuple[Role, ...], at: datetime | None = None
    ) -> str:
        """Register a person with roles and issue their first key; returns the key id.

        The very first person is registered by the log itself (bootstrap) and must be an administrator.
        """
        moment = self._at(at)
        registry = self.ledger.registry()
        if by == LOG_ACTOR and not registry.actors and Role.ADMINISTRATOR not in roles:
            raise NotAuthorised(by, "an administrator", "registering the first person", REGISTRY_STREAM)
        self._registry_step(
            by,
            moment,
            lambda r: r.register(
                actor_id=actor_id, name=personal(name, actor_id, kind=ItemKind.NAME), roles=roles, at=moment
            ),
        )
        pair = self.ledger.keys.create(actor_id)
        self._registry_step(
            by,
            moment,
            lambda r: r.issue_key(
                actor_id=actor_id, key_id=pair.key_id, public_key=pair.public_key_b64, at=moment
            ),
        )
        return pair.key_id

    def rotate_key(self, by: str, actor_id: str, at: datetime | None = None) -> str:
        moment = self._at(at)
        pair = self.ledger.keys.create(actor_id)
        self._registry_step(
            by,
            moment,
            lambda r: r.rotate_key(
                actor_id=actor_id, key_id=pair.key_id, public_key=pair.public_key_b64, at=moment
            ),
        )
        return pair.key_id

    def retire_key(self, by: str, actor_id: str, reason: str, at: datetime | None = None) -> None:
        moment = self._at(at)
        self._registry_step(by, moment, lambda r: r.retire_key(actor_id=actor_id, reason=reason, at=moment))

    def mark_compromised(
        self,
        by: str,
        actor_id: str,
        key_id: str,
        compromised_from: datetime,
        reason: str,
        at: datetime | None = None,
    ) -> None:
        moment = self._at(at)
        self._registry_step(
            by,
            moment,
            lambda r: r.mark_compromised(
                actor_id=actor_id, key_id=key_id, compromised_from=compromised_from, reason=reason, at=moment
            ),
        )

    def grant_role(self, by: str, actor_id: str, role: Role, at: datetime | None = None) -> None:
        moment = self._at(at)
        self._registry_step(by, moment, lambda r: r.grant_role(actor_id=actor_id, role=role, at=moment))

    def withdraw_role(self, by: str, actor_id: str, role: Role, at: datetime | None = None) -> None:
        moment = self._at(at)
        self._registry_step(by, moment, lambda r: r.withdraw_role(actor_id=actor_id, role=role, at=moment))

    # -- records -------------------------------------------------------------------------

    def load(self, record_type: type[A], reference: str, *, must_exist: bool = True) -> A:
        """Rebuild a record from its events (personal values stay sealed)."""
        events = self.ledger.read(reference)
        if must_exist and not events:
            raise RecordNotFound(record_type.kind, reference)
        return record_type.replay(reference, [r.event for r in events])

    def execute(
        self,
        record_type: type[A],
        reference: str,
        actor_id: str,
        command: Command,
        at: datetime | None = None,
        *,
        expected_version: int | None = None,
    ) -> A:
        """Run `command` on the record as `actor_id`; sign and store what it records (see `record_step`)."""
        return self.record_step(
            record_type, reference, actor_id, command, at, expected_version=expected_version
        ).record

    def record_step(
        self,
        record_type: type[A],
        reference: str,
        actor_id: str,
        command: Command,
        at: datetime | None = None,
        *,
        expected_version: int | None = None,
    ) -> Outcome[A]:
        """Run `command` on the record as `actor_id`; sign and store what it records.

        Before sealing, each narrative text's `about` is widened to the registered people its
        words name (domain/governance/naming.py); the step is recorded all the same, and the outcome says
        whom it added. `expected_version` is the version the person acted on, when known: if the
        record has moved on since, nothing is recorded (ConcurrentChange).
        """
        return self.record_steps(
            record_type, reference, actor_id, (command,), at, expected_version=expected_version
        )

    def record_steps(
        self,
        record_type: type[A],
        reference: str,
        actor_id: str,
        commands: Sequence[Command],
        at: datetime | None = None,
        *,
        expected_version: int | None = None,
    ) -> Outcome[A]:
        """Run `commands` one after another on the record as `actor_id`, and store every event
        they record in one append: each event signed on its own, all of them or none (a command
        the record refuses, or a record that moved on, records nothing)."""
        moment = self._at(at)
        acting = self.acting(actor_id)
        # Imported here: the table names every route, which a read command never needs.
        from adapters.app.authority import require_command

        for command in commands:
            require_command(
                record_type, command, acting, reference
            )  # the one table (adapters/app/authority.py)
        record = self.load(record_type, reference, must_exist=False)
        if expected_version is not None and record.version != expected_version:
            raise ConcurrentChange(reference)
        outcome = self.record_on(record, acting, commands, moment)
        self._catch_up_views()
        return outcome

    def record_on(
        self, record: A, acting: Acting, commands: Sequence[Command], moment: datetime
    ) -> Outcome[A]:
        """Run `commands` on `record` as it stands and store every event they record in one
        append; the read models are left to catch up.

        The authority table is not consulted here: the caller has already held each command to
        it (`require_command`), as `record_steps` does before loading the record. A caller that
        holds the record since its last step (the benchmarks' writer) passes it as held. A record
        that moved on meanwhile records nothing.
        """
        for command in commands:
            record.execute(command, acting, moment)
        base = record.base_version
        events, unnamed = widen(record.collect_events(), self.register.finder(self.ledger))
        self.ledger.append(record.reference, base, events, acting.actor, moment)
        log.info(
            "command_recorded",
            record=record.reference,
            command=",".join(dict.fromkeys(type(c).__name__ for c in commands)),
            steps=len(commands),
            actor=acting.actor,
            items_widened=len(unnamed),
        )
        return Outcome(record=record, unnamed=unnamed)

    def dispose(
        self,
        reference: str,
        rule: str,
        actor_id: str,
        at: datetime | None = None,
        reason: str = "",
        *,
        unchanged_since: int | None = None,
        then: WithinAppend | None = None,
    ) -> None:
        """Crypto-shred the record's personal data, signed by the person authorising it.

        Only the records manager or an information-governance officer may authorise it; whether
        the schedule makes it due and no legal hold blocks it is checked, and a certificate issued,
        by `adapters.governance.disposal_certificates.dispose`.
        """
        from domain.governance.retention import (
            DISPOSAL_ROLES,  # the retention schedule: only disposals need it
        )

        require_any_role(
            self.acting(actor_id), DISPOSAL_ROLES, action="authorising a disposal", record=reference
        )
        self.ledger.dispose(
            reference, rule, actor_id, self._at(at), reason, unchanged_since=unchanged_since, then=then
        )
        self._catch_up_views()

    def _catch_up_views(self) -> None:
        # The step is recorded already. If the read models must wait for a lock, they catch up
        # at the next step or `projections run`: the step must not look failed and be retried.
        try:
            self.projections.catch_up()
        except Exception as error:
            if not is_busy(error):
                raise
            log.warning("read_models_catch_up_deferred")

    def history(self, reference: str) -> list[Recorded]:
        return self.ledger.read(reference)
