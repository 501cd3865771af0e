"""Signed notes and checkpoints, from the specification's own example to forged ones.

A log publishes its tree head as a checkpoint, signed as a C2SP note. A reviewer who
holds the log's verifier key must be able to tell the genuine note from any note that
differs from it by so much as one byte, and must be told precisely what is wrong.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.errors import VerificationError
from audit.merkle import EMPTY_ROOT, leaf_hash
from audit.note import (
    Checkpoint,
    Verifier,
    key_id,
    parse_verifier_key,
    sign_checkpoint,
    sign_note,
    verifier_key,
    verify_checkpoint,
    verify_note,
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
EXAMPLE = VECTORS / "signed-note" / "example.json"

# Every way verify_note can refuse a note, by its message.
NOTE_REFUSALS = (
    r"not valid UTF-8|control character|does not end with a newline|no blank line"
    r"|no signature lines|more than \d+ signatures|does not start with an em dash"
    r"|no space between|signature line: key name|signature is not (valid|canonical) base64"
    r"|too short for a key ID|Ed25519 signatures are 64|is not valid for this note text"
    r"|has no signature by"
)

LOG_NAME = "ledger.example/reviews"
LOG_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
WITNESS_NAME = "witness.example/w1"
WITNESS_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))


def require_example() -> dict[str, Any]:
    """Load the spec example; skip when absent, unless running in CI, where that fails."""
    if not EXAMPLE.is_file():
        message = f"signed-note example vector not found at {EXAMPLE}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def verifier_for(name: str, key: Ed25519PrivateKey) -> Verifier:
    return parse_verifier_key(verifier_key(name, key.public_key().public_bytes_raw()))


def signature_lines(note: str) -> list[str]:
    return note[note.rfind("\n\n") + 2 :].splitlines(keepends=True)


def a_checkpoint(size: int = 3, extensions: tuple[str, ...] = ()) -> Checkpoint:
    root = leaf_hash(b"first review")
    return Checkpoint(origin=LOG_NAME, size=size, root=root, extensions=extensions)


# ---------------------------------------------------------------- the specification's example


def test_the_specification_example_verifies_under_its_key() -> None:
    """The example note from c2sp.org/signed-note opens under the published verifier key."""
    example = require_example()
    verifier = parse_verifier_key(example["verifier_key"])
    assert verifier.name == "example.com/foo"
    assert verifier.key_id == bytes.fromhex("530d903a")
    assert verifier_key(verifier.name, verifier.public_key) == example["verifier_key"]
    assert key_id(verifier.name, verifier.public_key) == verifier.key_id
    assert example["expect"] == "verifies"
    assert verify_note(example["note"], verifier) == "This is an example message.\n"


def test_changing_any_character_of_the_example_is_detected() -> None:
    """Someone edits one character, anywhere, to anything: every such note is refused."""
    example = require_example()
    verifier = parse_verifier_key(example["verifier_key"])
    note: str = example["note"]
    tried = 0
    for position, original in enumerate(note):
        for replacement in ("x", "A", "\n", " ", "+", "\u2014", "\t"):
            if replacement == original:
                continue
            forged = note[:position] + replacement + note[position + 1 :]
            with pytest.raises(VerificationError, match=NOTE_REFUSALS):
                verify_note(forged, verifier)
            tried += 1
    assert tried > 6 * len(note)


def test_changing_any_byte_of_the_example_is_detected() -> None:
    """The same, one UTF-8 byte at a time, whatever the byte turns the text into."""
    example = require_example()
    verifier = parse_verifier_key(example["verifier_key"])
    encoded = example["note"].encode("utf-8")
    for position in range(len(encoded)):
        for mask in (0x01, 0x20, 0x80):
            forged = bytearray(encoded)
            forged[position] ^= mask
            with pytest.raises(VerificationError, match=NOTE_REFUSALS):
                verify_note(forged.decode("utf-8", errors="replace"), verifier)


def test_the_example_with_a_missing_or_extra_trailing_newline_is_refused() -> None:
    """Cutting the final newline, or adding a blank line, breaks the note's shape."""
    example = require_example()
    verifier = parse_verifier_key(example["verifier_key"])
    note: str = example["note"]
    with pytest.raises(VerificationError, match="note does not end with a newline"):
        verify_note(note[:-1], verifier)
    with pytest.raises(VerificationError, match="no signature lines after its last blank line"):
        verify_note(note + "\n", verifier)


# ---------------------------------------------------------------- signing and checkpoints


