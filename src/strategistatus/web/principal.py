"""Who is asking, and what they may see: the one place where roles are enforced.

* admin: everything, users.
* central: all schools in detail, imports, narratives, reports.
* leader: their own school in detail; the municipality only in aggregate.
* public (not signed in): aggregates only.

A school's detail that a principal may not see is answered exactly like a school that does
not exist (404), so "not yours" and "no such school" cannot be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException

ROLES = ("admin", "central", "leader", "public")


@dataclass(frozen=True, slots=True)
class Principal:
    role: str
    name: str | None = None
    school_id: str | None = None
    user_id: int | None = None
    csrf: str | None = None
    token_hash: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.role != "public"

    @property
    def view(self) -> tuple[str, ...]:
        """What of the schools this principal sees: all, one school's, or aggregates only
        (answers that depend on it are cached per view)."""
        if self.role in ("admin", "central"):
            return ("all",)
        if self.role == "leader" and self.school_id:
            return ("school", self.school_id)
        return ("public",)

    def may_see_school(self, school_id: str) -> bool:
        if self.role in ("admin", "central"):
            return True
        return self.role == "leader" and self.school_id == school_id

    def require_school(self, school_id: str, known: set[str]) -> None:
        """404 unless the school exists and its detail is this principal's to see."""
        if school_id not in known or not self.may_see_school(school_id):
            raise HTTPException(status_code=404, detail="no such school")

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise HTTPException(status_code=401 if not self.signed_in else 403,
                                detail="not allowed")


PUBLIC = Principal("public")
