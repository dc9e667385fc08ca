"""A workspace's settings (``strategistatus.toml``), one typed class."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import WorkspaceError


class Settings(BaseModel):
    """Settings a municipality may change in ``strategistatus.toml``."""

    model_config = ConfigDict(extra="forbid")

    municipality_code: int = Field(851, description="kommunenummer, e.g. 851 for Aalborg")
    municipality_name: str = "Aalborg"
    language: str = Field("da", pattern="^(da|en)$", description="default language")
    memory_limit: str = Field("1GB", description="most memory the database engine may use")
    xlsx_max_entries: int = 10_000
    xlsx_max_unpacked_mb: int = 1024
    upload_limit_mb: int = 50

    def to_toml(self) -> str:
        lines = ["# strategistatus workspace settings", ""]
        for name, value in self.model_dump().items():
            text = f'"{value}"' if isinstance(value, str) else str(value)
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
