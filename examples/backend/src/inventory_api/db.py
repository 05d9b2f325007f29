"""Thin, thread-safe wrapper around a single stdlib ``sqlite3`` connection."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sku         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
)
"""


class Database:
    """One SQLite connection shared by all requests.

    FastAPI runs synchronous endpoints in a thread pool, so the connection is
    opened with ``check_same_thread=False`` and every use is serialised by a
    lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        with conn:
            conn.execute(SCHEMA)
        self._conn = conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Yield the connection inside a transaction (commit or roll back)."""
        with self._lock:
            if self._conn is None:
                raise RuntimeError("database is not connected")
            with self._conn:
                yield self._conn

    def ping(self) -> bool:
        """Return True when the database answers ``SELECT 1``."""
        try:
            with self.transaction() as conn:
                return conn.execute("SELECT 1").fetchone()[0] == 1
        except (sqlite3.Error, RuntimeError):
            return False
