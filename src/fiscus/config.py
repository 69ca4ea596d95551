"""All settings, read from `FISCUS_*` environment variables (see README)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FISCUS_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    # Connection used by migrations: on PostgreSQL the table owner, while the app
    # connects as `database_app_role`, which owns nothing and is subject to RLS.
    database_admin_url: str | None = None
    database_app_role: str = "fiscus_app"
    redis_url: str | None = None
    secret_key: SecretStr | None = None

    jwt_issuer: str = "fiscus"
    jwt_audience: str = "fiscus-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=7 * 86400, ge=3600)

    # argon2id cost; OWASP's minimum recommendation is m=19 MiB, t=2, p=1.
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19 * 1024
    argon2_parallelism: int = 1

    cookie_secure: bool = False
    # Lodged tax returns are kept this many years after lodgement; deletion is refused.
    tax_retention_years: int = Field(default=7, ge=1, le=100)
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'fiscus.db'}"
        if self.secret_key is None:
            if self.env == "production":
                raise ValueError("FISCUS_SECRET_KEY must be set in production")
            self.secret_key = SecretStr(_development_secret(self.var_dir))
        if len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("FISCUS_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def migration_url(self) -> str:
        return self.database_admin_url or self.database_url

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def secret(self) -> str:
        assert self.secret_key is not None
        return self.secret_key.get_secret_value()


def _development_secret(var_dir: Path) -> str:
    """Generate the development secret once and keep it, readable by its owner only."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
