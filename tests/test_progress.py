"""Progress of a long operation: a bar redrawn on a terminal, plain lines elsewhere, nothing when quiet."""

from __future__ import annotations

import io

from adapters.app.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_is_redrawn_with_a_bar_count_total_and_rate() -> None:
    screen = Terminal()
    with Progress("verify", 4, stream=screen) as progress:
        progress._every = 0  # redraw at every step, not every tenth of a second
        progress.advance(2)
        progress.advance(2)
    drawn = screen.getvalue()
    assert drawn.startswith("\rverify: [###############...............] 2/4 (50%), ")
    assert "\rverify: [##############################] 4/4 (100%), " in drawn
    assert "/s, " in drawn
    assert drawn.endswith(" s\n") and drawn.count("\n") == 1


def test_elsewhere_it_writes_plain_lines_now_and_then() -> None:
    log = io.StringIO()
    with Progress("bundle export", 3, stream=log, line_every=0) as progress:
        progress.advance()
        progress.advance(2)
    lines = log.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "bundle export: 1/3 (33%)",
        "bundle export: 3/3 (100%)",
        "bundle export: 3/3 (100%)",
    ]
    assert "[" not in log.getvalue() and "\r" not in log.getvalue()


def test_without_a_total_it_counts_and_when_quiet_it_says_nothing() -> None:
    log = io.StringIO()
    with Progress("generating events", stream=log, line_every=0) as progress:
        progress.advance(5)
    assert log.getvalue().splitlines()[-1].startswith("generating events: 5, ")
    quiet = Progress.quiet()
    quiet.advance(10)
    quiet.finish()
    assert quiet.done == 10
