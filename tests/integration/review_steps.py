"""Steps of a National Learning Review that the concurrency and crash tests repeat many times.

A review is opened (notification received, passed to the nominated person); after that an
officer may request information from any number of agencies and record each agency's return,
which holds sealed personal data. Subjects are registered on their own streams.
"""

from __future__ import annotations

from datetime import date

from adapters.app.application import Application
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.routes.national.commands import (
    PassToNominatedPerson,
    ReceiveNotification,
    RecordAgencyReturn,
    RequestInformation,
)
from domain.routes.national.forms import PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview

# Every step is dated the day before the test clocks start, so it is never in the future.
ON = date(2026, 3, 1)


def open_review(app: Application, reference: str, officer: str) -> None:
    on = ON
    app.execute(
        NationalReview,
        reference,
        officer,
        ReceiveNotification(
            subject_group="child",
            received_on=on,
            subject=PersonDetails(subject_id="S-CHILD", name="Ellie Rendall", date_of_birth=date(2022, 4, 2)),
            notifier=PractitionerDetails(subject_id="S-NOTIFIER", name="Karen Spence", agency="Social work"),
            reasons="Admitted to hospital after a long period of neglect at home.",
        ),
    )
    app.execute(NationalReview, reference, officer, PassToNominatedPerson(passed_on=on, nominee=officer))


def request_information(app: Application, reference: str, officer: str, agency: str) -> NationalReview:
    return app.execute(
        NationalReview,
        reference,
        officer,
        RequestInformation(agencies=(agency,), requested_on=ON),
    )


def record_return(app: Application, reference: str, officer: str, agency: str) -> NationalReview:
    return app.execute(
        NationalReview,
        reference,
        officer,
        RecordAgencyReturn(
            agency=agency,
            received_on=ON,
            author="S-NOTIFIER",
            involvement=f"{agency} saw the family weekly.",
            initial_reflection=f"{agency} could have shared its concerns sooner.",
        ),
    )


def register_subject(app: Application, subject_id: str, officer: str) -> DataSubject:
    return app.execute(
        DataSubject,
        subject_stream(subject_id),
        officer,
        RegisterSubject(subject_id=subject_id, category=SubjectCategory.OTHER, name="Jamie Tulloch"),
    )
