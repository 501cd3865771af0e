"""audit.merkle against RFC 6962 §2.1 read aloud.

The reference below is the RFC's own recursive definitions, transcribed with list slices
and nothing clever: MTH (§2.1), PATH (§2.1.1) and PROOF / SUBPROOF (§2.1.2). Hypothesis
then builds logs of up to ~70 entries and asks whether the production code, which
streams, caches and verifies iteratively, tells the same story as the text.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit.errors import VerificationError
from audit.merkle import (
    CompactRange,
    LeafListSource,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

# ---------------------------------------------------------------- RFC 6962 §2.1, verbatim


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def largest_power_of_two_smaller_than(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """MTH(D[n]): SHA-256() for {}, SHA-256(0x00 || d(0)) for one entry, else split at k."""
    n = len(d)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return sha256(b"\x00" + d[0])
    k = largest_power_of_two_smaller_than(n)
    return sha256(b"\x01" + mth(d[0:k]) + mth(d[k:n]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""
    n = len(d)
    if n == 1:
        return []
    k = largest_power_of_two_smaller_than(n)
    if m < k:
        return [*path(m, d[0:k]), mth(d[k:n])]
    return [*path(m - k, d[k:n]), mth(d[0:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 6962 §2.1.2."""
    return subproof(m, d, True)


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = largest_power_of_two_smaller_than(n)
    if m <= k:
        return [*subproof(m, d[0:k], b), mth(d[k:n])]
    return [*subproof(m - k, d[k:n], False), mth(d[0:k])]


# ---------------------------------------------------------------- the logs Hypothesis writes

# Distinct entries: with duplicates, a proof for one position can honestly prove another.
logs = st.lists(st.binary(max_size=12), min_size=0, max_size=70, unique=True)
nonempty_logs = st.lists(st.binary(max_size=12), min_size=1, max_size=70, unique=True)

REFUSED = (
    r"does not match|is outside a tree|has more than the hashes|has too few hashes"
    r"|proof must be empty|larger than size2"
)


def flip_bit(hashes: list[bytes], item: int, bit: int) -> list[bytes]:
    changed = bytearray(hashes[item])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*hashes[:item], bytes(changed), *hashes[item + 1 :]]


class CountingSource:
    """A node source that counts how often the proof builders ask it for a hash."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.inner = LeafListSource(leaves)
        self.calls = 0

    def subtree_hash(self, start: int, end: int) -> bytes:
        self.calls += 1
        return self.inner.subtree_hash(start, end)


# ---------------------------------------------------------------- the story


@given(logs)
def test_every_way_of_computing_the_head_agrees_with_the_rfc(entries: list[bytes]) -> None:
    """Whether the log is hashed at once or streamed, its head is the RFC's MTH."""
    leaves = [leaf_hash(e) for e in entries]
    compact = CompactRange()
    for leaf in leaves:
        compact.append(leaf)
    assert compact.size == len(entries)
    assert root_of(leaves) == compact.root() == mth(entries)


@given(logs, st.data())
def test_a_persisted_right_edge_resumes_where_it_left_off(entries: list[bytes], data: st.DataObject) -> None:
    """The log stops after some entries, saves its right edge, restarts and carries on."""
    cut = data.draw(st.integers(0, len(entries)), label="cut")
    before = CompactRange()
    for e in entries[:cut]:
        before.append(leaf_hash(e))
    assert len(before.state()) == cut.bit_count()

    resumed = CompactRange.from_state(before.size, before.state())
    assert resumed.root() == mth(entries[:cut])
    for e in entries[cut:]:
        resumed.append(leaf_hash(e))
    assert resumed.root() == mth(entries)


@given(logs)
def test_each_append_gives_the_perfect_subtrees_it_completes(entries: list[bytes]) -> None:
    """A store of nodes keeps what each append completes: exactly the perfect subtrees, each its MTH."""
    compact = CompactRange()
    completed: set[tuple[int, int]] = set()
    for i, e in enumerate(entries):
        for level, index, node in compact.append(leaf_hash(e)):
            width = 1 << level
            assert (index + 1) * width == i + 1  # completed by this very leaf
            assert node == mth(entries[index * width : (index + 1) * width])
            completed.add((level, index))
    n = len(entries)
    assert completed == {(level, index) for level in range(1, n.bit_length()) for index in range(n >> level)}


def test_a_right_edge_with_the_wrong_number_of_subtrees_is_refused() -> None:
    """Size 3 is 0b11: two perfect subtrees, so one stored hash cannot describe it."""
    with pytest.raises(ValueError, match="a range of size 3 has 2 subtree roots, got 1"):
        CompactRange.from_state(3, [leaf_hash(b"x")])


