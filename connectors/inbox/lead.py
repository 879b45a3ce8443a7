"""The lead's side of the inbox: the dashboard page and its figures, reply templates, and what
every agent's page needs to speak their language (their choice, the vocabulary of codes).

Routes (all behind the inbox's Bearer token, postsale/agents.py):
- GET  /dashboard                       the page (static; no data in it)
- GET  /api/dashboard/<section>         figures of a section (connectors/inbox/dashboard.py) as JSON,
                                        or CSV with `format=csv`; `from`, `to` (YYYY-MM-DD), `store`.
                                        Leads and admins only; a lead sees their stores.
- GET  /api/me, POST /api/me            who is calling, their stores and language; set the language
- GET  /api/words?lang=pt|es            every code in words (postsale/labels.py)
- GET  /api/templates?store=            reply templates of the caller's stores
- POST /api/templates                   a lead saves one (checked by the outgoing-text guard)
- POST /api/templates/<id>/delete       a lead deletes one
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from connectors.inbox import dashboard
from postsale import agents, labels, stores, templates
from postsale.agents import Agent
from postsale.db import get_engine

if TYPE_CHECKING:
    from connectors.inbox.channel import InboxInput

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("dashboard.html")
_indexed: set[int] = set()


def tracker_engine(rasa_agent: Any) -> Engine | None:
    """The SQL engine of Rasa's tracker store, unwrapped from Rasa's wrappers; None when the
    tracker store is not SQL (the figures that need it say so)."""
    store = getattr(rasa_agent, "tracker_store", None)
    for _ in range(4):
        inner = getattr(store, "_tracker_store", None)
        if inner is None:
            break
        store = inner
    engine = getattr(store, "engine", None)
    return engine if isinstance(engine, Engine) else None


def zone_of(store: int | None) -> str:
    hours = stores.handoff_for(store).business_hours
    return hours.timezone if hours else "UTC"


def scope_of(agent: Agent, store: Any) -> dashboard.Scope | None:
    """The stores the figures cover; None when the caller may not see `store`."""
    mine = None if agent.admin else stores.stores_of(agent.name)
    if store in (None, ""):
        return dashboard.Scope(None if mine is None else frozenset(mine))
    if not str(store).isdigit() or len(str(store)) > 18:
        return None
    seller = int(store)
    if mine is not None and seller not in mine:
        return None
    if mine is None and stores.get(seller) is None:
        return None
    return dashboard.Scope(frozenset({seller}))


def figures(section: str, engine: Engine, tracker: Engine | None, period: dashboard.Period,
            scope: dashboard.Scope) -> dict[str, Any]:
    if tracker is not None and id(tracker) not in _indexed:
        dashboard.ensure_tracker_index(tracker)
        _indexed.add(id(tracker))
    started = time.perf_counter()
    found = dashboard.COMPUTE[section](engine, tracker, period, scope)
    found["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return found


def add_routes(bp: Blueprint, inbox: InboxInput) -> None:
    from connectors.inbox.channel import security_headers

    page = PAGE.read_text(encoding="utf-8")
    page_headers = security_headers(page)
    guarded = inbox.guarded

    @bp.route("/dashboard", methods=["GET"])
    async def dashboard_page(request: Request) -> HTTPResponse:
        return response.html(page, headers=page_headers)

    @bp.route("/api/dashboard/<section>", methods=["GET"])
    @guarded
    async def section_figures(request: Request, agent: Agent, section: str) -> HTTPResponse:
        if section not in dashboard.SECTIONS:
            return response.json({"error": "not_found", "detail": f"sections: {', '.join(dashboard.SECTIONS)}"}, 404)
        if not agent.lead:
            return response.json({"error": "forbidden", "detail": "the dashboard is for leads"}, 403)
        store = request.args.get("store")
        scope = await asyncio.to_thread(scope_of, agent, store)
        if scope is None:
            logger.warning("inbox: %s asked for the dashboard of store %s, not theirs: answered 404", agent.name,
                           str(store)[:20])
            return response.json({"error": "not_found"}, 404)
        single = next(iter(scope.stores)) if scope.single and scope.stores else None
        try:
            period = dashboard.Period.of(request.args.get("from"), request.args.get("to"), zone_of(single))
        except dashboard.DashboardError as problem:
            return response.json({"error": "invalid_period", "detail": str(problem)}, 400)
        found = await asyncio.to_thread(figures, section, get_engine(), tracker_engine(request.app.ctx.agent),
                                        period, scope)
        if request.args.get("format") == "csv":
            name = f"dashboard-{section}-{period.first.isoformat()}-{period.label(period.days - 1)}.csv"
            return response.text(dashboard.as_csv(dashboard.table(section, found)), content_type="text/csv",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return response.json({"section": section, "from": period.first.isoformat(),
                              "to": period.label(period.days - 1), "zone": period.zone, **found})

    @bp.route("/api/me", methods=["GET", "POST"])
    @guarded
    async def me(request: Request, agent: Agent) -> HTTPResponse:
        if request.method == "POST":
            body = request.json if isinstance(request.json, dict) else {}
            try:
                await asyncio.to_thread(agents.set_language, agent.name, str(body.get("language")))
            except agents.AgentError as problem:
                return response.json({"error": "invalid_language", "detail": str(problem)}, 400)
        language = await asyncio.to_thread(agents.language_of, agent.name)
        mine = await asyncio.to_thread(stores.listing, None if agent.admin else stores.stores_of(agent.name))
        return response.json({"agent": agent.name, "role": agent.role, "language": language,
                              "stores": [{"seller_id": s.seller_id, "nickname": s.nickname, "site_id": s.site_id}
                                         for s in mine]})

    @bp.route("/api/words", methods=["GET"])
    @guarded
    async def words(request: Request, agent: Agent) -> HTTPResponse:
        return response.json(labels.as_json(str(request.args.get("lang") or "pt")))

    @bp.route("/api/templates", methods=["GET", "POST"])
    @guarded
    async def reply_templates(request: Request, agent: Agent) -> HTTPResponse:
        mine = None if agent.admin else await asyncio.to_thread(stores.stores_of, agent.name)
        if request.method == "GET":
            return response.json({"templates": await asyncio.to_thread(templates.listing, mine)})
        if not agent.lead:
            return response.json({"error": "forbidden", "detail": "leads manage templates"}, 403)
        body = request.json if isinstance(request.json, dict) else {}
        seller = body.get("store")
        if isinstance(seller, bool) or not isinstance(seller, int) or (mine is not None and seller not in mine) \
                or (mine is None and await asyncio.to_thread(stores.get, seller) is None):
            return response.json({"error": "not_found", "detail": "no such store of yours"}, 404)
        try:
            saved = await asyncio.to_thread(templates.add, seller, str(body.get("language") or ""),
                                            str(body.get("title") or ""), str(body.get("text") or ""), agent.name)
        except templates.TemplateError as problem:
            status = 422 if problem.kind else 400
            return response.json({"error": "blocked_by_guard" if problem.kind else "invalid_template",
                                  "kind": problem.kind, "detail": str(problem)}, status)
        return response.json(saved, 201)

    @bp.route("/api/templates/<template_id>/delete", methods=["POST"])
    @guarded
    async def delete_template(request: Request, agent: Agent, template_id: str) -> HTTPResponse:
        if not agent.lead:
            return response.json({"error": "forbidden", "detail": "leads manage templates"}, 403)
        mine = None if agent.admin else await asyncio.to_thread(stores.stores_of, agent.name)
        if not await asyncio.to_thread(templates.delete, template_id, mine):
            return response.json({"error": "not_found"}, 404)
        return response.json({"deleted": template_id})
