"""Generated families on the mini review and the panel route: nobody else's identifier leaves in a pack or an FOI response.

The same made-up families as tests/integration/test_disclosure_generated.py (a child, parents apart
or together, siblings, a grandparent, a partner, practitioners, a notifier, identifiers written in
random forms) go through a Mini Learning Review, from its request to the Heads of Service's
agreement and a tabled disagreement resolved, and through the Learning and Improvement Panel, from
Referral Form A to the Independent Chair's decision on an SCR. Every free text names random members
and says whom it is about completely, in part, or not at all; the application widens `about` with
the people it finds in the words.

Then, for every member's subject access pack: no other family member's identifier appears unless
released with a reason (practitioners acting in role are not withheld), and every item about the
requester or stated by them is in the pack. An FOI response holding both decision trails holds no
registered identifier of anyone: it is either refused, naming kinds and never values, or written
without any. Neither route has a publication view (only a National Learning Review is published).
It runs on SQLite; REVIEWLEDGER_DISCLOSURE_EXAMPLES sets how many examples (a longer run locally).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from adapters.governance.sar.contents import item_id_of
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from domain.governance.sar.steps import (
    PackFormat,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.routes.mini.commands import (
    RecordServicesAgreement,
    RequestMiniReview,
    ResolveDisagreement,
    TableDisagreement,
)
from domain.routes.mini.forms import MiniCriterion
from domain.routes.mini.review import MiniReview
from domain.routes.panel.commands import (
    CallScrConsiderationPanel,
    CirculateReferral,
    DecideOnReview,
    DecideOnScr,
    RecommendOnScr,
    RequestAgencyReports,
)
from domain.routes.panel.forms import FamilyMemberDetails, IncidentType, PanelDecision, ReferCase
from domain.routes.panel.review import PanelReview
from projections.subjects import personal_items
from tests.integration.ig_support import MovableClock, demo_store, logging_restored, opened
from tests.integration.test_disclosure_generated import (
    EXAMPLES,
    OFFICER,
    Family,
    Member,
    _found,
    _named_in_words,
    _outcome,
    _readable,
    _release,
    _request_pack,
    families,
)

__all__ = ["logging_restored"]

HEALTH, EDUCATION, SOCIAL_WORK = "Health Visiting", "Primary Education", "Children's Social Work"
HEAD, DIRECTOR, CHAIR = "head-safeguarding", "service-director", "independent-chair"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("disclosure-generated-routes")) as found:
        yield found


def _mini(family: Family) -> str:
    return f"MLR-DG{family.number}"


def _panel(family: Family) -> str:
    return f"LIP-DG{family.number}"


def _relatives(family: Family) -> list[Member]:
    return [
        m
        for m in family.members[1:]
        if m.category not in (SubjectCategory.PRACTITIONER, SubjectCategory.NOTIFIER)
    ]


def _register(app: Application, family: Family) -> None:
    for m in family.members:
        app.execute(
            DataSubject,
            subject_stream(m.subject_id),
            "cpc-officer",
            RegisterSubject(
                subject_id=m.subject_id,
                category=m.category,
                name=m.name,
                date_of_birth=m.born,
                address=m.address_text,
                school=f"{m.school} Primary School" if m.school else None,
                record_number=m.record_number,
                other_names=(m.aka,) if m.aka else (),
            ),
        )


def _record_mini(app: Application, family: Family) -> None:
    """A mini review: requested, one service disagreeing, the disagreement tabled and resolved."""
    texts, about, reference, lead = family.texts, family.abouts, _mini(family), "partnership-lead"
    app.execute(
        MiniReview,
        reference,
        lead,
        RequestMiniReview(
            received_on=date(2026, 11, 2),
            initiator_service=HEALTH,
            services=(HEALTH, EDUCATION, SOCIAL_WORK),
            criteria=(MiniCriterion.IMPROVEMENT_OR_AWARENESS,),
            full_criteria_not_met=True,
            concern=texts[0],
            subjects=(family.child.subject_id, *about[0]),
        ),
    )
    app.execute(
        MiniReview,
        reference,
        lead,
        RecordServicesAgreement(
            discussed_on=date(2026, 11, 4),
            agreeing=(HEALTH, EDUCATION),
            not_agreeing=(SOCIAL_WORK,),
            basis=texts[1],
            about=about[1],
        ),
    )
    app.execute(
        MiniReview,
        reference,
        lead,
        TableDisagreement(
            tabled_on=date(2026, 11, 5), service=HEALTH, presenting_information=texts[2], about=about[2]
        ),
    )
    app.execute(
        MiniReview,
        reference,
        "delivery-chair",
        ResolveDisagreement(
            decided_on=date(2026, 11, 9), review_needed=True, reasons=texts[3], about=about[3]
        ),
    )


def _record_panel(app: Application, family: Family) -> None:
    """The panel route: Referral Form A, an SCR Consideration Panel, its recommendation, the Chair's decision."""
    texts, about, reference, child = family.texts, family.abouts, _panel(family), family.child
    notifier = family.members[-1]
    app.execute(
        PanelReview,
        reference,
        HEAD,
        ReferCase(
            child_subject=child.subject_id,
            child_full_name=child.name,
            child_date_of_birth=child.born,
            child_address=child.address_text,
            referred_on=date(2026, 11, 10),
            referrer_subject=notifier.subject_id,
            referrer_name=notifier.name,
            agency="Police",
            family=tuple(
                FamilyMemberDetails(
                    subject=m.subject_id,
                    full_name=m.name,
                    date_of_birth=m.born,
                    relationship=m.relationship,
                    full_address=m.address_text,
                )
                for m in _relatives(family)
            ),
            incident_type=IncidentType.CRITICAL_INCIDENT,
            summary=texts[4],
            summary_also_about=about[4],
            reason_for_request=texts[5],
        ),
    )
    app.execute(PanelReview, reference, HEAD, CirculateReferral(meeting_on=date(2026, 11, 19)))
    app.execute(
        PanelReview,
        reference,
        HEAD,
        CallScrConsiderationPanel(meeting_on=date(2026, 11, 19), reasons=texts[6], about=about[6]),
    )
    app.execute(
        PanelReview,
        reference,
        DIRECTOR,
        DecideOnReview(
            meeting_on=date(2026, 11, 19),
            decision=PanelDecision.SCR_CRITERIA_MET,
            reasons=texts[7],
            about=about[7],
        ),
    )
    # seed 003, Referrals: the Head of Safeguarding asks for agency reports before the recommendation.
    app.execute(
        PanelReview,
        reference,
        HEAD,
        RequestAgencyReports(
            agencies=("Police",), requested_on=date(2026, 11, 19), due_on=date(2026, 12, 10)
        ),
    )
    app.execute(
        PanelReview, reference, DIRECTOR, RecommendOnScr(scr_required=True, reasons=texts[8], about=about[8])
    )
    app.execute(PanelReview, reference, CHAIR, DecideOnScr(hold_scr=True, reasons=texts[9], about=about[9]))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=families())