@given(nonempty_logs, st.data())
def test_inclusion_proofs_are_the_rfc_path_and_verify(entries: list[bytes], data: st.DataObject) -> None:
    """Any entry's audit path is PATH(m, D[n]), and the auditor accepts it."""
    n = len(entries)
    m = data.draw(st.integers(0, n - 1), label="index")
    leaves = [leaf_hash(e) for e in entries]
    got = inclusion_proof(m, n, LeafListSource(leaves))
    assert got == path(m, entries)
    verify_inclusion(m, n, leaves[m], got, mth(entries))


@given(nonempty_logs, st.data())
def test_a_tampered_inclusion_proof_is_refused(entries: list[bytes], data: st.DataObject) -> None:
    """Flip one bit of one hash in the path, and the recomputed head no longer matches."""
    n = len(entries)
    m = data.draw(st.integers(0, n - 1), label="index")
    leaves = [leaf_hash(e) for e in entries]
    good = path(m, entries)
    if not good:
        return
    item = data.draw(st.integers(0, len(good) - 1), label="item")
    bit = data.draw(st.integers(0, 255), label="bit")
    with pytest.raises(VerificationError, match="inclusion proof does not match the root"):
        verify_inclusion(m, n, leaves[m], flip_bit(good, item, bit), mth(entries))


@given(nonempty_logs, st.data())
def test_an_inclusion_proof_for_the_wrong_index_or_size_is_refused(
    entries: list[bytes], data: st.DataObject
) -> None:
    """The entry and its path are genuine, but the claim about where or when is not."""
    total = len(entries)
    n = data.draw(st.integers(1, total), label="size")
    m = data.draw(st.integers(0, n - 1), label="index")
    leaf = leaf_hash(entries[m])
    good = path(m, entries[:n])

    other_index = data.draw(st.integers(0, total).filter(lambda i: i != m), label="other index")
    with pytest.raises(VerificationError, match=REFUSED):
        verify_inclusion(other_index, n, leaf, good, mth(entries[:n]))

    other_size = data.draw(st.integers(0, total).filter(lambda s: s != n), label="other size")
    with pytest.raises(VerificationError, match=REFUSED):
        verify_inclusion(m, other_size, leaf, good, mth(entries[:other_size]))


hashes = st.binary(min_size=32, max_size=32)


@given(nonempty_logs, st.data(), hashes)
def test_an_inclusion_proof_one_hash_too_long_or_short_is_refused(
    entries: list[bytes], data: st.DataObject, extra: bytes
) -> None:
    """The tree's shape fixes the path's length: one more or one fewer hash is refused."""
    n = len(entries)
    m = data.draw(st.integers(0, n - 1), label="index")
    leaf, good, root = leaf_hash(entries[m]), path(m, entries), mth(entries)
    with pytest.raises(VerificationError, match="has more than the hashes a tree of size"):
        verify_inclusion(m, n, leaf, [*good, extra], root)
    if good:
        with pytest.raises(VerificationError, match=r"has too few hashes \(\d+\) for leaf"):
            verify_inclusion(m, n, leaf, good[:-1], root)


@given(nonempty_logs, st.data(), hashes)
def test_a_genuine_inclusion_proof_against_a_wrong_head_is_refused(
    entries: list[bytes], data: st.DataObject, wrong: bytes
) -> None:
    """The path is real, but the head the auditor compares it with is not this log's."""
    n = len(entries)
    m = data.draw(st.integers(0, n - 1), label="index")
    assume(wrong != mth(entries))
    with pytest.raises(VerificationError, match="inclusion proof does not match the root"):
        verify_inclusion(m, n, leaf_hash(entries[m]), path(m, entries), wrong)


@given(nonempty_logs, st.data())
def test_consistency_proofs_are_the_rfc_proof_and_verify(entries: list[bytes], data: st.DataObject) -> None:
    """Between any earlier head and the current one, the proof is PROOF(m, D[n]) and holds."""
    n = len(entries)
    m = data.draw(st.integers(1, n), label="size1")
    leaves = [leaf_hash(e) for e in entries]
    got = consistency_proof(m, n, LeafListSource(leaves))
    assert got == proof(m, entries)
    verify_consistency(m, n, got, mth(entries[:m]), mth(entries))


@given(nonempty_logs, st.data())
def test_a_tampered_consistency_proof_is_refused(entries: list[bytes], data: st.DataObject) -> None:
    """Flip one bit of one hash in a consistency proof, and the heads no longer follow."""
    n = len(entries)
    m = data.draw(st.integers(1, n), label="size1")
    good = proof(m, entries)
    if not good:
        return
    item = data.draw(st.integers(0, len(good) - 1), label="item")
    bit = data.draw(st.integers(0, 255), label="bit")
    with pytest.raises(VerificationError, match=r"consistency proof does not match root[12]"):
        verify_consistency(m, n, flip_bit(good, item, bit), mth(entries[:m]), mth(entries))


