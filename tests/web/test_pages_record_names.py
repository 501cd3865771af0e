"""No internal record name reaches a page: every page of the demonstration, as each person in it sees it.

The log keeps a data subject's register entry as `subject-S-…`, a subject access request as
`sar-SAR-…`, an FOI request as `foi-FOI-…`, a reader's signed reads as `access-<account>`, a
review's files as `documents-<reference>`. Those are the store's names; a page says "the register
entry of S-…", "subject access request SAR-…". The walk follows every link from the reviews list
and My work (downloads included when they are pages, like a sent pack), signed in as each person.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterator

import pytest

from adapters.app.record_names import in_words, record_name, reference_of, streams_named
from adapters.demo.cast import CAST
from tests.web.support import Browser, Site

_ACCOUNTS = "|".join(re.escape(c.actor_id) for c in sorted(CAST, key=lambda c: -len(c.actor_id)))
STREAM_NAME = re.compile(
    rf"\b(?:subject-S-[A-Z0-9]|(?:sar|foi|documents)-[A-Z]{{2,}}|access-(?:{_ACCOUNTS})\b)"
)
LINK = re.compile(r'href="(/pages/[^"#]*)"')
NOT_FOLLOWED = re.compile(r"sign-out|\.(pdf|zip|json|csv)(\?|$)")
MOST_PAGES = 400  # per person: the demonstration has fewer; a loop in the links would stop here


def visible(page: str) -> str:
    """What a reader sees of a page: its text with the markup taken out."""
    return html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)))


def walk(browser: Browser) -> Iterator[tuple[str, str]]:
    """Every page reachable by its links from the reviews list and My work, once each."""
    seen: set[str] = set()
    queue = deque(["/pages/reviews", "/pages/my-work"])
    while queue and len(seen) < MOST_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = browser.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        yield path, response.text
        for link in LINK.findall(response.text):
            link = html.unescape(link)
            if link not in seen and not NOT_FOLLOWED.search(link):
                queue.append(link)


def test_the_pattern_finds_each_kind_of_internal_name() -> None:
    for name in ("subject-S-NLR1-MOTHER", "sar-SAR-2026-020", "foi-FOI-2026-101", "access-cog-chair"):
        assert STREAM_NAME.search(f"Searched: {name}."), name
    for words in ("the register entry of S-NLR1-MOTHER", "subject access request SAR-2026-020", "access-log"):
        assert not STREAM_NAME.search(words), words


@pytest.mark.parametrize("actor", [c.actor_id for c in CAST])
def test_no_page_shows_an_internal_record_name(site: Site, actor: str) -> None:
    browser = Browser(site.url)
    try:
        assert browser.sign_in(actor).status_code == 303
        found = [
            (path, match[0]) for path, page in walk(browser) for match in STREAM_NAME.finditer(visible(page))
        ]
        assert found == []
    finally:
        browser.close()


@pytest.mark.parametrize(
    ("stream", "words", "reference"),
    [
        ("subject-S-NLR1-MOTHER", "the register entry of S-NLR1-MOTHER", "S-NLR1-MOTHER"),
        ("sar-SAR-2026-020", "subject access request SAR-2026-020", "SAR-2026-020"),
        ("foi-FOI-2026-101", "FOI request FOI-2026-101", "FOI-2026-101"),
        ("access-cog-chair", "the access log of cog-chair", "cog-chair"),
        ("documents-LR-2026-001", "the documents of LR-2026-001", "LR-2026-001"),
        ("registry", "the register of people and keys", "registry"),
        ("LR-2026-001", "LR-2026-001", "LR-2026-001"),
    ],
)
def test_each_kind_of_record_is_named_in_words(stream: str, words: str, reference: str) -> None:
    assert record_name(stream) == words
    assert reference_of(stream) == reference
    assert streams_named(reference)[0] == reference and (
        stream in streams_named(reference) or stream == "registry"
    )


def test_a_text_has_every_record_name_in_it_said_in_words() -> None:
    said = in_words("We searched LR-2026-001, subject-S-NLR1-MOTHER and documents-LR-2026-001.")
    assert said == (
        "We searched LR-2026-001, the register entry of S-NLR1-MOTHER and the documents of LR-2026-001."
    )
    assert not STREAM_NAME.search(said)
