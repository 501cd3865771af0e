"""The publication view, told as the Reviewer prepares the report for publication: one suite, on SQLite
and on PostgreSQL.

The report names the child, her mother, her school, her address and record number, her date of
birth in several forms and a child of another review; the published version names none of them
and calls each person by the same pseudonym throughout. The residual-risk check finds a
registered identifier put back into the file and names its kind, never its value; a report
that would leak is never written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import msgspec
import pytest

from adapters import cli
from adapters.app.application import Application
from adapters.governance.access_log import entries, reads_about, reads_by
from adapters.governance.publication import OutputFormat, check_file, render_publication
from domain.governance.anonymisation import Anonymiser, DateStyle, ResidualRiskFound
from domain.governance.need_to_know import NeedToKnowRefused
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import Nature
from domain.kernel.roles import Role
from domain.routes.national.commands import (
    AppointTeamMember,
    DecideToProceed,
    DraftReportVersion,
    MakeRecommendation,
)
from domain.routes.national.forms import (
    PractitionerDetails,
    SectionInput,
    SectionKind,
    StrategyInput,
    TeamRole,
)
from domain.routes.national.review import NationalReview
from tests.integration.review_steps import ON, open_review

REVIEW = "LR-2026-201"
CHILD, MOTHER, HEALTH_VISITOR, OTHER_CHILD = "S-CHILD", "S-MOTHER", "S-HV", "S-OTHER"

CIRCUMSTANCES = (
    "Ellie Rendall (born 02/04/2022, record SW-004512) lived with her mother Dawn at 12 Harbour Street, "
    "Kirkwall KW15 1AB and attended Papdale Primary School. On 14 December 2025 ELLIE was admitted to "
    "hospital; Mrs Rendall told staff on 15/12/2025 that Rowan Isbister had visited. Ellie's birthday, "
    "2nd April 2022, had passed unmarked; Dawn Rendall was born on 1996-08-19."
)
LEARNING = (
    "Moira Firth thought home conditions worsened from 3 March 2025, and that Ellie was not seen at school."
)

#: Every registered identifier the report holds, in the forms a reader would search for.
IDENTIFIERS = (
    "Ellie Rendall",
    "Ellie",
    "Rendall",
    "Dawn",
    "Moira Firth",
    "Firth",
    "Rowan Isbister",
    "Rowan",
    "Isbister",
    "Karen Spence",
    "2022-04-02",
    "02/04/2022",
    "2nd April 2022",
    "2 April 2022",
    "1996-08-19",
    "12 Harbour Street",
    "Harbour Street",
    "Kirkwall",
    "KW15 1AB",
    "Papdale",
    "SW-004512",
)


def _register(app: Application, subject: RegisterSubject) -> None:
    app.execute(DataSubject, subject_stream(subject.subject_id), "officer", subject)


@pytest.fixture
def review(app: Application) -> Application:
    """A proceeding review whose Reviewer has drafted a report full of identifiers."""
    for actor, name, role in (
        ("officer", "Callum Drever", Role.CPC_OFFICER),
        ("chair", "Isla Flett", Role.CPC),
        ("reviewer", "Ailsa Tulloch", Role.REVIEWER),
        ("cog", "Euan Rendall", Role.COG),
        ("ig", "Niamh Doherty", Role.IG_OFFICER),
        ("records", "Ingrid Sutherland", Role.RECORDS_MANAGER),
    ):
        app.register_person("admin", actor, name, (role,))
    for subject in (
        RegisterSubject(
            subject_id=CHILD,
            category=SubjectCategory.CHILD,
            name="Ellie Rendall",
            date_of_birth=date(2022, 4, 2),
            address="12 Harbour Street, Kirkwall, KW15 1AB",
            school="Papdale Primary School",
            record_number="SW-004512",
        ),
        RegisterSubject(
            subject_id=MOTHER,
            category=SubjectCategory.PARENT_CARER,
            name="Dawn Rendall",
            date_of_birth=date(1996, 8, 19),
        ),
        RegisterSubject(subject_id=HEALTH_VISITOR, category=SubjectCategory.PRACTITIONER, name="Moira Firth"),
        RegisterSubject(subject_id="S-NOTIFIER", category=SubjectCategory.NOTIFIER, name="Karen Spence"),
        # A child of another review, whom this report happens to name.
        RegisterSubject(
            subject_id=OTHER_CHILD,
            category=SubjectCategory.CHILD,
            name="Rowan Isbister",
            date_of_birth=date(2016, 3, 9),
        ),
    ):
        _register(app, subject)
    open_review(app, REVIEW, "officer")
    app.execute(
        NationalReview,
        REVIEW,
        "officer",
        MakeRecommendation(
            recommendation="proceed",
            made_on=ON,
            reasons="Learning for several agencies.",
            proposed_terms_of_reference="Multi-agency practice in the two years before the admission.",
        ),
    )
    app.execute(
        NationalReview, REVIEW, "chair", DecideToProceed(decided_on=ON, basis="The criteria are met.")
    )
    # The reviewer reads the review (and so renders it) because they are appointed to its team.
    app.execute(
        NationalReview,
        REVIEW,
        "officer",
        AppointTeamMember(
            member=PractitionerDetails(subject_id="S-REVIEWER", name="Ailsa Tulloch", agency="independent"),
            team_role=TeamRole.REVIEWER,
            appointed_on=ON,
            direct_involvement=False,
            declaration="No involvement with the family.",
            actor_id="reviewer",
        ),
    )
    app.execute(
        NationalReview,
        REVIEW,
        "reviewer",
        DraftReportVersion(
            drafted_on=ON,
            sections=(
                SectionInput(heading=SectionKind.CONDUCT, text="Chronologies and a meeting with the family."),
                SectionInput(
                    heading=SectionKind.CIRCUMSTANCES, text=CIRCUMSTANCES, about=(CHILD, MOTHER, OTHER_CHILD)
                ),
                SectionInput(
                    heading=SectionKind.LEARNING,
                    text=LEARNING,
                    about=(CHILD,),
                    nature=Nature.OPINION,
                    by=HEALTH_VISITOR,
                ),
                SectionInput(
                    heading=SectionKind.PERSONAL_DETAILS, text="Ellie's GP is Dr Ross.", about=(CHILD,)
                ),
            ),
            strategies=(
                StrategyInput(
                    case_for_change="Each agency saw part of the neglect of Ellie.",
                    learning="Home conditions are shared at every core group.",
                    evidence="Three agencies recorded the same concern within one month.",
                    responsible="Child Protection Committee",
                    review="Audit of core group minutes after six months.",
                ),
            ),
        ),
    )
    return app


def _leaks(text: str) -> list[str]:
    folded = text.casefold()
    return [value for value in IDENTIFIERS if value.casefold() in folded]


def test_the_published_report_names_nobody_and_calls_each_person_by_one_pseudonym(
    review: Application, tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    written = render_publication(review, REVIEW, "reviewer", out=out, output=OutputFormat.JSON)
    text = out.read_text(encoding="utf-8")
    assert _leaks(text) == []
    assert (
        written.subjects_checked == 6 and written.subjects_disposed == 0
    )  # five registered, and the reviewer named on the team

    published = json.loads(text)
    sections = {s["heading"]: s for s in published["sections"]}
    assert sections["Circumstances that led to the review"]["text"] == (
        "Child A (born [date of birth], record [record number]) lived with her mother Parent 1 at [address] "
        "and attended a school. In December 2025 Child A was admitted to hospital; [name] "
        "told staff in December 2025 that Child B had visited. Child A's birthday, [date of birth], had passed "
        "unmarked; Parent 1 was born on [date of birth]."
    )
    learning = sections["Learning and the evidence for it"]
    assert learning["opinion_of"] == "Practitioner 1"
    assert learning["text"] == (
        "Practitioner 1 thought home conditions worsened from March 2025, and that Child A was not seen at school."
    )
    # The section the report keeps for unavoidable personal details is not published.
    withheld = sections["Personal details that cannot be avoided"]
    assert withheld["text"] is None and withheld["note"] == "withheld from publication"
    assert published["strategies"][0]["case_for_change"] == "Each agency saw part of the neglect of Child A."
    assert [(p["pseudonym"], p["role"]) for p in published["people"]] == [
        ("Child A", "child"),
        ("Parent 1", "parent or carer"),
        ("Child B", "child"),
        ("Practitioner 1", "practitioner"),
    ]
    assert published["drafted"] == "March 2026" and "S-CHILD" not in text

    # The HTML page says the same, and both pass the check on their own.
    page = tmp_path / "report.html"
    render_publication(review, REVIEW, "reviewer", out=page)
    html_text = page.read_text(encoding="utf-8")
    assert _leaks(html_text) == [] and "<h2>Circumstances that led to the review</h2>" in html_text
    assert "The opinion of Practitioner 1:" in html_text
    for path in (out, page):
        assert (
            check_file(review, path, "ig").result == "no registered identifier of any data subject was found"
        )


def test_dates_can_be_coarsened_to_the_season(review: Application, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    render_publication(review, REVIEW, "reviewer", out=out, output=OutputFormat.JSON, dates=DateStyle.SEASON)
    published = json.loads(out.read_text(encoding="utf-8"))
    circumstances = published["sections"][1]["text"]
    assert "In winter 2025 Child A was admitted" in circumstances and "December" not in circumstances
    assert published["drafted"] == "spring 2026" and published["dates"] == "season"


@pytest.mark.parametrize(
    ("kind", "leak"),
    [
        ("name", "Dawn Rendall"),
        ("name", "rowan"),
        ("date of birth", "19 August 1996"),
        ("date of birth", "19/08/1996"),
        ("date of birth", "March 9, 2016"),
        ("address", "12 Harbour Street"),
        ("school", "Papdale Primary School"),
        ("record number", "SW-004512"),
    ],
)
def test_the_residual_risk_check_finds_a_crafted_leak_and_names_its_kind_not_its_value(
    review: Application, tmp_path: Path, kind: str, leak: str
) -> None:
    page = tmp_path / "report.html"
    render_publication(review, REVIEW, "reviewer", out=page)
    crafted = tmp_path / "crafted.html"
    crafted.write_text(
        page.read_text(encoding="utf-8").replace("Chronologies", f"Chronologies ({leak})"), encoding="utf-8"
    )
    with pytest.raises(
        ResidualRiskFound,
        match=rf"^crafted.html: the publication still contains a registered {kind} of a data subject; it must not "
        r"be published \(DOMAIN.md §7",
    ) as refused:
        check_file(review, crafted, "reviewer")
    assert leak.casefold() not in str(refused.value).casefold()
    assert [k.value for k in refused.value.kinds] == [kind]


def test_a_leak_split_by_markup_or_hidden_in_a_comment_is_still_found(
    review: Application, tmp_path: Path
) -> None:
    for name, leak in (("split.html", "<p>Ellie <b>Rendall</b></p>"), ("comment.html", "<!-- SW-004512 -->")):
        crafted = tmp_path / name
        crafted.write_text(f"<html><body><p>Child A</p>{leak}</body></html>", encoding="utf-8")
        with pytest.raises(ResidualRiskFound, match=f"^{name}: the publication still contains a registered"):
            check_file(review, crafted, "reviewer")


def test_a_report_that_would_leak_is_not_written(
    review: Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Were the anonymiser to miss everything, the check stops the file from being written.
    monkeypatch.setattr(Anonymiser, "text", lambda self, value: value)
    out = tmp_path / "report.html"
    with pytest.raises(
        ResidualRiskFound,
        match=rf"^{REVIEW}: the publication still contains a registered name, date of birth, address, school and "
        r"record number of a data subject; it was not written \(DOMAIN.md §7",
    ) as refused:
        render_publication(review, REVIEW, "reviewer", out=out)
    assert [p.name for p in tmp_path.iterdir() if "report" in p.name] == []
    assert _leaks(str(refused.value)) == []


def test_a_chi_number_and_a_reference_written_with_other_separators_are_replaced_and_found(
    review: Application, tmp_path: Path
) -> None:
    # The CHI number is registered as ten digits and written with a space after its date part; the
    # social work reference is registered with a dash and written with a slash. Both were published
    # as written, and the check let them through.
    _register(
        review,
        RegisterSubject(
            subject_id="S-BROTHER",
            category=SubjectCategory.SIBLING,
            name="Tam Rendall",
            record_number="0102034567",
        ),
    )
    written = "Her brother (CHI 010203 4567) was known too; file SW/004512 was reopened."
    review.execute(
        NationalReview,
        REVIEW,
        "reviewer",
        DraftReportVersion(
            drafted_on=ON,
            sections=(
                SectionInput(heading=SectionKind.CONDUCT, text="Chronologies and a meeting with the family."),
                SectionInput(heading=SectionKind.CIRCUMSTANCES, text=written, about=(CHILD, "S-BROTHER")),
            ),
        ),
    )
    out = tmp_path / "report.json"
    render_publication(review, REVIEW, "reviewer", out=out, output=OutputFormat.JSON)
    sections = {s["heading"]: s["text"] for s in json.loads(out.read_text(encoding="utf-8"))["sections"]}
    assert sections["Circumstances that led to the review"] == (
        "Her brother (CHI [record number]) was known too; file [record number] was reopened."
    )
    for leak in ("CHI 010203 4567", "ref. SW/004512", "sw 004512", "0102-034-567"):
        crafted = tmp_path / "crafted.json"
        crafted.write_text(json.dumps({"text": f"Noted: {leak}."}), encoding="utf-8")
        with pytest.raises(
            ResidualRiskFound,
            match=r"^crafted.json: the publication still contains a registered record number of a data subject; "
            r"it must not be published \(DOMAIN.md §7",
        ) as refused:
            check_file(review, crafted, "reviewer")
        assert "4567" not in str(refused.value) and "4512" not in str(refused.value)


def test_each_read_for_the_publication_is_signed_by_the_reader_first(
    review: Application, tmp_path: Path
) -> None:
    render_publication(review, REVIEW, "reviewer", out=tmp_path / "report.html")
    reads = reads_by(review, "reviewer")
    assert {r.purpose for r in reads} == {"publication"} and {r.view for r in reads} == {"publication"}
    assert {r.record for r in reads} == {
        REVIEW,
        *(subject_stream(s) for s in (CHILD, MOTHER, HEALTH_VISITOR)),
    } | {
        subject_stream("S-NOTIFIER"),
        subject_stream(OTHER_CHILD),
    }
    [child_entry] = [r for r in reads if r.record == subject_stream(CHILD)]
    assert child_entry.fields == (
        "1:name",
        "1:date_of_birth",
        "1:address",
        "1:school",
        "1:record_number",
    )
    assert {r.record for r in reads_about(review, OTHER_CHILD)} == {REVIEW, subject_stream(OTHER_CHILD)}


def test_only_the_review_s_team_renders_it_and_a_refusal_reads_nothing(
    review: Application, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    with pytest.raises(
        NeedToKnowRefused,
        match=rf"^{REVIEW}: personal data for the purpose publication is refused to cog: they are not appointed "
        r"to the review's team, nor its route's committee officer or chair$",
    ):
        render_publication(review, REVIEW, "cog", out=out)
    assert not out.exists() and reads_by(review, "cog") == []


def test_a_review_without_a_report_or_a_record_that_is_not_a_review_is_refused(
    review: Application, tmp_path: Path
) -> None:
    open_review(review, "LR-2026-202", "officer")
    with pytest.raises(
        RuleViolation, match=r"^LR-2026-202: no report has been drafted yet \(seed 001 'The Report'"
    ):
        render_publication(review, "LR-2026-202", "officer", out=tmp_path / "r.html")
    with pytest.raises(
        InvalidInput, match=f"^reference: {subject_stream(CHILD)} is not a National Learning Review"
    ):
        render_publication(review, subject_stream(CHILD), "reviewer", out=tmp_path / "r.html")
    with pytest.raises(InvalidInput, match=r"^--out: the folder"):
        render_publication(review, REVIEW, "reviewer", out=tmp_path / "missing" / "r.html")


def test_disposed_sections_are_shown_as_disposed_and_names_still_come_from_the_register(
    review: Application, tmp_path: Path
) -> None:
    review.dispose(REVIEW, "retention test rule", "records")
    out = tmp_path / "report.json"
    render_publication(review, REVIEW, "reviewer", out=out, output=OutputFormat.JSON)
    published = json.loads(out.read_text(encoding="utf-8"))
    assert _leaks(out.read_text(encoding="utf-8")) == []
    [conduct, circumstances, learning, withheld] = published["sections"]
    for section in (conduct, circumstances, learning):
        assert section["text"] is None
        assert section["note"].startswith("disposed on ") and section["note"].endswith(
            " under retention test rule"
        )
    assert withheld["note"] == "withheld from publication"
    assert published["strategies"][0]["learning"] is None


def test_the_command_line_renders_checks_and_refuses_a_leak(
    review: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek"), "publication"]
    out = tmp_path / "report.json"
    capsys.readouterr()
    assert (
        cli.main(
            [*base, "render", REVIEW, "--as", "reviewer", "--out", str(out), "--format", "json", "--json"]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["path"] == str(out) and summary["format"] == "json" and summary["people"] == 4
    assert msgspec.json.decode(out.read_bytes())["review"] == REVIEW

    assert cli.main([*base, "check", str(out), "--as", "reviewer", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["subjects_checked"] == 5

    crafted = tmp_path / "crafted.json"
    crafted.write_text(out.read_text(encoding="utf-8").replace("Child A", "Ellie"), encoding="utf-8")
    assert cli.main([*base, "check", str(crafted), "--as", "reviewer"]) == 1
    err = capsys.readouterr().err
    assert "crafted.json: the publication still contains a registered name of a data subject" in err
    assert "Ellie" not in err

    assert cli.main([*base, "render", REVIEW, "--as", "reviewer", "--out", str(out), "--format", "zip"]) == 2
    assert "--format: must be one of html, json, pdf" in capsys.readouterr().err


def test_the_command_line_refuses_a_person_the_need_to_know_table_does_not_give_the_review(
    review: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek"), "publication"]
    out = tmp_path / "report.html"
    capsys.readouterr()
    assert cli.main([*base, "render", REVIEW, "--as", "cog", "--out", str(out)]) == 2
    *logged, last = capsys.readouterr().err.splitlines()
    assert last == (
        f"error: {REVIEW}: personal data for the purpose publication is refused to cog: they are not appointed "
        "to the review's team, nor its route's committee officer or chair"
    )
    assert any(json.loads(line)["event"] == "need_to_know_refused" for line in logged)
    assert not out.exists() and reads_by(review, "cog") == []
    refused = [e for e in entries(review, record=REVIEW) if not e.granted]
    assert [(e.actor, e.view, e.purpose) for e in refused] == [("cog", "publication", "publication")]


def test_the_publication_as_a_tagged_pdf_names_nobody_and_a_leak_in_its_text_is_found(
    review: Application, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    out = tmp_path / "report.pdf"
    written = render_publication(review, REVIEW, "reviewer", out=out, output=OutputFormat.PDF)
    assert written.format == "pdf"
    pdf = pdfium.PdfDocument(str(out))
    assert pdf.is_tagged(), "PDF/UA: tagged for assistive technology"
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Circumstances that led to the review" in text and "Child A" in text
    assert _leaks(text) == []
    assert check_file(review, out, "ig").result == "no registered identifier of any data subject was found"
    crafted = tmp_path / "crafted.pdf"
    from adapters.governance.pack_pdf import html_to_pdf

    crafted.write_bytes(
        html_to_pdf('<html lang="en"><head><title>t</title></head><body><p>Ellie</p></body></html>')
    )
    with pytest.raises(
        ResidualRiskFound, match=r"^crafted.pdf: the publication still contains a registered name"
    ):
        check_file(review, crafted, "reviewer")
