"""The pages a newcomer reads first stay true: the map names only what exists, the README stays short,
and every link between the documents leads somewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MAP = ROOT / "docs" / "MAP.md"
MANUAL = ROOT / "docs" / "cli.md"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
# The packages whose every module the module map in ARCHITECTURE.md names.
MAPPED = ("domain", "audit", "projections", "adapters", "verifier/reviewledger_verify")

_CODE = re.compile(r"`([^`\s]+)`")
_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$")
_NAMED = re.compile(r"^([A-Za-z0-9_./-]+\.py):([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)


def _section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of that level."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _code_spans(text: str) -> list[str]:
    return _CODE.findall(text)


def _named(text: str) -> list[tuple[str, str]]:
    """Every `path.py:name` (or `path.py:Class.method`) in the text."""
    return [(m.group(1), m.group(2)) for span in _code_spans(text) if (m := _NAMED.match(span))]


def _paths(text: str) -> list[str]:
    """Every code span that is a path inside the repository: it has a slash and no spaces."""
    return [span for span in _code_spans(text) if "/" in span and _PATH.match(span)]


def _names_defined(body: list[ast.stmt]) -> dict[str, ast.stmt]:
    """The names a module or class body defines: functions, classes, and assigned names."""
    defined: dict[str, ast.stmt] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    defined[target.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined[node.target.id] = node
    return defined


def _defines(path: Path, dotted: str) -> bool:
    body: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    parts = dotted.split(".")
    for depth, part in enumerate(parts):
        node = _names_defined(body).get(part)
        if node is None:
            return False
        if depth < len(parts) - 1:
            if not isinstance(node, ast.ClassDef):
                return False
            body = node.body
    return True


def _slug(heading: str) -> str:
    """The anchor a heading gets when the page is shown: lower case, punctuation dropped, spaces as dashes."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


def _module_map() -> dict[str, str]:
    """Each folder of the module map ("Where each module lives") with the text of its row."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index("### Where each module lives\n")
    table = text[start : text.index("\n## ", start)]
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `([^`]+/)` \|(.*)\|$", table, re.MULTILINE)}


def _folders_of_modules() -> dict[str, list[str]]:
    """Every folder of the mapped packages that holds modules, with their names."""
    folders: dict[str, list[str]] = {}
    for package in MAPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.stem not in {"__init__", "__main__"}:
                folder = f"{path.parent.relative_to(ROOT).as_posix()}/"
                folders.setdefault(folder, []).append(path.stem)
    return folders


def test_the_module_map_names_every_module_in_its_folder() -> None:
    rows = _module_map()
    folders = _folders_of_modules()
    assert [folder for folder in folders if folder not in rows] == []
    assert [folder for folder in rows if folder not in folders] == []
    unnamed = [
        f"{folder}{stem}.py"
        for folder, stems in folders.items()
        for stem in stems
        if f"`{stem}`" not in rows[folder]
    ]
    assert unnamed == []


def test_every_path_the_map_names_exists() -> None:
    paths = _paths(MAP.read_text(encoding="utf-8"))
    assert len(paths) > 20
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_every_function_the_map_names_is_defined_where_it_says() -> None:
    named = _named(MAP.read_text(encoding="utf-8"))
    assert len(named) > 20
    assert [f"{path}:{name}" for path, name in named if not (ROOT / path).is_file()] == []
    assert [f"{path}:{name}" for path, name in named if not _defines(ROOT / path, name)] == []


def test_a_definition_the_map_does_not_hold_is_noticed(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("X = 1\nclass Log:\n    def run(self) -> None: ...\ndef check() -> None: ...\n")
    assert _defines(module, "X") and _defines(module, "Log.run") and _defines(module, "check")
    assert not _defines(module, "Log.stop")
    assert not _defines(module, "check.inner")
    assert not _defines(module, "verify")


def test_the_map_answers_ten_rules_each_at_a_function() -> None:
    rules = re.split(
        r"\n(?=\d+\. )", _section(MAP.read_text(encoding="utf-8"), 'Where to find "the rule that …"')
    )
    answers = [rule for rule in rules if re.match(r"\d+\. ", rule)]
    assert len(answers) == 10
    assert [rule.splitlines()[0] for rule in answers if not _named(rule)] == []


def test_the_life_of_one_command_takes_nine_lines() -> None:
    life = _section(MAP.read_text(encoding="utf-8"), "The life of one command")
    steps = re.findall(r"^\d+\. .+$", life, re.MULTILINE)
    assert len(steps) == 9
    assert [step for step in steps if not _named(step) and "exit status" not in step] == []


def test_the_readme_stays_under_two_hundred_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) < 200


def test_the_readme_leads_to_the_map_and_the_manual() -> None:
    links = _LINK.findall(README.read_text(encoding="utf-8"))
    assert "docs/MAP.md" in links
    assert "docs/cli.md" in links


def test_every_link_between_the_documents_resolves() -> None:
    documents = [README, ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert MANUAL in documents and MAP in documents
    broken: list[str] = []
    for document in documents:
        for link in _LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", link):
                continue  # an address outside the repository
            target, _, anchor = link.partition("#")
            resolved = (document.parent / target).resolve() if target else document
            if not resolved.exists():
                broken.append(f"{document.name}: {link}")
            elif anchor and resolved.suffix == ".md":
                headings = {_slug(h) for h in _HEADING.findall(resolved.read_text(encoding="utf-8"))}
                if anchor not in headings:
                    broken.append(f"{document.name}: {link} (no such heading)")
    assert broken == []


def test_a_broken_anchor_would_be_noticed() -> None:
    assert _slug("What `verify` checks, and how a change is located") == (
        "what-verify-checks-and-how-a-change-is-located"
    )
    assert _slug('Where to find "the rule that …"') == "where-to-find-the-rule-that-"


def test_the_manual_holds_the_table_make_bench_rewrites() -> None:
    text = MANUAL.read_text(encoding="utf-8")
    assert text.count("<!-- bench:start -->") == 1
    assert text.count("<!-- bench:end -->") == 1
    assert text.index("<!-- bench:start -->") < text.index("<!-- bench:end -->")
