"""What a subject access pack withholds is decided in one place, and counted by items.

The mother's file from `test_sar_request`: three items collated, her son and her neighbour named
in the first, her son in the third, a serious-harm passage confirmed in the second. Then the
officer releases an item in part, and the decision reads what opening the items showed: another
person's name found in the words, a practitioner, words disposed of, an item not found.
"""

from __future__ import annotations

import pytest

from domain.governance.documents import DisclosureOutcome
from domain.governance.sar.pack import RULE_THIRD_PARTY
from domain.governance.sar.steps import (
    DeclineSeriousHarm,
    ItemReleasedInPart,
    ReleaseBasis,
    ReleaseItemInPart,
    ReleaseThirdPartyData,
)
from domain.governance.sar.withholding import (
    Counts,
    DocumentFound,
    Found,
    Held,
    Outcome,
    Person,
    decide,
    third_parties,
)
from domain.governance.subjects import SubjectCategory
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import Nature
from tests.domain.record_steps import refused, run
from tests.domain.test_sar_request import (
    IG,
    IG2,
    MINI,
    MOTHER,
    NEIGHBOUR,
    REVIEW,
    SON,
    collated,
    harm_proposed,
    reviewed,
    violation,
)

CONCERN, MINUTES, SUMMARY = f"{REVIEW}@3/concern", f"{REVIEW}@9/minutes", f"{MINI}@2/summary"
SOCIAL_WORKER, AUNT = "S-social-worker", "S-aunt"


def test_the_count_is_of_items_never_of_redaction_log_rows() -> None:
    sar = reviewed()
    assert len(sar.withheld()) == 4  # son and neighbour in one item, son in another, one serious-harm passage
    decision = decide(sar)
    assert [(i.item_id, i.outcome) for i in decision.items] == [
        (CONCERN, Outcome.WITHHELD),
        (MINUTES, Outcome.WITHHELD),
        (SUMMARY, Outcome.WITHHELD),
    ]
    assert decision.counts() == Counts(items=3, disclosed=0, in_part=0, withheld=3, disposed=0, not_found=0)
    assert decision.counts().summary() == "3 items, 3 withheld"


def test_a_serious_harm_passage_is_withheld_from_a_draft_until_a_second_officer_declines_it() -> None:
    sar = harm_proposed()
    assert (decide(sar).item(MINUTES).outcome, decide(sar).item(MINUTES).redactions) == (
        Outcome.WITHHELD,
        (1,),
    )
    run(sar, IG2, DeclineSeriousHarm(redaction=1, reasons="The son is now an adult."), 21)
    assert (decide(sar).item(MINUTES).outcome, decide(sar).item(MINUTES).redactions) == (
        Outcome.DISCLOSED,
        (),
    )


def test_an_item_is_given_once_every_other_person_in_it_is_released() -> None:
    sar = collated()
    release = ReleaseThirdPartyData(
        item_id=SUMMARY, third_party=SON, basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons="Known to her."
    )
    run(sar, IG, release, 20)
    decision = decide(sar)
    assert decision.item(SUMMARY).outcome is Outcome.DISCLOSED
    assert decision.item(SUMMARY).people == (Person(subject=SON, released=True),)
    assert decision.item(CONCERN).withheld_people == (SON, NEIGHBOUR)
    assert decision.counts().summary() == "3 items, 1 withheld"


def test_an_item_released_in_part_is_given_with_the_others_marked() -> None:
    sar = run(
        collated(), IG, ReleaseItemInPart(item_id=CONCERN, reasons="Her own concern; names marked."), 20
    )
    event = sar.collect_events()[-1]
    assert isinstance(event, ItemReleasedInPart)
    assert (event.item_id, event.reasons.about, event.reasons.nature) == (
        CONCERN,
        (MOTHER, SON, NEIGHBOUR),
        Nature.OPINION,
    )
    decision = decide(sar)
    assert decision.item(CONCERN).outcome is Outcome.IN_PART
    assert decision.item(CONCERN).withheld_people == (SON, NEIGHBOUR)
    assert decision.counts().summary() == "3 items, 1 withheld, 1 given in part"


def test_an_item_naming_nobody_at_collation_can_be_released_in_part_for_those_found_later() -> None:
    sar = run(collated(), IG, ReleaseItemInPart(item_id=MINUTES, reasons="Names found since are marked."), 20)
    found = {MINUTES: Found(named=(MOTHER,), detected={AUNT: ("Isla",)})}
    decision = decide(sar, {AUNT: SubjectCategory.FAMILY_MEMBER}, found)
    assert (decision.item(MINUTES).outcome, decision.item(MINUTES).withheld_people) == (
        Outcome.IN_PART,
        (AUNT,),
    )


