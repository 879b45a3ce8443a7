"""`/_sim/faults`: add, list and clear injected faults (see simulator.faults)."""

from __future__ import annotations

from aiohttp import web

from simulator.admin.common import bad_request, not_found, read_json
from simulator.faults import FaultSpecError
from simulator.state import get_state


async def add_fault(request: web.Request) -> web.Response:
    try:
        fault = get_state(request).add_fault(await read_json(request))
    except FaultSpecError as exc:
        return bad_request(str(exc))
    return web.json_response(fault.as_json(), status=201)


async def list_faults(request: web.Request) -> web.Response:
    return web.json_response([f.as_json() for f in get_state(request).faults])


async def clear_faults(request: web.Request) -> web.Response:
    get_state(request).faults.clear()
    return web.json_response({"status": "cleared"})


async def delete_fault(request: web.Request) -> web.Response:
    raw = request.match_info["fault_id"]
    if not raw.isdigit() or not get_state(request).remove_fault(int(raw)):
        return not_found(f"no fault {raw}")
    return web.json_response({"status": "deleted"})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/_sim/faults", add_fault)
    app.router.add_get("/_sim/faults", list_faults)
    app.router.add_delete("/_sim/faults", clear_faults)
    app.router.add_delete("/_sim/faults/{fault_id}", delete_fault)
