"""The log's stored tree grows by audit.merkle's compact range: its heads are the published RFC 6962 roots.

adapters/store/tree.py keeps the right edge of the tree beside the event table and adds each
event's leaf to it; the hashing is audit.merkle's, so the heads it signs are those the vectors
list, and the nodes it stores are the perfect subtrees' MTH.
"""

from __future__ import annotations

from adapters.store.tree import TreeState, append_leaf, root_of_frontier
from audit.merkle import EMPTY_ROOT, leaf_hash, root_of
from tests.audit.test_merkle_vectors import RFC6962, load, require_vectors


def test_the_stored_right_edge_gives_the_published_root_after_each_leaf() -> None:
    require_vectors()
    table = load(RFC6962 / "roots.json")
    leaves = [leaf_hash(bytes.fromhex(data)) for data in table["leaf_inputs_hex"]]
    roots = [bytes.fromhex(root) for root in table["root_hashes_hex_by_tree_size"]]
    assert roots[0] == EMPTY_ROOT == root_of_frontier([])
    frontier: list[bytes] = []
    for n, leaf in enumerate(leaves):
        for level, index, node in append_leaf(n, frontier, leaf):
            assert node == root_of(leaves[index << level : (index + 1) << level])
        assert root_of_frontier(frontier) == roots[n + 1], f"tree of {n + 1} leaves"
        assert TreeState(n + 1, n + 1, list(frontier)).root() == roots[n + 1]


def test_a_state_resumed_from_the_table_appends_where_it_left_off() -> None:
    require_vectors()
    table = load(RFC6962 / "roots.json")
    leaves = [leaf_hash(bytes.fromhex(data)) for data in table["leaf_inputs_hex"]]
    roots = [bytes.fromhex(root) for root in table["root_hashes_hex_by_tree_size"]]
    frontier: list[bytes] = []
    for n, leaf in enumerate(leaves[:5]):
        append_leaf(n, frontier, leaf)
    compact = TreeState(5, 5, frontier).compact_range()
    for leaf in leaves[5:]:
        compact.append(leaf)
    assert compact.root() == roots[len(leaves)]
