"""A step whose words name someone its `about` leaves out is recorded, says so, and counts as about them.

The Reviewer records a family contact: the mother's views name the child's father, and the
recorder leaves `about` empty. The detector, over the register, finds him in the words; the step
is recorded, the response names him by subject id, and the views are sealed as about him too, so
the subject index (and every disclosure that reads it) finds them under his id.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.cli import main
from adapters.governance import subjects
from domain.governance.subjects import AmendSubjectIdentifiers, RegisterSubject, SubjectCategory
from domain.kernel.roles import Role
from domain.routes.national.commands import (
    AgreeFamilyLiaisonStrategy,
    AppointTeamMember,
    DecideToProceed,
    MakeRecommendation,
    RecordFamilyContact,
)
from domain.routes.national.events import FamilyContactRecorded
from domain.routes.national.forms import PractitionerDetails, TeamRole
from domain.routes.national.review import NationalReview
from projections.queries import subject_items
from tests.integration.review_steps import ON, open_review

REVIEW = "LR-2026-301"
CHILD, MOTHER, FATHER, REVIEWER = "S-CHILD", "S-MOTHER", "S-FATHER", "S-REVIEWER"


@pytest.fixture
def under_way(app: Application) -> Application:
    """A proceeding review with a Reviewer on the team and the Family Liaison Strategy agreed."""
    for actor, name, role in (
        ("officer", "Callum Drever", Role.CPC_OFFICER),
        ("chair", "Isla Flett", Role.CPC),
        ("reviewer", "Ailsa Tulloch", Role.REVIEWER),
    ):
        app.register_person("admin", actor, name, (role,))
    for subject_id, category, name in (
        (CHILD, SubjectCategory.CHILD, "Ellie Rendall"),
        (MOTHER, SubjectCategory.PARENT_CARER, "Dawn Rendall"),
        (FATHER, SubjectCategory.PARENT_CARER, "Gary Isbister"),
        ("S-NOTIFIER", SubjectCategory.NOTIFIER, "Karen Spence"),
    ):
        subjects.register(
            app, "officer", RegisterSubject(subject_id=subject_id, category=category, name=name)
        )
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
    app.execute(
        NationalReview,
        REVIEW,
        "officer",
        AppointTeamMember(
            member=PractitionerDetails(subject_id=REVIEWER, name="Ailsa Tulloch", agency="Orkney"),
            team_role=TeamRole.REVIEWER,
            appointed_on=ON,
            direct_involvement=False,
            declaration="No involvement in the case.",
            actor_id="reviewer",
        ),
    )
    app.execute(
        NationalReview,
        REVIEW,
        "officer",
        AgreeFamilyLiaisonStrategy(agreed_on=ON, family_group=(MOTHER,), strategy="Meet the mother at home."),
    )
    return app


def _contact(views: str, about: tuple[str, ...] = ()) -> RecordFamilyContact:
    return RecordFamilyContact(
        contacted_on=ON,
        family_members=(MOTHER,),
        met_by=(REVIEWER,),
        views=views,
        views_of=MOTHER,
        about=about,
    )


def test_a_family_contacts_views_naming_the_other_parent_count_as_about_him(under_way: Application) -> None:
    outcome = under_way.record_step(
        NationalReview, REVIEW, "reviewer", _contact("Gary Isbister shouted at the health visitor.")
    )
    assert outcome.not_named == (FATHER,)
    [unnamed] = outcome.unnamed
    assert (unnamed.event, unnamed.field) == ("national.family-contact-recorded", "views")
    stored = under_way.ledger.read(REVIEW, unseal=True)[-1]
    assert isinstance(stored.event, FamilyContactRecorded)
    assert stored.event.views.about == (MOTHER, FATHER) and stored.event.views.by == MOTHER
    with under_way.db.reader.connect() as conn:
        about_him = subject_items(conn, FATHER, stream=REVIEW)
    assert [(i.type, i.field) for i in about_him] == [("national.family-contact-recorded", "views")]


def test_views_that_name_everyone_they_mention_report_nobody(under_way: Application) -> None:
    outcome = under_way.record_step(
        NationalReview, REVIEW, "reviewer", _contact("Gary Isbister shouted.", about=(FATHER,))
    )
    assert outcome.not_named == () and outcome.unnamed == ()


def test_an_amended_name_is_found_in_the_next_steps_words(under_way: Application) -> None:
    subjects.amend(
        under_way,
        "officer",
        AmendSubjectIdentifiers(
            subject_id=FATHER, reason="known locally by another name", other_names=("Gaz Flett",)
        ),
    )
    outcome = under_way.record_step(NationalReview, REVIEW, "reviewer", _contact("Gaz Flett came round."))
    assert outcome.not_named == (FATHER,)


def test_the_command_line_says_whom_the_words_name_beyond_about(
    under_way: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {
        "contacted_on": ON.isoformat(),
        "family_members": [MOTHER],
        "met_by": [REVIEWER],
        "views": "Gary Isbister shouted at the health visitor.",
        "views_of": MOTHER,
    }
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    code = main(
        [*base, "step", REVIEW, "record-family-contact", "--as", "reviewer", "--data", json.dumps(data)]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[-2:] == [
        f"recorded record-family-contact on {REVIEW} (version 7)",
        f"its words also name {FATHER}, not in 'about': recorded as about them too "
        "(they count as about them for every disclosure)",
    ]
    assert "Gary" not in out
