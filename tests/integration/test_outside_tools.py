"""Outside tools read what we write: Go's note verifier and tlog package (golang.org/x/mod/sumdb).

A checkpoint signed with the log's Ed25519 and ML-DSA-44 keys and cosigned by a witness with
both of its keys is opened by Go's note verifier given the log's Ed25519 key alone: the
Ed25519 signature verifies and the other lines are kept as signatures by unknown keys. Go's
tlog package reads the tiles `tiles export` writes and checks the files `proof export` writes.
The Go programs are in go/ beside this file. Needs
Debian's golang-go and golang-golang-x-mod-dev (`make setup` installs them where apt-get can);
skipped, saying so, where they are absent, except under CI=true, where that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.transparency.tlog_export import export_proofs, export_tiles, tile_path
from adapters.transparency.witness import Witness, create_keys, load_keys
from audit.note import verifier_key
from audit.signing import KeyPair
from domain.kernel.roles import Role

GOPATH = Path("/usr/share/gocode")
NOTE_PACKAGE = GOPATH / "src" / "golang.org" / "x" / "mod" / "sumdb" / "note"
PROGRAMS = Path(__file__).resolve().parent / "go"


def _build(name: str, folder: Path) -> Path:
    """Build one of the Go programs beside this file against Debian's golang.org/x/mod."""
    go = shutil.which("go")
    if go is None or not NOTE_PACKAGE.is_dir():
        message = "Go and golang.org/x/mod (Debian golang-go, golang-golang-x-mod-dev) are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires them (make setup installs them)")
        pytest.skip(message)
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOCACHE": str(folder / "cache")}
    program = folder / name
    subprocess.run(
        [go, "build", "-o", str(program), str(PROGRAMS / name / "main.go")], env=env, check=True, timeout=300
    )
    return program


@pytest.fixture(scope="module")
def go_note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("notecheck", tmp_path_factory.mktemp("go"))


@pytest.fixture(scope="module")
def go_tlog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("tlogcheck", tmp_path_factory.mktemp("go"))


def test_gos_note_verifier_opens_a_checkpoint_with_every_kind_of_signature_line(
    app: Application, tmp_path: Path, go_note: Path
) -> None:
    # A log as `init` makes it: its ML-DSA-44 key named with it, so every checkpoint has both lines.
    assert app.ledger.log_mldsa_verifier_key() is not None
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
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


def test_gos_tlog_package_reads_our_tiles_and_checks_our_proof_files(
    app: Application, tmp_path: Path, go_tlog: Path
) -> None:
    """Go's tlog reads the tiles (checking each against the signed tree as it goes), hashes every
    entry of every bundle to its leaf, and checks each proof file with CheckRecord."""
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    for n in range(130):  # two full-and-partial levels of tiles: more than 256 leaves
        app.register_person("admin", f"clerk-{n}", "Clerk Example", (Role.REVIEWER,))
    export_tiles(app.ledger, tmp_path / "tiles")
    size = app.ledger.tree.head().size
    assert size > 256
    proofs = export_proofs(app.ledger, tmp_path / "proofs", [1, 200, size])
    key = app.ledger.log_verifier_key()

    result = subprocess.run(
        [str(go_tlog), key, str(tmp_path / "tiles"), *map(str, proofs)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"ok {size}\n")

    # One changed byte in the first level-0 tile (in its fourth hash): Go's tile reader finds the
    # tile does not fit the signed tree when it reads that leaf.
    tile = tmp_path / "tiles" / tile_path(0, 0)
    data = bytearray(tile.read_bytes())
    data[100] ^= 1
    tile.write_bytes(bytes(data))
    result = subprocess.run(
        [str(go_tlog), key, str(tmp_path / "tiles")], capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stdout) == (1, "entry 3 does not hash to its leaf\n")
