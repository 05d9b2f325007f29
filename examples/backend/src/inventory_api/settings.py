"""Runtime configuration, read from ``INVENTORY_*`` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    """Service settings.

    ``api_key`` has no default on purpose: the service refuses to start
    without it, so a misconfigured deployment fails fast instead of running
    with unprotected write endpoints.
    """

    model_config = SettingsConfigDict(env_prefix="INVENTORY_")

    app_name: str = "inventory-api"
    log_level: LogLevel = "info"
    # /tmp stays writable when the container runs with a read-only root
    # filesystem and a tmpfs mounted on /tmp.
    database_path: Path = Path("/tmp/inventory.db")  # noqa: S108
    api_key: SecretStr = Field(min_length=1)

    @field_validator("log_level", mode="before")
    @classmethod
    def _normalise_log_level(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value
