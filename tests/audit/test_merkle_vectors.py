"""The published RFC 6962 test vectors, replayed against audit.merkle.

An auditor receives a proof from the log and checks it. These files were written by
someone else (transparency-dev/merkle) so that every implementation hears the same
questions: each honest proof must be accepted, and each tampered one refused.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

from audit.errors import VerificationError
from audit.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    CompactRange,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
RFC6962 = VECTORS / "rfc6962"

# Every way verify_inclusion / verify_consistency can refuse, by its message.
INCLUSION_REFUSALS = (
    r"is outside a tree|must be 32 bytes|has more than the hashes|has too few hashes"
    r"|does not match the root"
)
CONSISTENCY_REFUSALS = (
    r"larger than size2|from the empty tree .* is refused|must be 32 bytes"
    r"|proof must be empty|root1 does not match root2|is empty but size1 < size2"
    r"|has more than the hashes|has too few hashes|does not match root[12]"
)


def require_vectors() -> None:
    """Skip when the shared vectors are absent, unless running in CI, where that fails."""
    if RFC6962.is_dir():
        return
    message = f"RFC 6962 test vectors not found at {RFC6962}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI=true requires them")
    pytest.skip(message)


def vector_params(kind: str) -> list[Any]:
    """One pytest param per vector file, with its path under rfc6962/ as the test id."""
    folder = RFC6962 / kind
    files = sorted(folder.rglob("*.json")) if folder.is_dir() else []
    if not files:
        return [pytest.param(None, id=f"{kind}-vectors-missing")]
    return [pytest.param(path, id=path.relative_to(RFC6962).as_posix()) for path in files]


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def proof_of(case: dict[str, Any]) -> list[bytes]:
    """The proof field is a list of base64 hashes, or null for an empty proof."""
    return [b64(item) for item in case["proof"] or []]


def hashes_in(case: dict[str, Any], *fields: str) -> list[bytes]:
    return [b64(case[field]) for field in fields] + proof_of(case)


def check_inclusion(case: dict[str, Any]) -> None:
    verify_inclusion(
        case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof_of(case), b64(case["root"])
    )


def check_consistency(case: dict[str, Any]) -> None:
    verify_consistency(case["size1"], case["size2"], proof_of(case), b64(case["root1"]), b64(case["root2"]))


@pytest.mark.parametrize("path", vector_params("inclusion"))
def test_inclusion_vector(path: Path | None) -> None:
    """A leaf's audit path is checked exactly as the vector file says it should turn out."""
    require_vectors()
    assert path is not None, "the inclusion vector folder holds no files"
    case = load(path)
    if case["wantErr"]:
        with pytest.raises(VerificationError, match=INCLUSION_REFUSALS):
            check_inclusion(case)
    else:
        check_inclusion(case)


@pytest.mark.parametrize("path", vector_params("consistency"))
def test_consistency_vector(path: Path | None) -> None:
    """Two tree heads are checked for consistency exactly as the vector file says.

    One upstream file that expects success ("sizes are equal (one) and proof is empty")
    uses 12-byte placeholders instead of real roots. This verifier refuses any hash that is
    not a SHA-256 output, so for such files the story ends with a hash-size refusal; every
    happy path, and every file that expects an error, is held to the vector.
    """
    require_vectors()
    assert path is not None, "the consistency vector folder holds no files"
    case = load(path)
    if case["wantErr"]:
        with pytest.raises(VerificationError, match=CONSISTENCY_REFUSALS):
            check_consistency(case)
    elif all(len(h) == HASH_SIZE for h in hashes_in(case, "root1", "root2")):
        check_consistency(case)
    else:
        assert path.name != "happy-path.json"
        with pytest.raises(VerificationError, match=rf"must be {HASH_SIZE} bytes"):
            check_consistency(case)


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_vector_folders_hold_both_honest_and_tampered_proofs(kind: str) -> None:
    """Before trusting the replays, make sure there is something to replay in each folder."""
    require_vectors()
    cases = [load(path) for path in sorted((RFC6962 / kind).rglob("*.json"))]
    honest = list((RFC6962 / kind).rglob("happy-path.json"))
    assert honest, f"no happy-path.json under {kind}"
    assert any(case["wantErr"] for case in cases), f"no wantErr vectors under {kind}"


def test_roots_of_the_first_n_leaves_match_the_published_roots() -> None:
    """The log grows leaf by leaf; after each of 0..8 leaves its head is the listed root."""
    require_vectors()
    table = load(RFC6962 / "roots.json")
    leaves = [leaf_hash(bytes.fromhex(data)) for data in table["leaf_inputs_hex"]]
    roots = [bytes.fromhex(root) for root in table["root_hashes_hex_by_tree_size"]]
    assert len(roots) == len(leaves) + 1
    assert roots[0] == EMPTY_ROOT

    compact = CompactRange()
    for n, expected in enumerate(roots):
        assert root_of(leaves[:n]) == expected, f"root_of over {n} leaves"
        assert compact.size == n
        assert compact.root() == expected, f"CompactRange over {n} leaves"
        if n < len(leaves):
            compact.append(leaves[n])
