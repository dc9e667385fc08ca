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
    # sign-in with the municipality's OpenID Connect provider (web/oidc.py, docs/web.md)
    oidc_issuer: str = Field(default="", description="the OpenID Connect provider's issuer, "
                             "e.g. https://login.microsoftonline.com/<tenant>/v2.0; empty: "
                             "local accounts only")
    oidc_client_id: str = Field(default="", description="the app's client id at the provider")
    oidc_client_secret_file: str = Field(default="", description="file holding the client "
                                         "secret (relative to the workspace); empty: the "
                                         "environment variable oidc_client_secret_env")
    oidc_client_secret_env: str = Field(default="STRATEGISTATUS_OIDC_SECRET",
                                        description="environment variable holding the client "
                                        "secret (never the secret itself in this file)")
    oidc_redirect_uri: str = Field(default="", description="the callback registered at the "
                                   "provider; empty: this site's address + "
                                   "/sign-in/oidc/callback")
    oidc_scope: str = Field(default="openid profile", description="the scopes asked for")
    oidc_name_claim: str = Field(default="preferred_username",
                                 description="the claim that is the user's name here")
    oidc_role_claim: str = Field(default="groups", description="the claim listing the "
                                 "user's groups (or app roles: roles)")
    oidc_admin_groups: list[str] = Field(default_factory=list,
                                         description="groups that make an admin")
    oidc_central_groups: list[str] = Field(default_factory=list,
                                           description="groups that make a central user")
    oidc_leader_groups: list[str] = Field(default_factory=list, description="groups that "
                                          "make a school leader (of the school claim's school)")
    oidc_school_claim: str = Field(default="school", description="the claim holding a "
                                   "leader's school id")
    smtp_host: str = Field(default="", description="the mail server 'strategistatus remind' "
                           "sends through; empty: reminders are not sent")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="the mail server's port")
    smtp_security: str = Field(default="starttls", pattern="^(none|starttls|ssl)$",
                               description="none, starttls or ssl (implicit TLS, port 465)")
    smtp_user: str = Field(default="", description="user name at the mail server; empty: "
                           "no sign-in")
    smtp_password_file: str = Field(default="", description="file holding the mail "
                                    "server's password (never the password itself)")
    smtp_password_env: str = Field(default="STRATEGISTATUS_SMTP_PASSWORD", description="the "
                                   "environment variable holding it, when no file is given")
    mail_from: str = Field(default="", description="the reminders' sender address")
    public_url: str = Field(default="", description="the dashboard's address, for links in "
                            "reminders, e.g. https://strategistatus.example.dk")
    reminder_central: list[str] = Field(default_factory=list, description="central staff's "
                                        "e-mail addresses: told of datasets older than "
                                        "their cadence")

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
