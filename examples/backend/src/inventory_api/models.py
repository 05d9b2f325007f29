"""Request and response schemas."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Sku = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9-]{3,32}$"),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class ItemIn(BaseModel):
    """Body of POST and PUT: the full, writable state of an item."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku = Field(description="Stock keeping unit, unique, e.g. WIDGET-42")
    name: Name
    description: Description | None = None
    quantity: int = Field(default=0, ge=0, le=1_000_000)
    price_cents: int = Field(ge=0, le=100_000_000, description="Unit price in cents")


class Item(ItemIn):
    """An item as stored."""

    model_config = ConfigDict(extra="ignore")

    id: int
    created_at: datetime
    updated_at: datetime
