"""ASGI entry point: ``uvicorn inventory_api.main:app``."""

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from inventory_api import __version__
from inventory_api.db import Database
from inventory_api.routes import health, items
from inventory_api.settings import Settings

logger = logging.getLogger("inventory_api")


def configure_logging(level: str) -> None:
    """Log to stderr at ``level`` unless the host already set up handlers."""
    if not logging.getLogger().handlers:
        logging.basicConfig(
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    logger.setLevel(level.upper())


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()  # type: ignore[call-arg]  # api_key comes from the environment
    configure_logging(settings.log_level)

    db = Database(settings.database_path)
    db.connect()
    app.state.settings = settings
    app.state.db = db
    logger.info("%s %s using database %s", settings.app_name, __version__, settings.database_path)
    logger.info("startup complete")
    try:
        yield
    finally:
        db.close()
        logger.info("shutdown complete")


app = FastAPI(
    title="Inventory API",
    version=__version__,
    description="Reference backend for slipway: inventory items stored in SQLite.",
    lifespan=lifespan,
)
app.include_router(health.router)
app.include_router(items.router)
