"""A store recorded before the modules moved into packages verifies and replays after the move.

`stores/before_layout.db.gz` is the demonstration's whole history (`reviewledger demo`) as the code
wrote it before domain/ and adapters/ were laid out by concept (issue 20), with the demo's two
key-encryption keys beside it. Events are stored under their stable type names, never a Python
class path, so the same bytes must read into the classes wherever they now live.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.app.records import OTHER_RECORDS, record_type_for
from adapters.store.verification import verify_ledger
from domain.kernel.event import event_type
from domain.routes.registry import ROUTES

STORES = Path(__file__).resolve().parent / "stores"
EVENTS = 280


@pytest.fixture
def before(tmp_path: Path) -> Iterator[Application]:
    """A copy of the store as it was written before the move, opened by today's code."""
    db = tmp_path / "before.db"
    with gzip.open(STORES / "before_layout.db.gz") as packed, db.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    for name in ("before_layout.kek", "before_layout.log-kek"):
        copy = tmp_path / name.replace("before_layout", "before")
        shutil.copyfile(STORES / name, copy)
        copy.chmod(0o600)  # the key store opens only a key file no one else may read
    app = Application(f"sqlite:///{db}", tmp_path / "before.kek", create_store=False)
    try:
        yield app
    finally:
        app.close()


def _summaries(app: Application) -> list[tuple[str, str, str, str, int]]:
    # The columns every schema of the read models has: the store's own were folded at an earlier schema.
    with app.db.reader.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT reference, route, stage, status, version FROM rl_view_reviews ORDER BY reference")
        ).all()
    return [(r.reference, r.route, r.stage, r.status, int(r.version)) for r in rows]


def test_the_store_written_before_the_move_verifies_intact(before: Application) -> None:
    report = verify_ledger(before.ledger)
    assert report.intact, report.as_json()["failures"]
    assert report.as_json()["events"] == EVENTS


def test_every_stored_event_reads_into_the_type_its_name_stands_for(before: Application) -> None:
    read = list(before.ledger.read_all(unseal=True))
    assert len(read) == EVENTS
    for recorded in read:
        assert recorded.altered is None, (recorded.stream, recorded.version)
        assert type(recorded.event) is event_type(recorded.type)
        assert type(recorded.event).__module__.startswith(
            ("domain.kernel.", "domain.routes.", "domain.governance.")
        )


def test_every_record_replays_to_the_version_it_was_stored_at(before: Application) -> None:
    streams: dict[str, int] = {}
    for recorded in before.ledger.read_all():
        streams[recorded.stream] = recorded.version
    kinds = set()
    for stream, version in streams.items():
        prefix = stream.split("-", 1)[0]
        if stream.startswith(("access-", "documents-")) or stream in ("registry", "retention"):
            continue
        record_type = (
            OTHER_RECORDS[prefix] if prefix in OTHER_RECORDS else record_type_for(before, stream, None)
        )
        kinds.add(record_type)
        assert before.load(record_type, stream).version == version, stream
    assert (
        set(ROUTES.values()) | {OTHER_RECORDS["subject"], OTHER_RECORDS["sar"], OTHER_RECORDS["foi"]} <= kinds
    )


def test_the_read_models_rebuilt_from_the_log_agree_with_those_folded_before_the_move(
    before: Application,
) -> None:
    folded_before = _summaries(before)
    assert len(folded_before) == 7
    assert before.projections.rebuild() == EVENTS
    assert _summaries(before) == folded_before
