from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inventory_api.main import app

API_KEY = "test-api-key"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "inventory.db"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    monkeypatch.setenv("INVENTORY_API_KEY", API_KEY)
    monkeypatch.setenv("INVENTORY_DATABASE_PATH", str(db_path))
    monkeypatch.setenv("INVENTORY_LOG_LEVEL", "debug")


@pytest.fixture
def client(env: None) -> Iterator[TestClient]:
    # Entering the context manager runs the lifespan (startup and shutdown).
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"X-API-Key": API_KEY}


@pytest.fixture
def widget() -> dict[str, object]:
    return {
        "sku": "WIDGET-1",
        "name": "Widget",
        "description": "A small widget",
        "quantity": 10,
        "price_cents": 1999,
    }
