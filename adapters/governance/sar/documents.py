"""The documents of a subject access pack: each document about the subject in the records searched.

A document attached to a review's step whose annotations name the data subject (or the requester)
is an item of the pack, after the collated items, counted with them in "N items, M withheld"
(`domain.governance.sar.withholding`): given whole, given as its redacted copy, or withheld, as an IG officer
decided for the request (`adapters/governance/document_disclosure.py`), and withheld by default while nobody
has decided (the redaction log says so); one whose content a disposal of the review took is
"disposed of", as any item is. Reading which documents there are and what was decided opens no file and no personal value: the
document file's events hold none.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from adapters.app.application import Application
from adapters.governance import documents
from adapters.store import documents as document_store
from adapters.store.reading import Disposal
from domain.governance.documents import DocumentAttached, DocumentDisclosureDecided, documents_stream
from domain.governance.sar.withholding import DocumentFound, Held


class PackDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One document of the pack: where it is attached, what was decided, whether its content is held."""

    review: str
    document: DocumentAttached
    decision: DocumentDisclosureDecided | None
    held: bool
    disposal: Disposal | None = None  # the disposal that took its content, when it is not held

    @property
    def item_id(self) -> str:
        """The item's id, as every item's: the record, the step's version and the field."""
        return f"{self.review}@{self.document.step_version}/document/{self.document.document_id}"

    def found(self) -> DocumentFound:
        return DocumentFound(
            item_id=self.item_id,
            held=Held.HELD if self.held else Held.DISPOSED if self.disposal else Held.NOT_FOUND,
            given=None if self.decision is None else self.decision.outcome,
        )


def about(
    app: Application, request: str, records: Sequence[str], people: Sequence[str]
) -> list[PackDocument]:
    """The documents of `records` about any of `people`, in each record's order of attachment."""
    wanted = set(people)
    found: list[PackDocument] = []
    for review in records:
        if not wanted or not app.ledger.stream_version(documents_stream(review)):
            continue
        file = documents.load(app, review)
        disposals = app.ledger.disposals(review)
        for document in file.documents.values():
            if not wanted.intersection(document.about):
                continue
            held = document_store.held(app, record=review, sealed_sha256=document.sealed_sha256)
            found.append(
                PackDocument(
                    review=review,
                    document=document,
                    decision=file.disclosures.get((request, document.document_id)),
                    held=held,
                    # Taken by the first disposal of the review after the step it is attached to.
                    disposal=None
                    if held
                    else next((d for v, d in disposals if v > document.step_version), None),
                )
            )
    return found
