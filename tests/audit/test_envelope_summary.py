"""An envelope's summary (for display and read models) says what the strict parse says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from audit.envelope import NO_PREVIOUS, Envelope, sha256, summary
from audit.errors import VerificationError


def _envelope(*, sealed: bool) -> bytes:
    return Envelope(
        origin="council.example/reviews",
        stream="LR-2026-001",
        version=7,
        previous=NO_PREVIOUS,
        type="national.recommendation-made",
        time=datetime(2026, 1, 28, 9, 0, 0, 123456, tzinfo=UTC),
        actor="cpc-officer",
        key="58f0d17f2bd7dfbe",
        payload=sha256(b"{}"),
        sealed=sha256(b"ciphertext") if sealed else None,
        commitment=sha256(b"commitment") if sealed else None,
    ).to_bytes()


@pytest.mark.parametrize("sealed", [True, False])
def test_the_summary_reads_the_same_fields_as_the_strict_parse(sealed: bool) -> None:
    data = _envelope(sealed=sealed)
    parsed = Envelope.parse(data)
    found = summary(data)
    assert (found.stream, found.version, found.type, found.time, found.actor, found.key) == (
        parsed.stream,
        parsed.version,
        parsed.type,
        parsed.time,
        parsed.actor,
        parsed.key,
    )
    assert found.sealed is sealed


def test_a_summary_of_something_that_is_not_an_envelope_is_refused() -> None:
    with pytest.raises(VerificationError, match="envelope: has 2 fields, expected 11"):
        summary(b"reviewledger/event/v1\norigin x\nstream y\n")