def test_a_serious_harm_redaction_keeps_an_item_withheld_even_when_released_in_part() -> None:
    sar = run(reviewed(), IG, ReleaseItemInPart(item_id=CONCERN, reasons="Names marked."), 31)
    run(
        sar,
        IG,
        ReleaseThirdPartyData(
            item_id=SUMMARY, third_party=SON, basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons="Known."
        ),
        31,
    )
    decision = decide(sar)
    assert [i.outcome for i in decision.items] == [Outcome.IN_PART, Outcome.WITHHELD, Outcome.DISCLOSED]
    assert decision.item(MINUTES).redactions == (1,)


@pytest.mark.parametrize(
    ("command", "error", "message"),
    [
        (
            ReleaseItemInPart(item_id="LR-2026-001@99/views", reasons="Why."),
            InvalidInput,
            "item_id: LR-2026-001@99/views is not in the pack; collate it first",
        ),
        (
            ReleaseItemInPart(item_id=CONCERN, reasons="  "),
            RuleViolation,
            violation(
                "an item is released in part only with a recorded reason: why the rest of it can be given",
                RULE_THIRD_PARTY,
            ),
        ),
    ],
)
def test_a_release_in_part_is_refused_without_an_item_in_the_pack_or_a_reason(
    command: ReleaseItemInPart, error: type[Exception], message: str
) -> None:
    refused(collated(), IG, command, 20, error, message)  # type: ignore[arg-type]


def test_an_item_is_released_in_part_once() -> None:
    sar = run(collated(), IG, ReleaseItemInPart(item_id=CONCERN, reasons="Names marked."), 20)
    refused(
        sar,
        IG,
        ReleaseItemInPart(item_id=CONCERN, reasons="Again."),
        21,
        RuleViolation,
        violation(f"{CONCERN} is already released in part", RULE_THIRD_PARTY),
    )


def test_a_person_found_in_the_words_is_withheld_like_one_the_record_names() -> None:
    sar = collated()
    categories = {AUNT: SubjectCategory.FAMILY_MEMBER, SOCIAL_WORKER: SubjectCategory.PRACTITIONER}
    found = {
        MINUTES: Found(
            named=(MOTHER, SOCIAL_WORKER), detected={AUNT: ("Isla",), SOCIAL_WORKER: ("Ms Baird",)}
        ),
        SUMMARY: Found(held=Held.DISPOSED),
        CONCERN: Found(held=Held.NOT_FOUND),
    }
    decision = decide(sar, categories, found)
    # The aunt is nowhere in the annotations, but her name is in the minutes; the practitioner is in role.
    assert decision.item(MINUTES).people == (
        Person(subject=AUNT, released=False, words=("Isla",), collated=False),
    )
    assert decision.item(MINUTES).outcome is Outcome.WITHHELD
    assert decision.item(SUMMARY).outcome is Outcome.DISPOSED
    assert decision.item(CONCERN).outcome is Outcome.NOT_FOUND
    assert decision.counts().summary() == "3 items, 1 withheld, 1 disposed of, 1 not found"


def test_everyone_but_the_requester_the_subject_and_practitioners_is_withheld_by_default() -> None:
    categories = {SOCIAL_WORKER: SubjectCategory.PRACTITIONER, SON: SubjectCategory.CHILD}
    found = third_parties((MOTHER, SON, SOCIAL_WORKER, "S-unregistered", SON), (MOTHER,), categories)
    assert found == (SON, "S-unregistered")


def test_a_document_about_the_subject_is_an_item_counted_as_the_officer_decided() -> None:
    """Four documents of the review: redacted, given whole, withheld, none decided yet; and one whose
    content went with the review's disposal. Each is an item after the collated three."""
    sar = reviewed()
    documents = [
        DocumentFound(item_id=f"{REVIEW}@3/document/{REVIEW}-D1", given=DisclosureOutcome.REDACTED),
        DocumentFound(item_id=f"{REVIEW}@3/document/{REVIEW}-D2", given=DisclosureOutcome.RELEASED),
        DocumentFound(item_id=f"{REVIEW}@9/document/{REVIEW}-D3", given=DisclosureOutcome.WITHHELD),
        DocumentFound(item_id=f"{REVIEW}@9/document/{REVIEW}-D4"),
        DocumentFound(item_id=f"{REVIEW}@9/document/{REVIEW}-D5", held=Held.DISPOSED),
    ]
    decision = decide(sar, documents=documents)
    assert [i.outcome for i in decision.items[3:]] == [
        Outcome.IN_PART,
        Outcome.DISCLOSED,
        Outcome.WITHHELD,
        Outcome.WITHHELD,
        Outcome.DISPOSED,
    ]
    assert decision.counts().summary() == "8 items, 5 withheld, 1 given in part, 1 disposed of"
