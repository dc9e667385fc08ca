"""A workspace's settings (``strategistatus.toml``), one typed class."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import WorkspaceError


class Settings(BaseModel):
    """Settings a municipality may change in ``strategistatus.toml``."""

    model_config = ConfigDict(extra="forbid")

    municipality_code: int = Field(default=851, description="kommunenummer, e.g. 851 for Aalborg")
    municipality_name: str = "Aalborg"
    language: str = Field(default="da", pattern="^(da|en)$", description="default language")
    database: str = Field(default="", description="empty: the embedded database file "
                          "strategistatus.duckdb; or PostgreSQL: postgresql://user@host/db "
                          "(keep the password in ~/.pgpass or PGPASSWORD, not here)")
    memory_limit: str = Field(default="1GB",
                              description="most memory the database engine may use")
    xlsx_max_entries: int = Field(default=10_000,
                                  description="most parts an XLSX archive may have")
    xlsx_max_unpacked_mb: int = Field(default=1024,
                                      description="most an XLSX file may unpack to (MB)")
    xlsx_max_cells: int = Field(default=20_000_000, description="most cells a sheet may span "
                                "(rows times columns, counted from the cells actually used)")
    upload_limit_mb: int = Field(default=50,
                                 description="largest file the import page accepts (MB)")
    upload_keep_minutes: int = Field(default=60, ge=1, description="an upload that is checked "
                                     "but not confirmed is deleted after this many minutes")
    trusted_proxies: list[str] = Field(default_factory=list, description="addresses (or "
                                       "networks, e.g. 10.0.0.0/24) of the reverse proxies "
                                       "whose X-Forwarded-For and X-Forwarded-Proto are "
                                       "believed; empty: none")
    retention_school_years: int = Field(default=5, ge=1, description="purge keeps person-level "
                                        "rows of this many school years (the current one "
                                        "included)")

    def to_toml(self) -> str:
        lines = ["# strategistatus workspace settings", ""]
        for name, value in self.model_dump().items():
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, str | list) \
                else str(value)
            lines.append(f"{name} = {text}")
        return "\n".join(lines) + "\n"


def load_settings(path: Path) -> Settings:
    try:
        return Settings(**tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise WorkspaceError(f"{path} is missing; is this a strategistatus workspace? "
                             "Create one with 'strategistatus init DIR'") from None
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise WorkspaceError(f"{path.name}: {exc}") from None
