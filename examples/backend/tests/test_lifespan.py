import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from inventory_api.main import app
from inventory_api.settings import Settings


def test_startup_creates_database_and_shutdown_closes_it(
    env: None, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="inventory_api")

    with TestClient(app) as client:
        assert db_path.exists()
        assert "startup complete" in caplog.messages
        assert "shutdown complete" not in caplog.messages
        assert client.get("/readyz").status_code == 200
        db = client.app.state.db  # type: ignore[attr-defined]

    assert "shutdown complete" in caplog.messages
    assert db.ping() is False  # connection closed by the lifespan

    with closing(sqlite3.connect(db_path)) as conn:
        tables = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'items'"
        ).fetchall()
    assert tables == [("items",)]


def test_data_survives_a_restart(
    env: None, auth: dict[str, str], widget: dict[str, object]
) -> None:
    with TestClient(app) as client:
        item = client.post("/api/items", json=widget, headers=auth).json()
    with TestClient(app) as client:
        assert client.get(f"/api/items/{item['id']}").json() == item


def test_startup_fails_without_api_key(env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVENTORY_API_KEY")
    with pytest.raises(ValidationError, match="api_key"), TestClient(app):
        pass


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APP_NAME", "LOG_LEVEL", "DATABASE_PATH"):
        monkeypatch.delenv(f"INVENTORY_{name}", raising=False)
    monkeypatch.setenv("INVENTORY_API_KEY", "secret")

    settings = Settings()  # type: ignore[call-arg]
    assert settings.app_name == "inventory-api"
    assert settings.log_level == "info"
    assert settings.database_path == Path("/tmp/inventory.db")
    assert settings.api_key.get_secret_value() == "secret"
    assert "secret" not in repr(settings)


def test_settings_rejects_empty_key_and_bad_log_level(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INVENTORY_API_KEY", "")
    with pytest.raises(ValidationError):
        Settings()  # type: ignore[call-arg]

    monkeypatch.setenv("INVENTORY_API_KEY", "secret")
    monkeypatch.setenv("INVENTORY_LOG_LEVEL", "WARNING")
    assert Settings().log_level == "warning"  # type: ignore[call-arg]
    monkeypatch.setenv("INVENTORY_LOG_LEVEL", "verbose")
    with pytest.raises(ValidationError):
        Settings()  # type: ignore[call-arg]