def test_a_signed_checkpoint_round_trips() -> None:
    """The log signs its head; the reviewer verifies it and reads back the same values."""
    checkpoint = a_checkpoint(size=7, extensions=("note: quarterly export",))
    note = sign_checkpoint(checkpoint, LOG_NAME, LOG_KEY)
    verifier = verifier_for(LOG_NAME, LOG_KEY)
    assert verify_checkpoint(note, verifier, origin=LOG_NAME) == checkpoint
    assert verify_checkpoint(note, verifier) == checkpoint
    assert note.startswith(checkpoint.to_text() + "\n\u2014 " + LOG_NAME + " ")


def test_the_checkpoint_text_is_exactly_the_specified_lines() -> None:
    """Origin, decimal size, base64 root, then extension lines, each ending in a newline."""
    checkpoint = Checkpoint(origin="o.example/log", size=0, root=EMPTY_ROOT, extensions=("x",))
    root = base64.b64encode(EMPTY_ROOT).decode("ascii")
    assert checkpoint.to_text() == f"o.example/log\n0\n{root}\nx\n"
    assert Checkpoint.parse(checkpoint.to_text()) == checkpoint


def test_a_checkpoint_from_another_origin_is_refused() -> None:
    """A genuine signature over another log's head must not pass for this log's head."""
    note = sign_checkpoint(a_checkpoint(), LOG_NAME, LOG_KEY)
    verifier = verifier_for(LOG_NAME, LOG_KEY)
    with pytest.raises(VerificationError, match=r"origin 'ledger\.example/reviews' is not the"):
        verify_checkpoint(note, verifier, origin="ledger.example/other")


def test_a_note_signed_by_someone_else_is_refused() -> None:
    """The witness's signature is not the log's signature."""
    note = sign_checkpoint(a_checkpoint(), WITNESS_NAME, WITNESS_KEY)
    with pytest.raises(VerificationError, match=r"note has no signature by ledger\.example/reviews\+"):
        verify_checkpoint(note, verifier_for(LOG_NAME, LOG_KEY))


def test_cosignatures_from_unknown_keys_are_ignored() -> None:
    """A witness adds its line; the log's verifier skips it, and each key finds its own."""
    text = a_checkpoint().to_text()
    by_log = sign_note(text, LOG_NAME, LOG_KEY)
    by_witness = sign_note(text, WITNESS_NAME, WITNESS_KEY)
    both = by_log + "".join(signature_lines(by_witness))
    reversed_order = by_witness + "".join(signature_lines(by_log))
    for note in (both, reversed_order):
        assert verify_note(note, verifier_for(LOG_NAME, LOG_KEY)) == text
        assert verify_note(note, verifier_for(WITNESS_NAME, WITNESS_KEY)) == text


def test_a_signature_sharing_only_the_name_is_ignored() -> None:
    """After a key rotation the old and new keys share a name, but not a key ID."""
    text = a_checkpoint().to_text()
    old = sign_note(text, LOG_NAME, WITNESS_KEY)
    new = sign_note(text, LOG_NAME, LOG_KEY)
    note = old + "".join(signature_lines(new))
    assert verify_note(note, verifier_for(LOG_NAME, LOG_KEY)) == text


def test_one_bad_signature_by_the_trusted_key_spoils_the_note() -> None:
    """A second line claiming the trusted key but carrying a forged signature is refused."""
    text = a_checkpoint().to_text()
    good = sign_note(text, LOG_NAME, LOG_KEY)
    forged = sign_note(text.replace("3", "4", 1), LOG_NAME, LOG_KEY)
    note = good + "".join(signature_lines(forged))
    with pytest.raises(VerificationError, match="is not valid for this note text") as caught:
        verify_note(note, verifier_for(LOG_NAME, LOG_KEY))
    assert caught.value.position == 6


def test_the_position_of_a_malformed_signature_line_is_reported() -> None:
    """Lines 1-3 are the checkpoint, line 4 is blank, line 5 is the broken signature."""
    note = sign_checkpoint(a_checkpoint(), LOG_NAME, LOG_KEY).replace("\u2014", "-")
    with pytest.raises(VerificationError, match="does not start with an em dash") as caught:
        verify_note(note, verifier_for(LOG_NAME, LOG_KEY))
    assert caught.value.position == 5


