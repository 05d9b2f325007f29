"""API-key check for the endpoints that change data."""

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def require_api_key(
    request: Request,
    provided: Annotated[str | None, Depends(_api_key_header)],
) -> None:
    """Reject the request with 401 unless ``X-API-Key`` matches the configured key."""
    expected = request.app.state.settings.api_key.get_secret_value()
    if provided is None or not secrets.compare_digest(
        provided.encode("utf-8"), expected.encode("utf-8")
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid or missing API key",
        )
