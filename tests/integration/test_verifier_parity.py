"""One set of broken registries, refused alike by the store's verifier and the inspector's.

An administrator (or the log) signs a registry event the registry's rules forbid, and the
ledger stores it as it stores any signed event: an event for which no key could have been
issued, a key whose id is not its own, a key or a person registered twice, a key ended that
was not the actor's. `reviewledger verify` over the store (audit/verifier.py) and
`reviewledger-verify` over the whole log's bundle (the inspector's own package) each refuse it,
at the same position, with the same words. Every case runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import reviewledger_verify

from adapters.app.application import Application
from adapters.governance.bundle import export_bundle
from adapters.store.verification import verify_ledger
from audit import cosignature
from audit.signing import KeyPair
from domain.kernel.event import DomainEvent, ItemKind, personal
from domain.kernel.registry import (
    REGISTRY_STREAM,
    ActorRegistered,
    KeyCompromised,
    KeyIssued,
    KeyRetired,
    KeyRotated,
    LogEstablished,
    LogMldsaKeyAdded,
    RegistryHeadMarked,
)
from domain.kernel.roles import Role

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# A broken registry: given the log, the events to append (signed by whom) and the refusal both must give.
Breakage = Callable[[Application], tuple[str, list[DomainEvent], str]]


def _key_of(app: Application, actor: str) -> str:
    return app.ledger.registry().active_key(actor) or ""


def _clerk(actor_id: str = "clerk") -> ActorRegistered:
    name = personal("Clerk Example", actor_id, kind=ItemKind.NAME)
    return ActorRegistered(actor_id=actor_id, name=name, roles=(), at=AT)


def _issued(actor: str, pair: KeyPair, key_id: str | None = None) -> KeyIssued:
    return KeyIssued(actor_id=actor, key_id=key_id or pair.key_id, public_key=pair.public_key_b64, at=AT)


def key_id_not_its_own(app: Application) -> tuple[str, list[DomainEvent], str]:
    pair = KeyPair.generate()
    return (
        "admin",
        [_clerk(), _issued("clerk", pair, key_id="00000000000000ff")],
        r"registered key id 00000000000000ff is not the id of its public key",
    )


def key_registered_twice(app: Application) -> tuple[str, list[DomainEvent], str]:
    officer = app.ledger.keys.load(_key_of(app, "officer"))
    return (
        "admin",
        [_clerk(), _issued("clerk", officer)],
        rf"key {officer.key_id} is registered a second time",
    )


def actor_not_registered(app: Application) -> tuple[str, list[DomainEvent], str]:
    return (
        "admin",
        [_issued("ghost", KeyPair.generate())],
        r"registry\.key-issued names ghost, who is not registered",
    )


def actor_registered_twice(app: Application) -> tuple[str, list[DomainEvent], str]:
    return "admin", [_clerk("officer")], r"actor officer is registered a second time"


def second_key_while_one_is_active(app: Application) -> tuple[str, list[DomainEvent], str]:
    return (
        "admin",
        [_issued("officer", KeyPair.generate())],
        r"a key is issued to officer, who already has an active key",
    )


def rotation_of_a_key_not_active(app: Application) -> tuple[str, list[DomainEvent], str]:
    pair = KeyPair.generate()
    admin_key = _key_of(app, "admin")
    event = KeyRotated(
        actor_id="officer", old_key_id=admin_key, key_id=pair.key_id, public_key=pair.public_key_b64, at=AT
    )
    return "admin", [event], rf"key {admin_key} rotated away is not the active key of officer"


def retirement_of_a_key_not_active(app: Application) -> tuple[str, list[DomainEvent], str]:
    admin_key = _key_of(app, "admin")
    event = KeyRetired(actor_id="officer", key_id=admin_key, reason="left", at=AT)
    return "admin", [event], rf"key {admin_key} retired is not the active key of officer"


def compromise_of_someone_elses_key(app: Application) -> tuple[str, list[DomainEvent], str]:
    admin_key = _key_of(app, "admin")
    event = KeyCompromised(actor_id="officer", key_id=admin_key, compromised_from=AT, reason="lost", at=AT)
    return "admin", [event], rf"key {admin_key} marked compromised is not a key of officer"


def second_establishment(app: Application) -> tuple[str, list[DomainEvent], str]:
    pair = app.ledger.log_key
    event = LogEstablished(
        origin=app.ledger.origin, log_key_id=pair.key_id, log_public_key=pair.public_key_b64, at=AT
    )
    return "log", [event], r"the log is established a second time"


def _mldsa_added(key_id: str | None = None) -> LogMldsaKeyAdded:
    public = cosignature.generate("log", cosignature.MLDSA44_COSIGNATURE).public.public_key
    stated = key_id or cosignature.log_mldsa_key_id(public)
    return LogMldsaKeyAdded(key_id=stated, public_key=base64.b64encode(public).decode(), at=AT)


def mldsa_key_id_not_its_own(app: Application) -> tuple[str, list[DomainEvent], str]:
    event = _mldsa_added("mldsa44-00000000000000ff")
    return "log", [event], r"the log's ML-DSA-44 key id mldsa44-00000000000000ff is not the id of its key"


def mldsa_key_added_twice(app: Application) -> tuple[str, list[DomainEvent], str]:
    # The log already has its key from `init`: one more is a second.
    return "log", [_mldsa_added()], r"the log's ML-DSA-44 key is added a second time"


def mldsa_key_named_by_an_administrator(app: Application) -> tuple[str, list[DomainEvent], str]:
    return "admin", [_mldsa_added()], r"the log's ML-DSA-44 key is named by the log itself, not by admin"


def head_marked_by_an_administrator(app: Application) -> tuple[str, list[DomainEvent], str]:
    return (
        "admin",
        [RegistryHeadMarked(at=AT)],
        r"the registry's head is marked by the log itself, not by admin",
    )


BREAKAGES = (
    key_id_not_its_own,
    key_registered_twice,
    actor_not_registered,
    actor_registered_twice,
    second_key_while_one_is_active,
    rotation_of_a_key_not_active,
    retirement_of_a_key_not_active,
    compromise_of_someone_elses_key,
    second_establishment,
    mldsa_key_id_not_its_own,
    mldsa_key_added_twice,
    mldsa_key_named_by_an_administrator,
    head_marked_by_an_administrator,
)


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.__name__)
def test_the_store_and_the_inspector_refuse_a_broken_registry_alike(
    app: Application, tmp_path: Path, breakage: Breakage
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    assert verify_ledger(app.ledger).intact
    signer, events, problem = breakage(app)
    for event in events:
        app.ledger.append(REGISTRY_STREAM, app.ledger.stream_version(REGISTRY_STREAM), [event], signer, AT)
    position = app.ledger.tree.head().size  # the breaking event is the last one logged

    found = verify_ledger(app.ledger).as_json()["failures"]
    # The store's verifier also holds the checkpoints to a log ML-DSA-44 key the registry named
    # (this test holds no such key's secret, so none signs): that is the store's check alone.
    store = [f for f in found if not f["problem"].startswith("stored checkpoint has no ML-DSA-44 signature")]
    assert [(f["position"], f["stream"]) for f in store] == [(position, REGISTRY_STREAM)], found
    assert re.fullmatch(problem, store[0]["problem"]), store

    export_bundle(app.ledger, tmp_path / "whole.zip")
    report = reviewledger_verify.verify_bundle(
        (tmp_path / "whole.zip").read_bytes(), app.ledger.log_verifier_key()
    )
    inspector = [(f.position, f.message) for f in report.failures]
    assert [p for p, _ in inspector] == [position], inspector
    assert re.fullmatch(problem, inspector[0][1]), inspector


def test_a_sound_registry_passes_both(app: Application, tmp_path: Path) -> None:
    """The same steps done through the application's own rules: both verifiers accept them."""
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.rotate_key("admin", "officer")
    app.retire_key("admin", "officer", "left the service")
    assert verify_ledger(app.ledger).intact
    export_bundle(app.ledger, tmp_path / "whole.zip")
    report = reviewledger_verify.verify_bundle(
        (tmp_path / "whole.zip").read_bytes(), app.ledger.log_verifier_key()
    )
    assert report.failures == []