def test_a_short_trusted_signature_is_refused() -> None:
    """The key ID matches but the signature is cut short."""
    verifier = verifier_for(LOG_NAME, LOG_KEY)
    text = a_checkpoint().to_text()
    stub = base64.b64encode(verifier.key_id + bytes(10)).decode("ascii")
    note = f"{text}\n\u2014 {LOG_NAME} {stub}\n"
    with pytest.raises(VerificationError, match="is 10 bytes, Ed25519 signatures are 64"):
        verify_note(note, verifier)


def test_too_many_signatures_are_refused() -> None:
    """A note cannot bury its reader under signatures: 100 is the limit here."""
    note = sign_checkpoint(a_checkpoint(), LOG_NAME, LOG_KEY)
    padded = note + "".join(signature_lines(note)) * 100
    with pytest.raises(VerificationError, match="note has more than 100 signatures"):
        verify_note(padded, verifier_for(LOG_NAME, LOG_KEY))


@pytest.mark.parametrize(
    ("text", "name", "match"),
    [
        ("no final newline", LOG_NAME, "note text does not end with a newline"),
        ("tab\there\n", LOG_NAME, "note text contains a control character"),
        ("fine\n", "two words", "contains whitespace"),
        ("fine\n", "a+b", r"contains '\+'"),
        ("fine\n", "", "key name is empty"),
    ],
)
def test_signing_refuses_what_the_specification_forbids(text: str, name: str, match: str) -> None:
    """The log will not produce a note no verifier could read back."""
    with pytest.raises(ValueError, match=match):
        sign_note(text, name, LOG_KEY)


# ---------------------------------------------------------------- malformed verifier keys

PUBLIC = LOG_KEY.public_key().public_bytes_raw()
GOOD_KEY = verifier_key(LOG_NAME, PUBLIC)
GOOD_ID = key_id(LOG_NAME, PUBLIC).hex()
ED25519 = b"\x01"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("ledger.example", r"no '\+' after the key name"),
        (f"+{GOOD_ID}+{b64(ED25519 + PUBLIC)}", "key name is empty"),
        (f"ledger example+{GOOD_ID}+{b64(ED25519 + PUBLIC)}", "contains whitespace"),
        (f"{LOG_NAME}+{GOOD_ID}", r"no '\+' after the key ID"),
        (f"{LOG_NAME}+{GOOD_ID[:7]}+{b64(ED25519 + PUBLIC)}", "is not 8 hexadecimal digits"),
        (f"{LOG_NAME}+{GOOD_ID[:7]}g+{b64(ED25519 + PUBLIC)}", "is not 8 hexadecimal digits"),
        (f"{LOG_NAME}+{GOOD_ID}+not base64!", "key material is not valid base64"),
        (f"{LOG_NAME}+{GOOD_ID}+{b64(ED25519 + PUBLIC)[:-1]}", "not valid base64"),
        (f"{LOG_NAME}+{GOOD_ID}+AB==", "key material is not canonical base64"),
        (f"{LOG_NAME}+{GOOD_ID}+", "algorithm byte is missing"),
        (f"{LOG_NAME}+{GOOD_ID}+{b64(bytes([2]) + PUBLIC)}", "algorithm byte is 02"),
        (f"{LOG_NAME}+{GOOD_ID}+{b64(ED25519 + PUBLIC[:31])}", "must be 32 bytes, got 31"),
        (f"{LOG_NAME}+{GOOD_ID}+{b64(ED25519 + PUBLIC + bytes(1))}", "must be 32 bytes, got 33"),
        (f"{LOG_NAME}+00000000+{b64(ED25519 + PUBLIC)}", "key ID 00000000 does not match"),
        (f"ledger.example/other+{GOOD_ID}+{b64(ED25519 + PUBLIC)}", "does not match the name"),
    ],
)
def test_malformed_verifier_keys_are_refused(text: str, match: str) -> None:
    """A reviewer pasting a damaged verifier key is told which part is damaged."""
    assert parse_verifier_key(GOOD_KEY).public_key == PUBLIC
    with pytest.raises(VerificationError, match=match):
        parse_verifier_key(text)


def test_key_ids_refuse_names_and_keys_the_specification_forbids() -> None:
    """A '+' in a name would make the verifier key ambiguous; keys are 32 bytes."""
    with pytest.raises(ValueError, match=r"key name 'a\+b' contains '\+'"):
        key_id("a+b", PUBLIC)
    with pytest.raises(ValueError, match="Ed25519 public key must be 32 bytes, got 31"):
        key_id(LOG_NAME, PUBLIC[:31])


