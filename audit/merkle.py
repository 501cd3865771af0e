"""Merkle tree hashing, proofs and proof verification over SHA-256.

The definitions follow RFC 6962 §2.1 and its successor RFC 9162 §2.1 word for word:
MTH for the tree head, PATH for inclusion proofs, SUBPROOF for consistency proofs, and
the verification algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.

Verifiers raise VerificationError and never return a boolean.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from audit.errors import VerificationError

# RFC 6962 §2.1: leaf prefix, MTH({d(0)}) = SHA-256(0x00 || d(0)).
LEAF_PREFIX = b"\x00"
# RFC 6962 §2.1: interior node prefix, SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
NODE_PREFIX = b"\x01"
# RFC 6962 §2.1: the hash algorithm is SHA-256, whose output is 32 bytes.
HASH_SIZE = 32
# RFC 6962 §2.1: the hash of an empty list is the hash of an empty string, MTH({}) = SHA-256().
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Return the leaf hash SHA-256(0x00 || data) of one leaf input (RFC 6962 §2.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the interior node hash SHA-256(0x01 || left || right) (RFC 6962 §2.1).

    Checks that both children are HASH_SIZE bytes long; raises ValueError otherwise.
    """
    _require_hash_size(left, "left child")
    _require_hash_size(right, "right child")
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _require_hash_size(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ValueError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}")


def _split_point(n: int) -> int:
    """RFC 6962 §2.1: k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return MTH of a list of already-hashed leaves (RFC 6962 §2.1).

    Checks that every leaf hash is HASH_SIZE bytes long; raises ValueError otherwise.
    Returns EMPTY_ROOT for an empty list.
    """
    for position, value in enumerate(leaf_hashes, start=1):
        _require_hash_size(value, f"leaf hash {position}")
    if not leaf_hashes:
        return EMPTY_ROOT
    return _mth(leaf_hashes, 0, len(leaf_hashes))


def _mth(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    n = end - start
    if n == 1:
        return leaf_hashes[start]
    k = _split_point(n)
    return node_hash(_mth(leaf_hashes, start, start + k), _mth(leaf_hashes, start + k, end))


class CompactRange:
    """Streaming tree head over leaf hashes appended one at a time, in O(log n) memory.

    The state is the list of roots of the perfect subtrees that make up the tree so far,
    largest (leftmost) first: one per set bit of the size.
    """

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @classmethod
    def from_state(cls, size: int, hashes: Sequence[bytes]) -> CompactRange:
        """Rebuild a range from a persisted (size, state()) pair.

        Checks that size is non-negative, that there is exactly one hash per set bit of
        size, and that every hash is HASH_SIZE bytes long; raises ValueError otherwise.
        """
        if size < 0:
            raise ValueError(f"size must be non-negative, got {size}")
        expected = size.bit_count()
        if len(hashes) != expected:
            raise ValueError(f"a range of size {size} has {expected} subtree roots, got {len(hashes)}")
        for position, value in enumerate(hashes, start=1):
            _require_hash_size(value, f"subtree root {position}")
        compact = cls()
        compact._size = size
        compact._hashes = list(hashes)
        return compact

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    def state(self) -> list[bytes]:
        """Return a copy of the perfect-subtree roots, largest first, for persisting."""
        return list(self._hashes)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf hash; checks it is HASH_SIZE bytes long (ValueError otherwise).

        Returns the perfect subtrees this leaf completes, smallest first, as (level, index,
        hash): the subtree of the 2**level leaves from leaf index * 2**level on, whose hash is
        MTH of those leaves. A store of tree nodes keeps them to answer proofs.
        """
        _require_hash_size(leaf_hash, "leaf hash")
        position = self._size
        self._hashes.append(leaf_hash)
        self._size += 1
        completed: list[tuple[int, int, bytes]] = []
        merges, level = self._size, 0
        while merges & 1 == 0:
            right = self._hashes.pop()
            left = self._hashes.pop()
            node = node_hash(left, right)
            self._hashes.append(node)
            merges >>= 1
            level += 1
            completed.append((level, position >> level, node))
        return completed

    def root(self) -> bytes:
        """Return MTH of the leaves appended so far (EMPTY_ROOT when there are none)."""
        return root_of_subtrees(self._hashes)


def root_of_subtrees(hashes: Sequence[bytes]) -> bytes:
    """Return MTH from the roots of a compact range's perfect subtrees, largest first.

    The tree's root folds them from the right (RFC 6962 §2.1: each split is at the largest
    power of two); EMPTY_ROOT when there are none.
    """
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


class NodeSource(Protocol):
    """Anything that can produce the hash of a run of leaves, e.g. stored tree nodes."""

    def subtree_hash(self, start: int, end: int) -> bytes:
        """Return MTH(D[start:end]), the hash of leaves [start, end)."""
        ...


class LeafListSource(NodeSource):
    """NodeSource over an in-memory list of leaf hashes, caching perfect subtrees."""

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        """Checks that every leaf hash is HASH_SIZE bytes long; raises ValueError otherwise."""
        for position, value in enumerate(leaf_hashes, start=1):
            _require_hash_size(value, f"leaf hash {position}")
        self._leaves = list(leaf_hashes)
        self._perfect: dict[tuple[int, int], bytes] = {}

    @property
    def size(self) -> int:
        """The number of leaves in the list."""
        return len(self._leaves)

    def subtree_hash(self, start: int, end: int) -> bytes:
        """Return MTH(D[start:end]); checks 0 <= start <= end <= size (ValueError otherwise)."""
        if not 0 <= start <= end <= len(self._leaves):
            raise ValueError(f"range [{start}, {end}) is outside a list of {len(self._leaves)}")
        if start == end:
            return EMPTY_ROOT
        return self._hash(start, end)

    def _hash(self, start: int, end: int) -> bytes:
        n = end - start
        if n == 1:
            return self._leaves[start]
        perfect = _is_power_of_two(n) and start % n == 0
        if perfect and (start, end) in self._perfect:
            return self._perfect[(start, end)]
        k = _split_point(n)
        value = node_hash(self._hash(start, start + k), self._hash(start + k, end))
        if perfect:
            self._perfect[(start, end)] = value
        return value


def inclusion_proof(index: int, size: int, source: NodeSource) -> list[bytes]:
    """Return PATH(index, D[size]) (RFC 9162 §2.1.3.1), the audit path of one leaf.

    Checks 0 <= index < size; raises ValueError otherwise. Calls source.subtree_hash once
    per proof element, so O(log size) times.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    return _path(index, 0, size, source)


