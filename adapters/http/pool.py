"""A few open Applications, each lent to one request at a time.

An Application caches the registry of people and keys as it reads it, so one is never used
by two threads at once; a small pool lets requests run side by side (and lets two people's
steps on one review meet as a conflict, which the ledger refuses, instead of queueing).
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.app.application import Application, Clock
from adapters.app.config import Settings


class ApplicationPool:
    def __init__(self, settings: Settings, size: int = 4, clock: Clock | None = None) -> None:
        if size < 1:
            raise ValueError("the pool needs at least one application")
        self._idle: queue.LifoQueue[Application] = queue.LifoQueue()
        self._all: list[Application] = []
        try:
            for _ in range(size):
                app = Application(
                    settings.db_url,
                    settings.kek_file,
                    clock=clock,
                    create_store=False,
                    log_kek_file=settings.log_kek_file,
                    witness_policy=settings.witness_policy,
                    witness_timeout=settings.witness_timeout,
                )
                self._all.append(app)
                self._idle.put(app)
            first = self._all[0]
            first.ledger.require()
            first.ledger.tree.catch_up()
            first.ledger.complete_disposals()
        except BaseException:
            self.close()
            raise

    @contextmanager
    def borrow(self) -> Iterator[Application]:
        app = self._idle.get()
        try:
            yield app
        finally:
            self._idle.put(app)

    def close(self) -> None:
        for app in self._all:
            app.close()
        self._all.clear()
