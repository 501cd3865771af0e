"""Recording a step has its checkpoint witnessed: the log sends it to the witnesses as it is signed.

The inspectorate runs two witnesses, each its own process with an Ed25519 and an ML-DSA-44 key.
The council's log is configured with the witness policy (`--witness-policy`, or
REVIEWLEDGER_WITNESS_POLICY). An officer records an ordinary step from the command line: the
checkpoint signed for it comes back cosigned by both witnesses with both keys, and the review's
bundle carries those cosignatures, which the inspector's verifier counts. One witness goes down:
the next step is recorded all the same, without waiting on it, cosigned by the other; once it is
back, `witness push` catches it up.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import reviewledger_verify
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.cli import main
from adapters.store.tables import cosignatures
from domain.kernel.roles import Role
from tests.integration.witness_processes import WitnessProcess, start_witnesses, write_policy

pytestmark = pytest.mark.slow


def _notification(subject: str, name: str) -> str:
    return json.dumps(
        {
            "subject_group": "child",
            "received_on": "2026-03-01",
            "subject": {"subject_id": subject, "name": name},
            "notifier": {"subject_id": f"{subject}-n", "name": "Karen Spence", "agency": "Social work"},
            "family": [],
            "reasons": "Admitted to hospital after a long period of neglect at home.",
        }
    )


def _cosigners(app: Application, size: int) -> set[tuple[str, int]]:
    with app.db.reader.connect() as conn:
        rows = conn.execute(
            sa.select(cosignatures.c.cosigner, cosignatures.c.kind).where(cosignatures.c.tree_size == size)
        ).tuples()
        return {(name, kind) for name, kind in rows}


@pytest.fixture
def witnesses(app: Application, tmp_path: Path) -> Iterator[list[WitnessProcess]]:
    running = start_witnesses(app.ledger.log_verifier_key(), tmp_path)
    try:
        yield running
    finally:
        for witness in running:
            witness.stop()


def test_a_step_recorded_is_cosigned_by_both_witnesses_and_its_bundle_carries_them(
    app: Application,
    witnesses: list[WitnessProcess],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    # The inspector was handed a checkpoint before the witnesses ran: nobody cosigned it.
    held = tmp_path / "held.checkpoint"
    held.write_text(app.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
    held_size = app.ledger.tree.head().size
    log_keys = [app.ledger.log_verifier_key(), app.ledger.log_mldsa_verifier_key() or ""]
    policy = write_policy(tmp_path, log_keys, witnesses)
    every = {(f"witness.inspectorate.test/{w.name}", kind) for w in witnesses for kind in (4, 6)}
    base = ["--db", app.db.url.describe(), "--kek-file", str(app.kek_file)]

    # The officer records that a notification was received, the log configured with the policy.
    step = ["step", "LR-1", "receive-notification", "--route", "national", "--as", "officer"]
    assert main([*base, "--witness-policy", str(policy), *step, "--data", _notification("S-1", "Ellie")]) == 0
    size = app.ledger.tree.head().size
    assert _cosigners(app, size) == every

    # The review's bundle carries the four cosignatures on its checkpoint and on the one signed
    # for the step; the policy is met on both.
    out = tmp_path / "LR-1.zip"
    export = ["bundle", "export", "--out", str(out), "--review", "LR-1", "--since", str(held)]
    assert main([*base, "--witness-policy", str(policy), *export]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        notes = {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".txt")}
    assert sorted(notes) == ["checkpoint.txt", f"checkpoints/{held_size}.txt", f"checkpoints/{size}.txt"]
    for name in ("checkpoint.txt", f"checkpoints/{size}.txt"):
        lines = notes[name].splitlines()
        assert sum(1 for line in lines if line.startswith("\u2014 witness.inspectorate.test/")) == 4, name
    policy_text, held_note = policy.read_text(), held.read_text()
    report = reviewledger_verify.verify_bundle(out.read_bytes(), log_keys[0], held_note, policy_text)
    assert report.failures == []
    assert report.policy_met == "every"
    # The inspector's own checkpoint is theirs to trust; given no --since, it is held to the policy.
    report = reviewledger_verify.verify_bundle(out.read_bytes(), log_keys[0], None, policy_text)
    assert [f.message for f in report.failures] == [
        f"checkpoint of tree size {held_size}: checkpoints/{held_size}.txt: the witness policy's quorum "
        "every is not met: valid cosignatures from no witness"
    ]

    # The second witness goes down. The next step (the policy from the environment this time) is
    # recorded as quickly, cosigned by the first witness alone.
    witnesses[1].stop()
    monkeypatch.setenv("REVIEWLEDGER_WITNESS_POLICY", str(policy))
    monkeypatch.setenv("REVIEWLEDGER_WITNESS_TIMEOUT", "2")
    started = time.monotonic()
    step = ["step", "LR-2", "receive-notification", "--route", "national", "--as", "officer"]
    assert main([*base, *step, "--data", _notification("S-2", "Robbie")]) == 0
    assert time.monotonic() - started < 2
    later = app.ledger.tree.head().size
    assert later > size
    assert _cosigners(app, later) == {c for c in every if c[0].endswith("/w1")}
    capsys.readouterr()

    # Back up, on the same address: a push catches it up, by a proof from the size it last cosigned.
    witnesses[1].start()
    assert main([*base, "witness", "push", "--policy", str(policy)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{w.url}: 2 cosignature(s) of tree size {later}" for w in witnesses
    ]
    assert _cosigners(app, later) == every


def test_a_witness_setting_that_cannot_be_used_is_refused_by_name(
    app: Application, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["--db", app.db.url.describe(), "--kek-file", str(app.kek_file)]
    assert main([*base, "--witness-policy", str(tmp_path / "absent.policy"), "verify"]) == 2
    assert capsys.readouterr().err.startswith(f"error: policy: cannot read {tmp_path / 'absent.policy'}")
    monkeypatch.setenv("REVIEWLEDGER_WITNESS_TIMEOUT", "soon")
    assert main([*base, "verify"]) == 2
    assert capsys.readouterr().err == (
        "error: REVIEWLEDGER_WITNESS_TIMEOUT: must be a number of seconds above 0, at most 300\n"
    )
