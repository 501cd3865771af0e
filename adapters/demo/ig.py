"""Demonstration: a subject access request and an FOI request answered from the record.

Everything here is invented. Dawn Rendall, Ellie's mother in LR-2026-001, asks for her own
personal data: the officer searches the review and her register entry, collates every item
about her or stated by her, releases one passage that names her daughter (reasonable to
disclose: it says only what she knows), leaves her other daughter's data withheld, is refused
when trying to send before the pack is reviewed, then reviews and sends it; the exact bytes are
kept and their digest recorded. A journalist asks for the decision trail of LR-2026-001: it is
released with every item of personal data redacted under s.38(1)(b), counted on twenty working
days that skip St Andrew's Day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Protocol

from adapters.app.application import Application
from adapters.cli.output import Out
from adapters.demo import documents as demo_documents
from adapters.demo.national_script import CHILD, MOTHER
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from domain.governance.sar.steps import (
    Capacity,
    CloseOutcome,
    CloseSubjectAccessRequest,
    Delivery,
    IdentityCheck,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    ReleaseBasis,
    ReleaseThirdPartyData,
    RequestChannel,
    ReviewResponse,
    SearchAnswers,
    VerifyIdentity,
)
from domain.governance.subjects import subject_stream
from domain.kernel.errors import ReviewledgerError

SAR_REF, FOI_REF, REVIEW = "SAR-2026-001", "FOI-2026-001", "LR-2026-001"
OFFICER = "ig-officer"
JOURNALIST = "S-FOI1-REQUESTER"


class _Clock(Protocol):
    moment: datetime


def _on(clock: _Clock, day: date) -> date:
    clock.moment = datetime.combine(day, time(10), tzinfo=clock.moment.tzinfo)
    return day


def run(app: Application, clock: _Clock, out: Out) -> None:
    out.heading("Information governance: a subject access request and an FOI request")
    _subject_access(app, clock, out)
    _freedom_of_information(app, clock, out)


def _subject_access(app: Application, clock: _Clock, out: Out) -> None:
    received = _on(clock, date(2026, 11, 9))
    sar.open_request(
        app,
        SAR_REF,
        OFFICER,
        ReceiveSubjectAccessRequest(
            received_on=received,
            channel=RequestChannel.EMAIL,
            requester_id=MOTHER,
            subject_id=MOTHER,
            capacity=Capacity.DATA_SUBJECT,
            requester_name="Dawn Rendall",
            requester_contact="dawn.rendall@example.org",
            request="Everything you hold about me from the review about Ellie.",
        ),
    )
    sar.step(
        app, SAR_REF, OFFICER, VerifyIdentity(verified_on=received, check=IdentityCheck.KNOWN_TO_SERVICE)
    )
    searched = _on(clock, date(2026, 11, 12))
    sar.step(
        app,
        SAR_REF,
        OFFICER,
        RecordSearch(
            searched_on=searched,
            records=(
                SearchAnswers(record=REVIEW, what="every item about the requester or stated by her"),
                SearchAnswers(
                    record=subject_stream(MOTHER), what="her entry in the register of data subjects"
                ),
            ),
        ),
    )
    collated = sar.collate_from_index(app, SAR_REF, OFFICER, searched)
    out.line(
        f"{SAR_REF}: received {received}, response due by {collated.due_on()}; "
        f"{len(collated.items)} items collated; pack: {sar.show(app, SAR_REF, OFFICER).counts} "
        "(other people's data withheld by default)"
    )
    released_on = _on(clock, date(2026, 11, 16))
    item = next(i for i in collated.items.values() if CHILD in i.third_parties)
    sar.step(
        app,
        SAR_REF,
        OFFICER,
        ReleaseThirdPartyData(
            item_id=item.item_id,
            third_party=CHILD,
            basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
            reasons="It states only the requester's own relationship to her daughter, which she already "
            "knows; it reveals nothing new about the child.",
        ),
    )
    out.line(f"  released {item.item_id} with a recorded reason (reasonable to disclose) on {released_on}")
    demo_documents.redact_for_request(app, out, request=SAR_REF, officer=OFFICER)
    sent_on = _on(clock, date(2026, 11, 20))
    try:
        sar.send_pack(app, SAR_REF, OFFICER, PackFormat.HTML, Delivery.EMAIL, on=sent_on)
        raise AssertionError("the demo expected the unreviewed pack to be refused")
    except ReviewledgerError as error:
        out.line(f"  REFUSED (nothing recorded): {error}")
    sar.step(app, SAR_REF, OFFICER, ReviewResponse(reviewed_on=sent_on))
    sent, data = sar.send_pack(app, SAR_REF, OFFICER, PackFormat.HTML, Delivery.EMAIL, on=sent_on)
    status = sar.show(app, SAR_REF, OFFICER)
    out.line(
        f"  response sent {sent_on}: {len(data)} bytes of HTML, sha256 {sent.document.sha256} "
        f"(kept; {status.counts}, digest recorded at version {sent.version})"
    )
    out.line(
        f"  read it with: reviewledger sar copy {SAR_REF} --as {OFFICER} --sha256 {sent.document.sha256} "
        "--out pack.html"
    )
    sar.step(
        app, SAR_REF, OFFICER, CloseSubjectAccessRequest(closed_on=sent_on, outcome=CloseOutcome.RESPONDED)
    )


def _freedom_of_information(app: Application, clock: _Clock, out: Out) -> None:
    received = _on(clock, date(2026, 11, 16))
    request = foi.open_request(
        app,
        FOI_REF,
        OFFICER,
        ReceiveFoiRequest(
            received_on=received,
            channel=FoiChannel.EMAIL,
            requester_id=JOURNALIST,
            requester_name="Sam Petrie",
            address_for_correspondence="sam.petrie@example.org",
            information_requested="The decision trail of the learning review about the child in Stromness.",
        ),
    )
    out.line(
        f"{FOI_REF}: received {received}, response due by {request.due_on} "
        "(twenty working days; St Andrew's Day, 30 November, is not one)"
    )
    identified = _on(clock, date(2026, 11, 18))
    foi.identify_parts(app, FOI_REF, OFFICER, REVIEW, ["decision-trail"], identified)
    foi.step(
        app,
        FOI_REF,
        OFFICER,
        ApplyExemption(
            item_id=f"{REVIEW}/decision-trail",
            section=Section.S38_1_B,
            extent=Extent.PART,
            reasons="The stated bases of the decisions describe the child, her family and the practitioners; "
            "disclosing them would identify them in a small community.",
        ),
    )
    responded_on = _on(clock, date(2026, 11, 23))
    sent, data = foi.respond(app, FOI_REF, OFFICER, PackFormat.HTML, on=responded_on)
    redactions = data.count(b"[redacted: s.38(1)(b)")
    out.line(
        f"  response sent {responded_on} ({sent.response}: section 16 notice with the section 19 rights): "
        f"{redactions} redactions marked s.38(1)(b), {len(data)} bytes, sha256 {sent.document.sha256}"
    )
