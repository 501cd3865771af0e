"""The last step before a subject access pack's bytes leave: what they say is checked.

The pack is built from what the file decided, but what leaves is the rendered bytes, so the
bytes are read again (as `adapters.governance.disclosure.readable_texts` reads them) with the detector over
the register (DESIGN.md 'Disclosure'). A pack is for its requester, so the rule is the
requester-aware one, not the FOI rule of no identifier at all. Nothing is written when either
check fails:

1. in the bytes as rendered, no registered identifier of anyone but the requester, the subject
   and practitioners acting in role, unless that person's data was released with a reason;
2. in the same pack rendered with the words of the items released with a reason left out, no
   such identifier at all: another person's identifier may stand only in an item released with
   a reason (not in another item, the cover letter or the redaction log).

The error names the kind of identifier and where it was found, never its words.
"""

from __future__ import annotations

import msgspec

from adapters.governance.disclosure import readable_texts
from adapters.governance.sar.contents import Assembled, ItemStatus, Pack
from adapters.governance.sar.render import render
from domain.governance.identifiers import Detector, Match
from domain.governance.sar.pack import ResponsePack
from domain.governance.sar.steps import PackFormat
from domain.governance.subjects import SubjectCategory
from domain.kernel.errors import RuleViolation

RULE_FINAL_CHECK = (
    "DPA 2018 Sch. 2 Pt. 3 para 16: another person's data leaves only when released with a reason; "
    "the bytes are checked last"
)


def check_rendered(built: Assembled, fmt: PackFormat, data: bytes, *, record: str) -> None:
    """Refuse the pack's bytes if they hold another person's identifier they may not hold."""
    released = {p.subject for d in built.decision.items for p in d.people if p.released}
    stray = [
        m for m in _third_party_matches(built.detector, built.own, data) if not released >= set(m.subjects)
    ]
    if stray:
        _refuse(stray, "in the pack", record)
    without = _without_released_words(built.pack, built.released_items)
    elsewhere = _third_party_matches(built.detector, built.own, render(without, fmt))
    if elsewhere:
        _refuse(elsewhere, "outside the items released with a reason", record)


def check_copy(sar: ResponsePack, detector: Detector, data: bytes) -> None:
    """Refuse a kept copy whose bytes hold the identifier of anyone whose data the file does not release.

    The file alone decides (who it released, item by item): reading the copy sent opens no record,
    so it is checked after the request has closed as well as before.
    """
    released = {person for _, person in sar.released}
    own = tuple(s for s in (sar.subject_id, sar.requester_id) if s)
    stray = [m for m in _third_party_matches(detector, own, data) if not released >= set(m.subjects)]
    if stray:
        _refuse(stray, "in the copy kept", sar.reference)


def _third_party_matches(detector: Detector, own: tuple[str, ...], data: bytes) -> list[Match]:
    """Matches of other people's identifiers in what the bytes say (`readable_texts`): an identifier
    the requester, the subject or a practitioner acting in role shares (a surname, an address) is
    theirs too, and is not another person's alone."""
    practitioners = (p.subject for p in detector.people if p.category is SubjectCategory.PRACTITIONER)
    leave_out = {*own, *practitioners}
    return [
        m
        for text in readable_texts(data)
        for m in detector.find(text, exclude=leave_out)
        if not leave_out.intersection(m.subjects)
    ]


def _without_released_words(pack: Pack, released: frozenset[str]) -> Pack:
    items = tuple(
        msgspec.structs.replace(i, value=None, status=ItemStatus.WITHHELD) if i.item_id in released else i
        for i in pack.items
    )
    return msgspec.structs.replace(pack, items=items)


def _refuse(found: list[Match], where: str, record: str) -> None:
    kinds = ", ".join(dict.fromkeys(m.kind.value for m in found))
    raise RuleViolation(
        f"nothing was written: a registered identifier of another person ({kinds}) is {where}",
        rule=RULE_FINAL_CHECK,
        record=record,
    )
