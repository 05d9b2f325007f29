import logging

import pytest
from conftest import API_KEY
from fastapi.testclient import TestClient


@pytest.fixture
def item_id(client: TestClient, auth: dict[str, str], widget: dict[str, object]) -> int:
    return client.post("/api/items", json=widget, headers=auth).json()["id"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "wrong-key"}, {"X-API-Key": ""}, {"X-API-Key": API_KEY + "x"}],
    ids=["missing", "wrong", "empty", "longer"],
)
def test_writes_require_the_api_key(
    client: TestClient,
    widget: dict[str, object],
    item_id: int,
    headers: dict[str, str],
) -> None:
    requests = [
        ("POST", "/api/items", {"json": {**widget, "sku": "NEW-1"}}),
        ("PUT", f"/api/items/{item_id}", {"json": widget}),
        ("DELETE", f"/api/items/{item_id}", {}),
    ]
    for method, path, kwargs in requests:
        response = client.request(method, path, headers=headers, **kwargs)
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": "Invalid or missing API key"}

    # Nothing changed.
    assert [item["sku"] for item in client.get("/api/items").json()] == ["WIDGET-1"]


def test_reads_are_public(client: TestClient, item_id: int) -> None:
    assert client.get("/api/items").status_code == 200
    assert client.get(f"/api/items/{item_id}").status_code == 200


def test_api_key_is_never_logged(
    env: None,
    auth: dict[str, str],
    widget: dict[str, object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    from inventory_api.main import app

    with TestClient(app) as client:
        client.post("/api/items", json=widget, headers=auth)
        client.post("/api/items", json=widget, headers={"X-API-Key": "nope"})

    assert caplog.records
    assert API_KEY not in caplog.text
    assert API_KEY not in repr(client.app.state.settings)  # type: ignore[attr-defined]