def test_no_one_elses_identifier_leaves_a_mini_or_panel_review(
    store: Settings, tmp_path: Path, family: Family
) -> None:
    with opened(store, MovableClock()) as app:
        _register(app, family)
        _record_mini(app, family)
        _record_panel(app, family)
        everyone = list(family.members)
        records = (_mini(family), _panel(family))

        # An FOI response holding both decision trails holds no registered identifier at all.
        request = f"FOI-DGR{family.number}"
        foi.open_request(
            app,
            request,
            OFFICER,
            ReceiveFoiRequest(
                received_on=date(2026, 12, 4),
                channel=FoiChannel.EMAIL,
                requester_id=f"S-DGR{family.number}-JOURNALIST",
                requester_name="A Journalist",
                address_for_correspondence="desk@example.org",
                information_requested="The decision trails.",
            ),
        )
        for record in records:
            foi.identify_parts(app, request, OFFICER, record, ["decision-trail"])
            foi.step(
                app,
                request,
                OFFICER,
                ApplyExemption(
                    item_id=f"{record}/decision-trail",
                    section=Section.S38_1_B,
                    extent=Extent.PART,
                    reasons="It would identify the family.",
                ),
            )
        data, refused = _outcome(lambda: foi.respond(app, request, OFFICER, PackFormat.JSON)[1])
        assert [f for m in everyone for f in _found(_readable(data) if data else refused, m, [])] == []
        assert (data is None) == (refused != "")

        # Every member's pack: everything about them or stated by them, and no other family member's
        # identifier unless their data was released with a reason.
        events = {record: app.ledger.read(record, unseal=True) for record in records}
        for index, requester in enumerate(family.members):
            reference = f"SAR-DGR{family.number}-{index}"
            searched = ((_mini(family), "the mini review"), (_panel(family), "the panel review"))
            _request_pack(app, reference, requester, searched)
            released = _release(app, reference, family, index)
            built, refused = _outcome(partial(sar.render_pack, app, reference, OFFICER, PackFormat.JSON))
            if built is None:
                assert [f for m in everyone for f in _found(refused, m, [])] == []
                continue
            pack, data = built
            text = _readable(data)
            others = [
                m
                for m in everyone
                if m.subject_id != requester.subject_id
                and m.category is not SubjectCategory.PRACTITIONER
                and m.subject_id not in released
            ]
            not_withheld = [requester, *(m for m in everyone if m not in others)]
            leaked = [f for m in others for f in _found(text, m, not_withheld)]
            assert leaked == [], f"in {requester.subject_id}'s pack"
            theirs = {
                item_id_of(record, r.version, path)
                for record, recorded in events.items()
                for r in recorded
                for path, item in personal_items(r.event)
                if requester.subject_id in (*item.about, *((item.by,) if item.by else ()))
            }
            theirs |= _named_in_words(events, family, requester)
            given_ids = {i.item_id for i in pack.items}
            assert theirs <= given_ids, (
                f"{requester.subject_id}'s items missing: {sorted(theirs - given_ids)}"
            )
