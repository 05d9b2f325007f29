from fastapi.testclient import TestClient


def test_liveness(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_when_database_answers(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readiness_fails_when_database_is_gone(client: TestClient) -> None:
    client.app.state.db.close()  # type: ignore[attr-defined]

    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    # Liveness does not depend on the database.
    assert client.get("/healthz").status_code == 200
