"""The server's logs of a whole scenario hold no personal data, no secret and no payload.

Every route of the demonstration is taken over HTTP, with refused steps, bad input carrying
names, failed sign-ins (one with a password typed where the account goes), personal data read
and refused, every view, verification and sign-out. Everything the server logs is captured as
the JSON lines it writes when not on a terminal, and searched for every personal value the
store holds in plaintext, every password and token, the private keys and the key-encryption
key, and every stored payload and ciphertext in every encoding the logs could show them in.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa
import structlog

from adapters.app.application import Application
from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CAST
from adapters.store.mapper import decode_state
from adapters.store.personal_data import take_personal_values
from adapters.store.tables import private_keys, sealed
from domain.kernel.event import to_builtins
from tests.http.api_support import PASSWORD, Api, record_steps, register_subjects, serving

WRONG_PASSWORD = "Hunter2 but longer"
TYPED_IN_THE_WRONG_BOX = "Priya Hallam's own secret"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Every structured line (and every standard-library line) the process writes, as JSON lines."""
    buffer = io.StringIO()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=structlog.PrintLoggerFactory(file=buffer),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(buffer)
    server_loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "litestar")]
    for logger in server_loggers:
        logger.addHandler(handler)
    try:
        yield buffer
    finally:
        for logger in server_loggers:
            logger.removeHandler(handler)
        structlog.reset_defaults()


def scenario(api: Api) -> None:
    scripts = [importlib.import_module(name) for name in SCRIPTS]
    for script in scripts:
        register_subjects(api, script)
    for script in scripts:
        record_steps(api, script.steps(START))
    officer, cog = api.as_("cpc-officer"), api.as_("cog-chair")
    # Failed sign-ins: a wrong password, a password typed as the account, then too many.
    assert api.sign_in("cpc-chair", WRONG_PASSWORD).status_code == 401
    assert api.sign_in(TYPED_IN_THE_WRONG_BOX, PASSWORD).status_code == 401
    for _ in range(5):
        api.sign_in("qa-chair", WRONG_PASSWORD)
    assert api.sign_in("qa-chair", WRONG_PASSWORD).status_code == 429
    # Bad input carrying personal data, in the body, the path and the query string.
    bad = officer.post(
        "/reviews/national/LR-2026-009/steps/receive-notification",
        json={"subject": {"name": 42, "date_of_birth": "Jamie Example"}, "reasons": "Jamie Example was hurt"},
    )
    assert bad.status_code == 400
    assert officer.get("/reviews/Jamie Example/history").status_code == 400
    assert officer.get("/reviews/LR-2026-001/trail", params={"as_at": "Jamie Example"}).status_code == 400
    # Reads: personal data for the committee and an inspector, the bases of decisions for the COG,
    # refused to an agency contact (not on the review's team); every view.
    readers = (
        ("cpc-officer", "review"),
        ("inspector", "inspection"),
        ("cog-chair", "review"),
        ("agency-contact", "review"),
    )
    for reader, purpose in readers:
        api.as_(reader).get("/reviews/LR-2026-001/history", params={"personal": "true", "purpose": purpose})
    for path in ("state", "trail", "terms", "timeline", "history"):
        assert officer.get(f"/reviews/LR-2026-001/{path}").status_code == 200
    assert cog.get("/reviews/LR-2026-001/trail").status_code == 200
    assert officer.get("/reviews/LR-2026-001/diff", params={"from": "2026-02-01"}).status_code == 200
    assert officer.get("/clocks").status_code == 200
    assert officer.get("/reviews").status_code == 200
    inspector = api.as_("inspector")
    assert inspector.get("/log/verify").json()["intact"] is True
    assert inspector.get("/log/checkpoint").status_code == 200
    assert inspector.get("/access-log").status_code == 200
    assert officer.delete("/sessions/current").status_code == 204


def secrets_and_personal_data(api: Api) -> dict[str, str]:
    """Everything that must never be logged, by what it is."""
    forbidden: dict[str, str] = {
        PASSWORD: "password",
        WRONG_PASSWORD: "password",
        TYPED_IN_THE_WRONG_BOX: "typed",
    }
    for member in CAST:
        forbidden[member.name] = "a person's name"
    for actor, client in api.clients.items():
        token = client.headers.get("Authorization", "").removeprefix("Bearer ")
        if token:
            forbidden[token] = f"{actor}'s token"
            forbidden[token.removeprefix("rls_")] = f"{actor}'s token"
    kek = api.settings.kek_file.read_bytes().strip()
    forbidden[kek.decode()] = "the key-encryption key"
    app = Application(api.settings.db_url, api.settings.kek_file)
    forbidden[app.log_kek_file.read_text().strip()] = "the log's key-encryption key"
    try:
        for notification in app.ledger.iter_notifications(0):
            stream = str(notification.originator_id)
            record = decode_state(
                stream, notification.originator_version, notification.topic, notification.state
            )
            for blob in (record.payload, record.signature):
                forbidden[base64.b64encode(blob).decode()] = f"stored bytes of {stream}"
            forbidden[record.payload.decode()] = f"the payload of {stream}"
        for recorded in app.ledger.read_all(unseal=True):
            for value in take_personal_values(to_builtins(recorded.event)):
                if value is not None and len(value) >= 6:
                    forbidden[value] = f"a personal value in {recorded.stream}"
        with app.db.reader.connect() as conn:
            for (ciphertext,) in conn.execute(sa.select(sealed.c.ciphertext)):
                forbidden[base64.b64encode(ciphertext).decode()] = "a sealed ciphertext"
                forbidden[ciphertext.hex()] = "a sealed ciphertext"
            for key_id, encrypted in conn.execute(sa.select(private_keys.c.key_id, private_keys.c.encrypted)):
                forbidden[base64.b64encode(encrypted).decode()] = "an encrypted private key"
                if key_id.startswith("mldsa44-"):  # the log's ML-DSA-44 seed, under the log KEK
                    raw = app.ledger.log_keys.load_secret(key_id)
                else:
                    keys = app.ledger.log_keys if key_id == app.ledger.log_key.key_id else app.ledger.keys
                    raw = keys.load(key_id).private_key.private_bytes_raw()
                forbidden[base64.b64encode(raw).decode()] = "a private key"
                forbidden[raw.hex()] = "a private key"
    finally:
        app.close()
    return forbidden


@pytest.mark.slow
def test_the_logs_of_a_whole_scenario_hold_no_personal_data_secret_or_payload(
    tmp_path: Path, captured_logs: io.StringIO
) -> None:
    with serving(f"sqlite:///{tmp_path}/store.db", tmp_path) as api:
        scenario(api)
        forbidden = secrets_and_personal_data(api)
    text = captured_logs.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    # The logs are there, structured, and name requests and people by id.
    requests = [line for line in lines if line["event"] == "http_request"]
    assert len(requests) > 150
    assert all(line["request_id"] for line in requests)
    assert {line.get("actor") for line in requests} >= {"cpc-officer", "cog-chair", "inspector"}
    events = {line["event"] for line in lines}
    assert {
        "signed_in",
        "sign_in_refused",
        "data_read",
        "read_refused",
        "not_authorised",
        "signed_out",
    } <= events
    assert len(forbidden) > 500
    found = {what for value, what in forbidden.items() if value in text}
    assert found == set(), f"the logs hold {sorted(found)}"
    assert "Traceback" not in text
    # Routes are logged by their template: nothing typed into a URL reaches the log.
    assert "Jamie" not in text
    assert msgspec.json.decode(text.splitlines()[-1].encode())["level"] in ("info", "warning", "debug")
