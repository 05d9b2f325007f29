"""Kubernetes liveness and readiness probes."""

from fastapi import APIRouter, Response, status

from inventory_api.dependencies import DatabaseDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def liveness() -> dict[str, str]:
    """The process is up and serving HTTP."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"description": "Database unavailable"}},
)
def readiness(db: DatabaseDep, response: Response) -> dict[str, str]:
    """The service can take traffic: its database answers."""
    if db.ping():
        return {"status": "ready"}
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "unavailable"}