# ---------------------------------------------------------------- malformed checkpoints

ROOT = b64(EMPTY_ROOT)


@pytest.mark.parametrize(
    ("text", "match", "position"),
    [
        ("", "checkpoint text does not end with a newline", None),
        (f"o\n1\n{ROOT}", "checkpoint text does not end with a newline", None),
        ("o\n1\n", "checkpoint has 2 lines", None),
        (f"o\r\n1\n{ROOT}\n", "checkpoint text contains a control character", None),
        (f"\n1\n{ROOT}\n", "checkpoint origin is empty", 1),
        (f"o\n01\n{ROOT}\n", r"tree size '01' is not a decimal number", 2),
        (f"o\n00\n{ROOT}\n", r"tree size '00' is not a decimal number", 2),
        (f"o\n-1\n{ROOT}\n", r"tree size '-1' is not a decimal number", 2),
        (f"o\n+1\n{ROOT}\n", r"tree size '\+1' is not a decimal number", 2),
        (f"o\n 1\n{ROOT}\n", r"tree size ' 1' is not a decimal number", 2),
        (f"o\n1_0\n{ROOT}\n", r"tree size '1_0' is not a decimal number", 2),
        (f"o\n\u0661\n{ROOT}\n", "is not a decimal number", 2),
        (f"o\n\n{ROOT}\n", r"tree size '' is not a decimal number", 2),
        (f"o\n{2**64}\n{ROOT}\n", r"is outside 0..2\^64-1", 2),
        (f"o\n1\n{b64(bytes(31))}\n", "root hash must be 32 bytes, got 31", 3),
        (f"o\n1\n{b64(bytes(33))}\n", "root hash must be 32 bytes, got 33", 3),
        ("o\n1\nnot base64\n", "root hash is not valid base64", 3),
        (f"o\n1\n{ROOT[:-2]}\n", "root hash is not valid base64", 3),
        (f"o\n1\n{ROOT[:-2]}V=\n", "root hash is not canonical base64", 3),
        (f"o\n1\n{ROOT}\n\n", "extension line is empty", 4),
        (f"o\n1\n{ROOT}\next\n\n", "extension line is empty", 5),
    ],
)
def test_malformed_checkpoints_are_refused(text: str, match: str, position: int | None) -> None:
    """Each line of a checkpoint has one meaning and one spelling; anything else is refused."""
    with pytest.raises(VerificationError, match=match) as caught:
        Checkpoint.parse(text)
    assert caught.value.position == position


def test_checkpoints_that_cannot_exist_are_not_constructed() -> None:
    """A Checkpoint value is always one that to_text can write and parse can read back."""
    with pytest.raises(ValueError, match="checkpoint origin is empty"):
        Checkpoint(origin="", size=1, root=EMPTY_ROOT)
    with pytest.raises(ValueError, match="checkpoint tree size -1 is outside"):
        Checkpoint(origin="o", size=-1, root=EMPTY_ROOT)
    with pytest.raises(ValueError, match="root hash must be 32 bytes, got 3"):
        Checkpoint(origin="o", size=1, root=b"abc")
    with pytest.raises(ValueError, match="origin contains a newline"):
        Checkpoint(origin="o\n2", size=1, root=EMPTY_ROOT)
    with pytest.raises(ValueError, match="extension line contains a newline"):
        Checkpoint(origin="o", size=1, root=EMPTY_ROOT, extensions=("a\nb",))


def test_a_signed_note_that_is_not_a_checkpoint_is_refused() -> None:
    """A genuine signature over text that is not a checkpoint gives no checkpoint."""
    note = sign_note("hello\nworld\nagain\n", LOG_NAME, LOG_KEY)
    with pytest.raises(VerificationError, match="tree size 'world' is not a decimal number"):
        verify_checkpoint(note, verifier_for(LOG_NAME, LOG_KEY))


def test_exactly_the_control_characters_other_than_newline_are_refused() -> None:
    """c2sp.org/signed-note: every character below U+0020 but newline is refused; no other is."""
    for code in [*range(0x300), 0x7F, 0x85, 0x2028, 0xFEFF, 0x10FFFF]:
        ch = chr(code)
        if ch == "\n":
            continue
        text = f"o{ch}rigin\n1\n{ROOT}\n"
        if code < 0x20:
            with pytest.raises(VerificationError, match="checkpoint text contains a control character"):
                Checkpoint.parse(text)
        else:
            assert Checkpoint.parse(text).origin == f"o{ch}rigin"
