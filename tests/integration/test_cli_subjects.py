"""The register of data subjects from the command line: add, amend, list and show, each read logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def base(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A log with an administrator, a protection committee officer and a COG member."""
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    assert _run(capsys, *base, "init")[0] == 0
    for actor, role, by in (
        ("admin", "administrator", "log"),
        ("officer", "cpc_officer", "admin"),
        ("cog", "cog", "admin"),
    ):
        assert (
            _run(capsys, *base, "people", "add", actor, "--name", f"The {role}", "--role", role, "--as", by)[
                0
            ]
            == 0
        )
    return base


def _add_mother(base: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys,
        *base,
        "subjects",
        "add",
        "S-mother",
        "--category",
        "parent_carer",
        "--name",
        "Dawn Rendall",
        "--also-known-as",
        "Dawn Flett",
        "--date-of-birth",
        "1994-06-03",
        "--address",
        "12 Harbour Street, Kirkwall, KW15 1AB",
        "--as",
        "officer",
    )
    assert (code, err) == (0, "")
    assert out == "registered S-mother (parent_carer) (version 1)\n"


def test_a_subject_is_registered_amended_and_shown_as_their_identifiers_now_hold(
    base: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _add_mother(base, capsys)
    code, out, err = _run(
        capsys,
        *base,
        "subjects",
        "amend",
        "S-mother",
        "--reason",
        "moved to Stromness",
        "--address",
        "4 Victoria Street, Stromness, KW16 3AA",
        "--clear",
        "other_names",
        "--record-number",
        "SW-77120",
        "--as",
        "officer",
    )
    assert (code, err) == (0, "")
    assert out == "amended addresses, other_names, record_numbers of S-mother (version 2)\n"
    code, out, _ = _run(capsys, *base, "subjects", "show", "S-mother", "--as", "officer", "--json")
    shown = json.loads(out)
    assert code == 0
    assert shown["name"] == "Dawn Rendall"
    assert shown["other_names"] == []
    assert shown["addresses"] == ["4 Victoria Street, Stromness, KW16 3AA"]
    assert shown["dates_of_birth"] == ["1994-06-03"]
    assert shown["record_numbers"] == ["SW-77120"]
    assert shown["amendments"] == 1
    code, out, _ = _run(capsys, *base, "subjects", "show", "S-mother", "--as", "officer")
    assert code == 0
    assert out.splitlines() == [
        "S-mother (parent_carer)",
        "  name: Dawn Rendall",
        "  dates of birth: 1994-06-03",
        "  addresses: 4 Victoria Street, Stromness, KW16 3AA",
        "  record numbers: SW-77120",
        "  amendments: 1",
    ]
    # Each read of her identifiers is signed into the officer's access log, naming her, never her data.
    code, out, _ = _run(capsys, *base, "access-log", "--subject", "S-mother", "--json")
    reads = json.loads(out)
    assert code == 0 and len(reads) == 2
    assert {(r["reader"], r["record"], r["purpose"], r["view"]) for r in reads} == {
        ("officer", "subject-S-mother", "register", "register")
    }
    assert "Dawn" not in out and "Harbour" not in out


def test_the_list_shows_names_only_to_those_who_keep_the_register(
    base: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _add_mother(base, capsys)
    code, out, _ = _run(capsys, *base, "subjects", "list", "--as", "officer")
    assert code == 0 and out.split() == ["S-mother", "parent_carer", "0", "amendments", "Dawn", "Rendall"]
    code, out, _ = _run(capsys, *base, "subjects", "list", "--as", "cog", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "subject_id": "S-mother",
            "category": "parent_carer",
            "amendments": 0,
            "disposed": False,
            "name": None,
            "other_names": [],
            "dates_of_birth": [],
            "addresses": [],
            "schools": [],
            "record_numbers": [],
        }
    ]
    code, out, _ = _run(capsys, *base, "access-log", "--actor", "cog", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, err = _run(capsys, *base, "subjects", "show", "S-mother", "--as", "cog")
    assert code == 2 and out == ""
    assert err == (
        "error: subject-S-mother: a data subject's identifiers can only be read by a person who may keep "
        "the register of data subjects; cog does not hold that role\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "S-x", "--category", "aunt", "--name", "X", "--as", "officer"),
            "error: --category: must be one of child, adult_at_risk,",
        ),
        (
            (
                "add",
                "S-x",
                "--category",
                "other",
                "--name",
                "X",
                "--date-of-birth",
                "3 June",
                "--as",
                "officer",
            ),
            "error: --date-of-birth: must be a date written YYYY-MM-DD",
        ),
        (
            (
                "add",
                "S-x",
                "--category",
                "other",
                "--name",
                "X",
                "--school",
                "A",
                "--school",
                "B",
                "--as",
                "officer",
            ),
            "error: --school: is given once at registration",
        ),
        (
            ("add", "bad id", "--category", "other", "--name", "X", "--as", "officer"),
            "error: subject_id: must look like S-xxxx",
        ),
        (
            ("add", "S-x", "--category", "other", "--name", "X", "--as", "cog"),
            "error: subject-S-x: register-subject can only be recorded by",
        ),
        (
            ("amend", "S-mother", "--reason", "r", "--as", "officer"),
            "error: name: an amendment changes at least one identifier",
        ),
        (
            ("amend", "S-nobody", "--reason", "r", "--name", "X", "--as", "officer"),
            "error: no data subject with reference 'S-nobody'",
        ),
        (
            ("amend", "S-mother", "--reason", "r", "--school", "A", "--clear", "schools", "--as", "officer"),
            "error: --clear: schools cannot be both cleared and given",
        ),
        (("show", "S-nobody", "--as", "officer"), "error: no data subject with reference 'S-nobody'"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_records_nothing(
    base: list[str], capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    _add_mother(base, capsys)
    before = json.loads(_run(capsys, *base, "verify", "--json")[1])["events"]
    code, out, err = _run(capsys, *base, "subjects", *args)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "Traceback" not in err and "Dawn" not in err
    assert json.loads(_run(capsys, *base, "verify", "--json")[1])["events"] == before


def test_a_case_is_recorded_from_the_command_line_alone(
    base: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _add_mother(base, capsys)
    for subject, category, name in (
        ("S-child", "child", "Ellie Rendall"),
        ("S-notifier", "practitioner", "Karen Spence"),
    ):
        assert (
            _run(
                capsys,
                *base,
                "subjects",
                "add",
                subject,
                "--category",
                category,
                "--name",
                name,
                "--as",
                "officer",
            )[0]
            == 0
        )
    notification = {
        "subject_group": "child",
        "received_on": "2026-03-01",
        "subject": {"subject_id": "S-child", "name": "Ellie Rendall"},
        "notifier": {"subject_id": "S-notifier", "name": "Karen Spence", "agency": "Social work"},
        "family": [{"subject_id": "S-mother", "name": "Dawn Rendall", "relationship": "mother"}],
        "reasons": "Admitted to hospital after a long period of neglect at home.",
    }
    code, out, err = _run(
        capsys,
        *base,
        "step",
        "LR-1",
        "receive-notification",
        "--route",
        "national",
        "--as",
        "officer",
        "--data",
        json.dumps(notification),
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("recorded receive-notification on LR-1 (version 1)")