def _path(m: int, start: int, end: int, source: NodeSource) -> list[bytes]:
    """PATH(m, D[start:end]) of RFC 9162 §2.1.3.1."""
    n = end - start
    if n == 1:
        return []
    k = _split_point(n)
    if m < k:
        return [*_path(m, start, start + k, source), source.subtree_hash(start + k, end)]
    return [*_path(m - k, start + k, end, source), source.subtree_hash(start, start + k)]


def consistency_proof(size1: int, size2: int, source: NodeSource) -> list[bytes]:
    """Return PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) (RFC 9162 §2.1.4.1).

    Checks 0 < size1 <= size2; raises ValueError otherwise (equal sizes give the empty
    proof, SUBPROOF(m, D[m], true) = {}). Calls source.subtree_hash once per proof
    element, so O(log size2) times.
    """
    if size1 <= 0:
        raise ValueError(f"size1 must be positive, got {size1}")
    if size1 > size2:
        raise ValueError(f"size1 ({size1}) is larger than size2 ({size2})")
    return _subproof(size1, 0, size2, True, source)


def _subproof(m: int, start: int, end: int, b: bool, source: NodeSource) -> list[bytes]:
    """SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1."""
    n = end - start
    if m == n:
        return [] if b else [source.subtree_hash(start, end)]
    k = _split_point(n)
    if m <= k:
        return [*_subproof(m, start, start + k, b, source), source.subtree_hash(start + k, end)]
    return [
        *_subproof(m - k, start + k, end, False, source),
        source.subtree_hash(start, start + k),
    ]


def _check_hash(value: bytes, what: str, position: int | None = None) -> None:
    if len(value) != HASH_SIZE:
        raise VerificationError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}", position=position)


def verify_inclusion(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Verify that leaf_hash is leaf `index` of the tree of `size` leaves with head `root`.

    RFC 9162 §2.1.3.2. Checks that 0 <= index < size, that every hash is HASH_SIZE bytes,
    that the proof has exactly the length the tree shape needs, and that the recomputed
    root equals `root`. Raises VerificationError (position = index + 1) on any failure.
    """
    position = index + 1 if index >= 0 else None
    if index < 0 or index >= size:
        raise VerificationError(f"leaf index {index} is outside a tree of size {size}", position=position)
    _check_hash(leaf_hash, "leaf hash", position)
    _check_hash(root, "root", position)
    for number, p in enumerate(proof, start=1):
        _check_hash(p, f"inclusion proof hash {number}", position)

    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise VerificationError(
                f"inclusion proof has more than the hashes a tree of size {size} needs ({len(proof)} given)",
                position=position,
            )
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
    if sn != 0:
        raise VerificationError(
            f"inclusion proof has too few hashes ({len(proof)}) for leaf {index} in a tree of size {size}",
            position=position,
        )
    if r != root:
        raise VerificationError(
            "inclusion proof does not match the root: recomputed root differs",
            position=position,
        )


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Verify that the tree of size2 with head root2 extends the tree of size1 with root1.

    RFC 9162 §2.1.4.2. Checks 0 < size1 <= size2 (a proof from the empty tree proves
    nothing and is refused), that every hash is HASH_SIZE bytes, that equal sizes come
    with an empty proof and equal roots, that the proof has exactly the length the tree
    shapes need, and that both recomputed roots match. Raises VerificationError.
    """
    if size1 < 0 or size2 < 0:
        raise VerificationError(f"tree sizes must be non-negative, got {size1} and {size2}")
    if size1 > size2:
        raise VerificationError(f"size1 ({size1}) is larger than size2 ({size2})")
    if size1 == 0:
        raise VerificationError("consistency proof from the empty tree (size1 = 0) is refused")
    _check_hash(root1, "root1")
    _check_hash(root2, "root2")
    for number, c in enumerate(proof, start=1):
        _check_hash(c, f"consistency proof hash {number}")

    if size1 == size2:
        if proof:
            raise VerificationError(
                f"sizes are equal, so the consistency proof must be empty ({len(proof)} given)"
            )
        if root1 != root2:
            raise VerificationError("sizes are equal but root1 does not match root2")
        return

    # RFC 9162 §2.1.4.2 step 1.
    if not proof:
        raise VerificationError("consistency proof is empty but size1 < size2")
    # Step 2.
    path = [root1, *proof] if _is_power_of_two(size1) else list(proof)
    # Steps 3 and 4.
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = path[0]
    # Step 6.
    for c in path[1:]:
        if sn == 0:
            raise VerificationError(
                f"consistency proof has more than the hashes sizes {size1} -> {size2} need "
                f"({len(proof)} given)"
            )
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
        raise VerificationError(
            f"consistency proof has too few hashes ({len(proof)}) for sizes {size1} -> {size2}"
        )
    if fr != root1:
        raise VerificationError("consistency proof does not match root1: recomputed root differs")
    if sr != root2:
        raise VerificationError("consistency proof does not match root2: recomputed root differs")
