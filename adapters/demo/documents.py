"""Demonstration: documents attached to LR-2026-001's steps, and one redacted for a subject access request.

Everything here is invented. The CPC officer attaches the report (PDF), the merged chronology
(DOCX) and the minutes of a review team meeting (ODT) to the steps that produced them; the
detector proposes whom else each names. Answering Dawn Rendall's subject access request, the IG
officer redacts the report: the detector removes her daughters' and the practitioners'
identifiers, the officer adds one phrase, and the redacted copy, rebuilt without a text layer,
is kept with its redaction log.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from adapters.app.application import Application
from adapters.cli.output import Out
from adapters.demo.national_script import CHILD, MOTHER
from adapters.governance import document_disclosure, documents
from adapters.governance.redaction import Phrase
from domain.governance.documents import DisclosureOutcome

REVIEW = "LR-2026-001"
OFFICER = "cpc-officer"
REPORT = [
    "Learning review of the care of Ellie Rendall. Ellie lived with her mother Dawn Rendall and her older "
    "sister Skye Rendall. Karen Spence, the health visitor, raised the first concern.",
    "Findings. Agencies saw the family often but did not share what they saw. Dawn Rendall told the review "
    "that the housing repairs were never done. The neighbour's complaint about noise was not followed up.",
]
CHRONOLOGY = [
    "Merged chronology: Ellie Rendall",
    "Health: Karen Spence visited Ellie Rendall at home; Dawn Rendall was present.",
    "Education: Skye Rendall's school noted that Ellie was often absent from nursery.",
]
MINUTES = [
    "Minutes of the review team meeting",
    "The team discussed the chronology for Ellie Rendall and agreed the terms of reference.",
]


def _step(app: Application, prefix: str) -> int:
    """The version of the review's latest step whose type starts with `prefix`."""
    return max(r.version for r in app.ledger.read(REVIEW) if r.type.startswith(prefix))


def _files(work: Path) -> list[tuple[str, Path, str]]:
    import docx
    import weasyprint
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    report = work / "report.pdf"
    pages = "".join(f'<section style="break-after: page"><p>{text}</p></section>' for text in REPORT)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font notices are not the demo's business
    weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf(report)
    chronology = work / "chronology.docx"
    document = docx.Document()
    for line in CHRONOLOGY:
        document.add_paragraph(line)
    document.save(str(chronology))
    minutes = work / "minutes.odt"
    text = OpenDocumentText()
    for line in MINUTES:
        text.text.addElement(P(text=line))
    text.save(str(minutes))
    return [
        ("national.report-version-drafted", report, "the report"),
        ("national.chronologies-merged", chronology, "the merged chronology"),
        ("national.review-team-meeting-held", minutes, "the minutes of a review team meeting"),
    ]


def attach(app: Application, out: Out) -> None:
    out.heading("Documents attached to LR-2026-001's steps")
    with tempfile.TemporaryDirectory(prefix="reviewledger-demo-") as work:
        for prefix, path, what in _files(Path(work)):
            attached = documents.attach(
                app,
                review=REVIEW,
                step_version=_step(app, prefix),
                path=path,
                about=(CHILD, MOTHER),
                actor=OFFICER,
            )
            d = attached.document
            proposed = (
                f"; the detector also found {', '.join(attached.not_confirmed)}"
                if attached.not_confirmed
                else ""
            )
            out.line(
                f"  {d.document_id}: {what} ({d.media_type.name}, {d.pages} page(s)) at step {d.step_version}{proposed}"
            )
    out.line(
        f"  read one with: reviewledger documents get {REVIEW} {REVIEW}-D1 --as {OFFICER} --out report.pdf"
    )


def redact_for_request(app: Application, out: Out, *, request: str, officer: str) -> None:
    """The report as an item of `request`: redacted, the copy kept with its log."""
    disclosed = document_disclosure.decide(
        app,
        review=REVIEW,
        document_id=f"{REVIEW}-D1",
        request=request,
        actor=officer,
        outcome=DisclosureOutcome.REDACTED,
        phrases=[Phrase(text="The neighbour's complaint", ground="s.16 third party")],
    )
    d = disclosed.decision
    detected = sum(r.occurrences for r in d.redactions if r.source == "detector")
    out.line(
        f"  {d.document_id} (the report) redacted for {request}: {detected} identifiers of other people and "
        f"{len(d.redactions) - sum(r.source == 'detector' for r in d.redactions)} phrase(s) removed; "
        f"kept as a {d.redacted_pages}-page PDF without a text layer, sha256 {d.redacted_sha256[:16]}…"
    )
    # The merged chronology and the minutes are items of the pack too: mostly other agencies' and
    # other people's accounts, they are withheld whole, each on its ground.
    for number, what in ((2, "the merged chronology"), (3, "the minutes")):
        withheld = document_disclosure.decide(
            app,
            review=REVIEW,
            document_id=f"{REVIEW}-D{number}",
            request=request,
            actor=officer,
            outcome=DisclosureOutcome.WITHHELD,
            ground="s.16 third party",
        ).decision
        out.line(f"  {withheld.document_id} ({what}) withheld for {request}: {withheld.ground}")