@given(st.lists(st.binary(max_size=12), min_size=2, max_size=70, unique=True), st.data(), hashes)
def test_a_consistency_proof_one_hash_too_long_or_short_is_refused(
    entries: list[bytes], data: st.DataObject, extra: bytes
) -> None:
    """Both sizes fix the proof's length: one more or one fewer hash is refused."""
    n = len(entries)
    m = data.draw(st.integers(1, n - 1), label="size1")
    good, root1, root2 = proof(m, entries), mth(entries[:m]), mth(entries)
    with pytest.raises(VerificationError, match="has more than the hashes sizes"):
        verify_consistency(m, n, [*good, extra], root1, root2)
    short = r"has too few hashes \(\d+\) for sizes|is empty but size1 < size2"
    with pytest.raises(VerificationError, match=short):
        verify_consistency(m, n, good[:-1], root1, root2)


@given(st.lists(st.binary(max_size=12), min_size=2, max_size=70, unique=True), st.data(), hashes)
def test_a_genuine_consistency_proof_against_a_wrong_head_is_refused(
    entries: list[bytes], data: st.DataObject, wrong: bytes
) -> None:
    """The proof is real, but one of the heads the auditor holds is not this log's."""
    n = len(entries)
    m = data.draw(st.integers(1, n - 1), label="size1")
    good, root1, root2 = proof(m, entries), mth(entries[:m]), mth(entries)
    assume(wrong not in (root1, root2))
    with pytest.raises(VerificationError, match=r"consistency proof does not match root[12]"):
        verify_consistency(m, n, good, wrong, root2)
    with pytest.raises(VerificationError, match="consistency proof does not match root2"):
        verify_consistency(m, n, good, root1, wrong)


@given(st.lists(st.binary(max_size=12), min_size=2, max_size=70, unique=True), st.data())
def test_a_consistency_proof_for_the_wrong_sizes_is_refused(
    entries: list[bytes], data: st.DataObject
) -> None:
    """A genuine proof presented for other sizes, even with the genuine heads of those sizes."""
    total = len(entries)
    n = data.draw(st.integers(2, total), label="size2")
    m = data.draw(st.integers(1, n - 1), label="size1")
    good = proof(m, entries[:n])

    other_m = data.draw(st.integers(1, n).filter(lambda s: s != m), label="other size1")
    with pytest.raises(VerificationError, match=REFUSED):
        verify_consistency(other_m, n, good, mth(entries[:other_m]), mth(entries[:n]))

    other_n = data.draw(st.integers(m, total).filter(lambda s: s != n), label="other size2")
    with pytest.raises(VerificationError, match=REFUSED):
        verify_consistency(m, other_n, good, mth(entries[:m]), mth(entries[:other_n]))


def test_a_consistency_proof_from_the_empty_tree_is_always_refused() -> None:
    """Size 0 is consistent with everything, so a proof from it says nothing: refuse it."""
    empty = mth([])
    with pytest.raises(VerificationError, match=r"from the empty tree \(size1 = 0\) is refused"):
        verify_consistency(0, 0, [], empty, empty)
    with pytest.raises(VerificationError, match=r"from the empty tree \(size1 = 0\) is refused"):
        verify_consistency(0, 1, [], empty, mth([b"a"]))


def test_impossible_proof_requests_are_refused() -> None:
    """The RFC defines PATH only for 0 <= m < n and PROOF only for 0 < m <= n."""
    source = LeafListSource([leaf_hash(b"a"), leaf_hash(b"b")])
    with pytest.raises(ValueError, match="leaf index 2 is not in a tree of size 2"):
        inclusion_proof(2, 2, source)
    with pytest.raises(ValueError, match="leaf index -1 is not in a tree of size 2"):
        inclusion_proof(-1, 2, source)
    with pytest.raises(ValueError, match="size1 must be positive, got 0"):
        consistency_proof(0, 2, source)
    with pytest.raises(ValueError, match=r"size1 \(2\) is larger than size2 \(1\)"):
        consistency_proof(2, 1, source)


@settings(max_examples=50)
@given(st.integers(1, 5000), st.data())
def test_proofs_ask_the_node_source_only_logarithmically_often(n: int, data: st.DataObject) -> None:
    """A database-backed source answers one query per proof hash, never one per leaf."""
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    m = data.draw(st.integers(0, n - 1), label="index")
    source = CountingSource(leaves)
    got = inclusion_proof(m, n, source)
    assert source.calls == len(got) <= (n - 1).bit_length()

    size1 = data.draw(st.integers(1, n), label="size1")
    source = CountingSource(leaves)
    got = consistency_proof(size1, n, source)
    assert source.calls == len(got) <= (n - 1).bit_length() + 1
