"""The web code's shape: one router per resource under ``strategistatus.web.routes``, and
every API operation documenting its whole answer by a model (docs/web.md, "How the web code
is laid out")."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

import strategistatus.web.routes as routes_package
from engines import suite_settings
from strategistatus.web.app import create_app

ROUTES = routes_package.__name__ + "."


def app_routes(app: FastAPI) -> Iterator[BaseRoute]:
    """Every route of the app, those of its included routers too: FastAPI 0.137.2 and later
    keep an included router as one entry of ``app.routes``; earlier ones copied its routes
    there."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        yield from app.routes
        return
    for context in iter_route_contexts(app.routes):
        yield context.original_route


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    from strategistatus.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("shape") / "ws", settings=suite_settings())
    app = create_app(ws)
    with TestClient(app):  # its lifespan closes the readers after
        yield app


def api_routes(app: FastAPI) -> list[APIRoute]:
    return [r for r in app_routes(app) if isinstance(r, APIRoute) and r.path.startswith("/api/")]


def test_every_api_route_is_served_by_a_router_module(app):
    found = api_routes(app)
    assert len(found) >= 16
    elsewhere = [(r.path, r.endpoint.__module__) for r in found
                 if not r.endpoint.__module__.startswith(ROUTES)]
    assert elsewhere == []


def test_every_page_is_served_by_a_router_module_too(app):
    elsewhere = [(r.path, r.endpoint.__module__) for r in app_routes(app)
                 if isinstance(r, APIRoute) and not r.endpoint.__module__.startswith(ROUTES)]
    assert elsewhere == []


def test_each_router_module_has_one_router_and_says_what_it_serves():
    for module in pkgutil.iter_modules(routes_package.__path__):
        loaded = importlib.import_module(ROUTES + module.name)
        assert isinstance(getattr(loaded, "router", None), APIRouter), module.name
        assert (loaded.__doc__ or "").strip(), module.name
        assert loaded.router in routes_package.ROUTERS, module.name


def _resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/components/schemas/"), ref
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield schema["$ref"]
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def test_every_api_operation_documents_its_answer_by_a_model(app):
    spec = app.openapi()
    operations = [(method.upper(), path, item) for path, ops in spec["paths"].items()
                  for method, item in ops.items()]
    documented = {(m, p) for m, p, _ in operations}
    assert {(m, r.path) for r in api_routes(app) if r.include_in_schema
            for m in r.methods} == documented
    for method, path, item in operations:
        ok = [v for k, v in item["responses"].items() if k.startswith("2")]
        assert len(ok) == 1, (method, path)
        schema = ok[0]["content"]["application/json"]["schema"]
        refs = list(_refs(schema))
        assert refs, (method, path, schema)
        for ref in refs:
            assert _resolve(spec, ref).get("description"), (method, path, ref)
