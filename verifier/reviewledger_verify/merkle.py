"""RFC 6962 / RFC 9162 Merkle proofs, checked step by step as the RFC writes them."""

from __future__ import annotations

from collections.abc import Sequence

from reviewledger_verify.failure import Failure, sha256, strict_b64decode

# -- RFC 6962 / RFC 9162 Merkle trees --------------------------------------------------------

# RFC 6962 §2.1: leaf hash = SHA-256(0x00 || leaf input).
LEAF_PREFIX = b"\x00"
# RFC 6962 §2.1: interior node hash = SHA-256(0x01 || left || right).
NODE_PREFIX = b"\x01"
# RFC 6962 §2.1: SHA-256 output size.
HASH_SIZE = 32


def leaf_hash(leaf_input: bytes) -> bytes:
    """RFC 6962 §2.1: MTH({d}) = SHA-256(0x00 || d)."""
    return sha256(LEAF_PREFIX + leaf_input)


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 §2.1: SHA-256(0x01 || left || right)."""
    return sha256(NODE_PREFIX + left + right)


def verify_inclusion(index: int, size: int, hash_: bytes, path: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2, step by step; Failure (position index + 1) when the proof does not hold."""
    position = index + 1
    if any(len(h) != HASH_SIZE for h in (hash_, root, *path)):
        raise Failure(f"inclusion proof holds a hash that is not {HASH_SIZE} bytes", position)
    # Step 1.
    if not 0 <= index < size:
        raise Failure(f"inclusion proof: leaf index {index} is outside a tree of size {size}", position)
    # Steps 2 and 3.
    fn, sn, r = index, size - 1, hash_
    # Step 4.
    for p in path:
        if sn == 0:
            raise Failure(f"inclusion proof has more hashes than a tree of size {size} needs", position)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    # Step 5.
    if sn != 0:
        raise Failure(f"inclusion proof has too few hashes for a tree of size {size}", position)
    if r != root:
        raise Failure("inclusion proof does not lead to the checkpoint's root hash", position)


def verify_consistency(
    first: int, second: int, path: Sequence[bytes], first_hash: bytes, second_hash: bytes
) -> None:
    """RFC 9162 §2.1.4.2, step by step; a proof from the empty tree is refused unless both are empty."""
    if any(len(h) != HASH_SIZE for h in (first_hash, second_hash, *path)):
        raise Failure(f"consistency proof holds a hash that is not {HASH_SIZE} bytes")
    if not 0 <= first <= second:
        raise Failure(f"consistency proof: size {first} is not between 0 and {second}")
    if first == second:
        if path:
            raise Failure("consistency proof between equal sizes must be empty")
        if first_hash != second_hash:
            raise Failure(f"the two checkpoints of size {first} have different root hashes: the log forked")
        return
    if first == 0:
        raise Failure("a consistency proof from the empty tree (size 0) proves nothing and is refused")
    # Step 1.
    if not path:
        raise Failure(f"consistency proof from size {first} to {second} is empty")
    # Step 2.
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    # Steps 3 and 4.
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = path[0]
    # Step 6.
    for c in path[1:]:
        if sn == 0:
            raise Failure(f"consistency proof has more hashes than sizes {first} to {second} need")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # Step 7.
    if sn != 0:
        raise Failure(f"consistency proof has too few hashes for sizes {first} to {second}")
    if fr != first_hash:
        raise Failure(f"consistency proof does not lead to the root hash of the checkpoint at size {first}")
    if sr != second_hash:
        raise Failure(f"consistency proof does not lead to the bundle checkpoint's root hash (size {second})")


def parse_proof_lines(data: bytes, what: str) -> list[bytes]:
    """A proof file: one base64 SHA-256 hash per line, each line ending in a newline."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise Failure(f"{what} is not ASCII text") from None
    if text and not text.endswith("\n"):
        raise Failure(f"{what} does not end with a newline")
    hashes = [strict_b64decode(line, f"{what} line {n}") for n, line in enumerate(text.splitlines(), 1)]
    if any(len(h) != HASH_SIZE for h in hashes):
        raise Failure(f"{what} holds a hash that is not {HASH_SIZE} bytes")
    return hashes
