"""Documents: attaching and redacting a 50-page PDF, against rendering the same pages alone.

Redaction renders every page (PDFium, at the redaction's resolution), fills its boxes and
rebuilds the PDF from the images; attaching recognises the file, reads its text layer, seals it
in segments and signs the attachment. The baseline is PDFium rendering the same pages at the
same resolution and nothing else, in the same run: the floor any true redaction pays.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from adapters.app.application import Application
from adapters.governance import documents
from adapters.governance.redaction import SCALE, Phrase, redact
from domain.governance.documents import MediaType
from domain.kernel.roles import Role
from domain.routes.national.commands import PassToNominatedPerson, ReceiveNotification
from domain.routes.national.forms import PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview

if TYPE_CHECKING:
    from bench.__main__ import Results

PAGES = 50
NAMES = ("Karen Spence", "Dana Rendall", "4 Harbour Road")


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _fifty_pages(path: Path) -> Path:
    import weasyprint

    paragraph = (
        "On {n} March the social worker Karen Spence visited Dana Rendall at 4 Harbour Road. The family's "
        "circumstances were discussed and the agencies agreed to share what they saw. "
    )
    pages = "".join(
        f'<section style="break-after: page">{"".join(f"<p>{paragraph.format(n=n)}</p>" for _ in range(8))}</section>'
        for n in range(PAGES)
    )
    weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf(path)
    return path


def _render_alone(path: Path) -> float:
    started = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    for index in range(len(pdf)):
        page = pdf[index]
        page.render(scale=SCALE).to_pil().convert("RGB")
        page.close()
    pdf.close()
    return time.perf_counter() - started


def _review(work: Path) -> Application:
    app = Application(f"sqlite:///{work}/bench.db", work / "kek", create_kek=True, clock=_Clock())
    app.initialise("reviewledger.bench/documents")
    app.register_person("log", "admin", "Admin", (Role.ADMINISTRATOR,))
    app.register_person("admin", "officer", "Officer", (Role.CPC_OFFICER,))
    on = date(2026, 3, 1)
    app.execute(
        NationalReview,
        "LR-BENCH-1",
        "officer",
        ReceiveNotification(
            subject_group="child",
            received_on=on,
            subject=PersonDetails(subject_id="S-CHILD", name="Ellie Rendall", date_of_birth=date(2022, 4, 2)),
            notifier=PractitionerDetails(subject_id="S-NOTIFIER", name="Karen Spence", agency="Health"),
            reasons="Admitted to hospital.",
        ),
    )
    app.execute(
        NationalReview, "LR-BENCH-1", "officer", PassToNominatedPerson(passed_on=on, nominee="officer")
    )
    return app


def bench_documents(results: Results) -> None:
    with tempfile.TemporaryDirectory(prefix="reviewledger-bench-") as tmp:
        work = Path(tmp)
        source = _fifty_pages(work / "fifty.pdf")
        _render_alone(source)  # warm: PDFium loads its fonts once
        render_seconds = min(_render_alone(source) for _ in range(3))
        redact_seconds = min(_timed_redaction(source, work / f"out-{n}.pdf", work) for n in range(3))
        app = _review(work)
        try:
            started = time.perf_counter()
            documents.attach(
                app, review="LR-BENCH-1", step_version=1, path=source, about=("S-CHILD",), actor="officer"
            )
            attach_seconds = time.perf_counter() - started
        finally:
            app.close()
    render_rate = PAGES / render_seconds
    results.add(
        f"redact a {PAGES}-page PDF (render, fill, rebuild)",
        PAGES / redact_seconds,
        "pages/s",
        render_rate,
        0.5,
    )
    results.add(
        f"attach + redact a {PAGES}-page PDF",
        PAGES / (attach_seconds + redact_seconds),
        "pages/s",
        render_rate,
        0.5,
    )
    results.note(
        f"attach alone {attach_seconds:.2f} s, redact {redact_seconds:.2f} s, PDFium rendering alone "
        f"{render_seconds:.2f} s for {PAGES} pages at {SCALE * 72:.0f} dpi"
    )


def _timed_redaction(source: Path, out: Path, work: Path) -> float:
    started = time.perf_counter()
    phrases = [Phrase(text=name, ground="s.16 third party", source="detector") for name in NAMES]
    redact(source, MediaType.PDF, out, phrases=phrases, areas=[], work=work)
    return time.perf_counter() - started
