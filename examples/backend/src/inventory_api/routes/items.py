"""CRUD endpoints for inventory items."""

import sqlite3
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from inventory_api.dependencies import DatabaseDep
from inventory_api.models import Item, ItemIn
from inventory_api.security import require_api_key

router = APIRouter(prefix="/api/items", tags=["items"])

WriteAccess = [Depends(require_api_key)]

# Literal SQL with ? placeholders only: nothing is ever formatted into a statement.
SQL_LIST = (
    "SELECT id, sku, name, description, quantity, price_cents, created_at, updated_at"
    " FROM items ORDER BY id LIMIT ? OFFSET ?"
)
SQL_GET = (
    "SELECT id, sku, name, description, quantity, price_cents, created_at, updated_at"
    " FROM items WHERE id = ?"
)
SQL_INSERT = (
    "INSERT INTO items (sku, name, description, quantity, price_cents, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id, sku, name, description, quantity, price_cents, created_at, updated_at"
)
SQL_UPDATE = (
    "UPDATE items SET sku = ?, name = ?, description = ?, quantity = ?, price_cents = ?,"
    " updated_at = ? WHERE id = ?"
    " RETURNING id, sku, name, description, quantity, price_cents, created_at, updated_at"
)
SQL_DELETE = "DELETE FROM items WHERE id = ?"

_AUTH_RESPONSES: dict[int | str, dict[str, str]] = {
    status.HTTP_401_UNAUTHORIZED: {"description": "Invalid or missing API key"},
}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _not_found(item_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Item {item_id} not found")


def _sku_conflict(sku: str) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail=f"SKU {sku} already exists")


def _to_item(row: sqlite3.Row) -> Item:
    return Item.model_validate(dict(row))


@router.get("")
def list_items(
    db: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Item]:
    with db.transaction() as conn:
        rows = conn.execute(SQL_LIST, (limit, offset)).fetchall()
    return [_to_item(row) for row in rows]


@router.get("/{item_id}", responses={404: {"description": "Item not found"}})
def get_item(item_id: int, db: DatabaseDep) -> Item:
    with db.transaction() as conn:
        row = conn.execute(SQL_GET, (item_id,)).fetchone()
    if row is None:
        raise _not_found(item_id)
    return _to_item(row)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=WriteAccess,
    responses={**_AUTH_RESPONSES, 409: {"description": "SKU already exists"}},
)
def create_item(payload: ItemIn, db: DatabaseDep) -> Item:
    now = _now()
    try:
        with db.transaction() as conn:
            row = conn.execute(
                SQL_INSERT,
                (
                    payload.sku,
                    payload.name,
                    payload.description,
                    payload.quantity,
                    payload.price_cents,
                    now,
                    now,
                ),
            ).fetchone()
    except sqlite3.IntegrityError:
        raise _sku_conflict(payload.sku) from None
    return _to_item(row)


@router.put(
    "/{item_id}",
    dependencies=WriteAccess,
    responses={
        **_AUTH_RESPONSES,
        404: {"description": "Item not found"},
        409: {"description": "SKU already exists"},
    },
)
def update_item(item_id: int, payload: ItemIn, db: DatabaseDep) -> Item:
    try:
        with db.transaction() as conn:
            row = conn.execute(
                SQL_UPDATE,
                (
                    payload.sku,
                    payload.name,
                    payload.description,
                    payload.quantity,
                    payload.price_cents,
                    _now(),
                    item_id,
                ),
            ).fetchone()
    except sqlite3.IntegrityError:
        raise _sku_conflict(payload.sku) from None
    if row is None:
        raise _not_found(item_id)
    return _to_item(row)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WriteAccess,
    responses={**_AUTH_RESPONSES, 404: {"description": "Item not found"}},
)
def delete_item(item_id: int, db: DatabaseDep) -> Response:
    with db.transaction() as conn:
        deleted = conn.execute(SQL_DELETE, (item_id,)).rowcount
    if deleted == 0:
        raise _not_found(item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
