import pytest
from fastapi.testclient import TestClient


def test_crud_round_trip(
    client: TestClient, auth: dict[str, str], widget: dict[str, object]
) -> None:
    assert client.get("/api/items").json() == []

    created = client.post("/api/items", json=widget, headers=auth)
    assert created.status_code == 201
    item = created.json()
    assert item["id"] >= 1
    assert {k: item[k] for k in widget} == widget
    assert item["created_at"] == item["updated_at"]

    fetched = client.get(f"/api/items/{item['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == item

    assert client.get("/api/items").json() == [item]

    changes = {**widget, "name": "Widget v2", "quantity": 3, "description": None}
    updated = client.put(f"/api/items/{item['id']}", json=changes, headers=auth)
    assert updated.status_code == 200
    body = updated.json()
    assert body["name"] == "Widget v2"
    assert body["quantity"] == 3
    assert body["description"] is None
    assert body["created_at"] == item["created_at"]
    assert body["updated_at"] >= item["updated_at"]

    deleted = client.delete(f"/api/items/{item['id']}", headers=auth)
    assert deleted.status_code == 204
    assert deleted.content == b""

    assert client.get(f"/api/items/{item['id']}").status_code == 404
    assert client.get("/api/items").json() == []


def test_input_is_normalised(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/api/items",
        json={"sku": " bolt-m8 ", "name": "  Bolt M8 ", "price_cents": 5},
        headers=auth,
    )
    assert response.status_code == 201
    item = response.json()
    assert item["sku"] == "BOLT-M8"
    assert item["name"] == "Bolt M8"
    assert item["quantity"] == 0


def test_list_pagination(client: TestClient, auth: dict[str, str]) -> None:
    for n in range(5):
        payload = {"sku": f"SKU-{n:03}", "name": f"Item {n}", "price_cents": n}
        assert client.post("/api/items", json=payload, headers=auth).status_code == 201

    page = client.get("/api/items", params={"limit": 2, "offset": 1}).json()
    assert [item["sku"] for item in page] == ["SKU-001", "SKU-002"]
    assert client.get("/api/items", params={"limit": 0}).status_code == 422
    assert client.get("/api/items", params={"limit": 101}).status_code == 422


def test_duplicate_sku_conflicts(
    client: TestClient, auth: dict[str, str], widget: dict[str, object]
) -> None:
    assert client.post("/api/items", json=widget, headers=auth).status_code == 201
    other = client.post("/api/items", json={**widget, "sku": "OTHER-1"}, headers=auth).json()

    assert client.post("/api/items", json=widget, headers=auth).status_code == 409
    clash = client.put(f"/api/items/{other['id']}", json=widget, headers=auth)
    assert clash.status_code == 409


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/items/999"),
        ("PUT", "/api/items/999"),
        ("DELETE", "/api/items/999"),
    ],
)
def test_missing_item_is_404(
    client: TestClient,
    auth: dict[str, str],
    widget: dict[str, object],
    method: str,
    path: str,
) -> None:
    kwargs = {"json": widget} if method == "PUT" else {}
    response = client.request(method, path, headers=auth, **kwargs)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item 999 not found"}


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"sku": "WIDGET-1", "name": "Widget"},  # price missing
        {"sku": "WIDGET-1", "name": "", "price_cents": 1},
        {"sku": "no spaces allowed", "name": "Widget", "price_cents": 1},
        {"sku": "WIDGET-1", "name": "Widget", "price_cents": -1},
        {"sku": "WIDGET-1", "name": "Widget", "price_cents": 1, "quantity": -5},
        {"sku": "WIDGET-1", "name": "Widget", "price_cents": "cheap"},
        {"sku": "WIDGET-1", "name": "Widget", "price_cents": 1, "colour": "red"},
    ],
)
def test_invalid_input_is_422(
    client: TestClient, auth: dict[str, str], payload: dict[str, object]
) -> None:
    response = client.post("/api/items", json=payload, headers=auth)
    assert response.status_code == 422
    assert client.get("/api/items").json() == []


def test_non_integer_id_is_422(client: TestClient) -> None:
    assert client.get("/api/items/abc").status_code == 422
