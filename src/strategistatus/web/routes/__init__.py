"""The app's routers, one per resource; ``app.create_app`` includes them in this order
(the order of the operations in the OpenAPI document).

Each module serves its resource's JSON API under ``/api/v1`` and its HTML pages:

* ``session``: sign-in and sign-out (``/api/v1/session``, ``/sign-in``, ``/sign-out``);
* ``oidc``: sign-in with the municipality's OpenID Connect provider (``/sign-in/oidc``);
* ``overview``: every goal and indicator (``/api/v1/overview``, ``/``);
* ``goals``: one goal in detail (``/api/v1/goals/{goal_id}``, ``/goals/{goal_id}``);
* ``schools``: the list of schools and one school's detail (``/api/v1/schools``, ``/schools``);
* ``imports``: upload, check, confirm or cancel a file (``/api/v1/imports``, ``/imports``);
* ``narratives``: the status texts of a round (``/api/v1/narratives``, ``/narratives``);
* ``reminders``: what ``strategistatus remind`` sends and sent (``/reminders``);
* ``reports``: the committee report (``/api/v1/reports``, ``/reports``);
* ``users``: the accounts, for admins (``/api/v1/users``, ``/users``).

What a handler needs (the app's state, who asks, their role, the language) comes from the
typed dependencies of ``web/deps.py``.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    goals,
    imports,
    narratives,
    oidc,
    overview,
    reminders,
    reports,
    schools,
    session,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (session.router, oidc.router, overview.router, goals.router,
                                  schools.router, imports.router, narratives.router,
                                  reminders.router, reports.router, users.router)
