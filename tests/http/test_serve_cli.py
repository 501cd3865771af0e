"""`reviewledger serve` as a real process: it listens on 127.0.0.1, answers, logs JSON lines, and stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.http.api_support import PASSWORD, SERVER_START, ThreadSafeClock, set_up_store


def test_the_server_process_serves_the_api_until_told_to_stop(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/store.db"
    kek = tmp_path / "kek"
    set_up_store(db_url, kek, ThreadSafeClock(SERVER_START))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "adapters.cli",
            "--db",
            db_url,
            "--kek-file",
            str(kek),
            "serve",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("serving the HTTP API on http://127.0.0.1:"), first
        url = first.split()[5]
        assert httpx.get(f"{url}/openapi.json", timeout=30).json()["info"]["title"] == "reviewledger"
        token = httpx.post(
            f"{url}/sessions", json={"actor": "cpc-officer", "password": PASSWORD}, timeout=30
        ).json()["token"]
        subject = {"subject_id": "S-SERVE-1", "category": "child", "name": "Robin Example"}
        created = httpx.post(
            f"{url}/subjects", json=subject, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert created.status_code == 201, created.text
        assert created.json() == {"subject_id": "S-SERVE-1", "record": "subject-S-SERVE-1", "version": 1}
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    # uvicorn shuts down cleanly, then lets the signal end the process as it would have (exit 143).
    assert process.returncode in (0, -signal.SIGTERM)
    lines = [json.loads(line) for line in err.splitlines()]
    served = [line for line in lines if line["event"] == "http_request"]
    assert [(line["route"], line["status"]) for line in served] == [
        ("/openapi.json", 200),
        ("/sessions", 201),
        ("/subjects", 201),
    ]
    assert served[-1]["actor"] == "cpc-officer" and served[-1]["request_id"]
    assert "Robin Example" not in err and PASSWORD not in err and token not in err
