"""An envelope's time has one written form: RFC 3339 UTC with microseconds and a Z."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.envelope import NO_PREVIOUS, Envelope, format_time, sha256
from audit.errors import VerificationError

_OFFSETS = st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_OFFSETS))
def test_the_written_time_is_exactly_strftime_of_the_utc_time(moment: datetime) -> None:
    assert format_time(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_time(datetime(2026, 1, 28, 9, 0))


def _envelope_at(text: str) -> bytes:
    honest = Envelope(
        origin="council.example/reviews",
        stream="LR-2026-001",
        version=1,
        previous=NO_PREVIOUS,
        type="national.notification-received",
        time=datetime(2026, 1, 28, 9, 0, 0, 123456, tzinfo=UTC),
        actor="cpc-officer",
        key="58f0d17f2bd7dfbe",
        payload=sha256(b"{}"),
        sealed=None,
        commitment=None,
    ).to_bytes()
    return honest.replace(b"2026-01-28T09:00:00.123456Z", text.encode())


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)))
def test_an_envelope_gives_back_the_time_it_was_written_with(moment: datetime) -> None:
    assert Envelope.parse(_envelope_at(format_time(moment))).time == moment


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0999-01-28T09:00:00.123456Z", "envelope: is not in canonical form"),
        ("2026-02-30T09:00:00.123456Z", "envelope: time is not a real date and time"),
        ("2026-01-28T24:00:00.123456Z", "envelope: time is not a real date and time"),
    ],
)
def test_a_time_that_is_not_a_real_or_canonical_one_is_refused(text: str, problem: str) -> None:
    with pytest.raises(VerificationError) as refused:
        Envelope.parse(_envelope_at(text))
    assert str(refused.value) == problem
