"""Several processes writing to one store at once: nothing lost, nothing doubled, the log intact.

Real writer processes (tests/integration/writer_process.py) work on one SQLite file and on
one PostgreSQL database at the same time, on the same review and on reviews of their own,
retrying every step that someone else's step overtook.
"""

from __future__ import annotations

import pytest

from adapters.application import retrying
from domain.errors import ConcurrentChange


def test_a_step_overtaken_by_someone_else_is_run_again_until_it_goes_through() -> None:
    attempts: list[int] = []

    def step() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise ConcurrentChange("NLR-2026-001")
        return "recorded"

    assert retrying(step) == "recorded"
    assert attempts == [1, 2, 3]


def test_a_step_that_keeps_conflicting_gives_up_with_the_conflict() -> None:
    def step() -> str:
        raise ConcurrentChange("NLR-2026-001")

    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        retrying(step, attempts=3)
