"""Outside tools still read our checkpoints: Go's note verifier (golang.org/x/mod/sumdb/note).

A checkpoint signed with the log's Ed25519 and ML-DSA-44 keys and cosigned by a witness with
both of its keys is opened by Go's note verifier given the log's Ed25519 key alone: the
Ed25519 signature verifies and the other lines are kept as signatures by unknown keys. Needs
Debian's golang-go and golang-golang-x-mod-dev; skipped, saying so, where they are absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.application import Application
from adapters.witness import Witness, create_keys, load_keys
from audit.note import verifier_key
from audit.signing import KeyPair
from domain.roles import Role

GOPATH = Path("/usr/share/gocode")
NOTE_PACKAGE = GOPATH / "src" / "golang.org" / "x" / "mod" / "sumdb" / "note"
PROGRAM = """package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fmt.Println("bad key:", err)
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Println("read:", err)
		os.Exit(2)
	}
	n, err := note.Open(data, note.VerifierList(verifier))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	fmt.Printf("verified %d, unverified %d\\n%s", len(n.Sigs), len(n.UnverifiedSigs), n.Text)
}
"""


@pytest.fixture(scope="module")
def go_note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    go = shutil.which("go")
    if go is None or not NOTE_PACKAGE.is_dir():
        pytest.skip("Go and golang.org/x/mod (Debian golang-go, golang-golang-x-mod-dev) are not installed")
    folder = tmp_path_factory.mktemp("go")
    (folder / "main.go").write_text(PROGRAM, encoding="utf-8")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOCACHE": str(folder / "cache")}
    subprocess.run([go, "build", "-o", "notecheck", "main.go"], cwd=folder, env=env, check=True, timeout=300)
    return folder / "notecheck"


def test_gos_note_verifier_opens_a_checkpoint_with_every_kind_of_signature_line(
    app: Application, tmp_path: Path, go_note: Path
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.ledger.add_log_mldsa_key(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    app.register_person("admin", "reviewer", "Isla Flett", (Role.REVIEWER,))
    note = app.ledger.tree.latest_checkpoint() or ""
    create_keys(tmp_path / "w.keys", "witness.test/w1")
    witness = Witness(
        load_keys(tmp_path / "w.keys"), [app.ledger.log_verifier_key()], tmp_path / "w.state", lambda: 1
    )
    answer = witness.add_checkpoint(b"old 0\n\n" + note.encode())
    assert answer.status == 200
    (tmp_path / "checkpoint").write_text(note + answer.body.decode(), encoding="utf-8")

    result = subprocess.run(
        [str(go_note), app.ledger.log_verifier_key(), str(tmp_path / "checkpoint")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    text = note[: note.rfind("\n\n") + 1]
    # The log's Ed25519 line verifies; its ML-DSA-44 line and the witness's two are unknown keys.
    assert result.stdout == f"verified 1, unverified 3\n{text}"
    # Under another key of the same name, Go refuses it.
    other = verifier_key(app.ledger.origin, KeyPair.generate().public_key)
    refused = subprocess.run(
        [str(go_note), other, str(tmp_path / "checkpoint")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (refused.returncode, refused.stdout.split(":")[0]) == (1, "open")
