"""Request pipeline shared by all routes: request log → MeLi error bodies → faults → Bearer auth.

Order matters: the log sees the final status (including injected faults and 401s), and faults
fire before auth, like a gateway throttling or failing before the service sees the token.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.errors import generic_error
from simulator.state import get_state

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/_sim"
# The buyer chat page is the simulator's own UI, not Mercado Libre API: no token, no faults, no log.
CHAT_PREFIX = "/chat"
SIMULATOR_PREFIXES = (ADMIN_PREFIX, CHAT_PREFIX)
# The seller-facing authorization page (auth.mercadolivre.com.br on the real marketplace) has no token either.
UNAUTHENTICATED_PREFIXES = (*SIMULATOR_PREFIXES, "/oauth/", "/authorization")
SELLER = "seller_id"  # request[SELLER]: the seller whose token made the request


def _is_admin(request: web.Request) -> bool:
    return request.path.startswith(SIMULATOR_PREFIXES)


def _safe_query(request: web.Request) -> dict[str, str]:
    """The query string without any legacy `access_token` value."""
    return {k: ("<redacted>" if k == "access_token" else v) for k, v in request.query.items()}


@web.middleware
async def log_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _is_admin(request):
        return await handler(request)
    status = 500
    started = time.time()
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        get_state(request).log_request(request.method, request.path, _safe_query(request), status, started)


@web.middleware
async def meli_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn aiohttp's plain-text errors into Mercado Libre's JSON error body."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return generic_error(404, f"Resource {request.path} not found.")
    except web.HTTPMethodNotAllowed:
        return generic_error(405, f"Method {request.method} not allowed for {request.path}")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return generic_error(exc.status, exc.reason)
    except Exception:
        logger.exception("simulator handler failed: %s %s", request.method, request.path)
        return generic_error(500)


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _is_admin(request):
        return await handler(request)
    fault = get_state(request).take_fault(request.method, request.path)
    if fault is None:
        return await handler(request)
    if fault.latency_ms:
        # The request is received in full before the server turns slow, so a client that gives up
        # does not stop it: a POST held past the client's timeout is still carried out, as an
        # overloaded production backend does.
        if request.can_read_body:
            await request.read()
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.status is None:
        return await handler(request)
    if fault.body is not None:
        response = web.json_response(fault.body, status=fault.status)
    else:
        response = generic_error(fault.status)
    if fault.retry_after is not None:
        response.headers["Retry-After"] = str(fault.retry_after)
    return response


@web.middleware
async def require_bearer(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(UNAUTHENTICATED_PREFIXES):
        return await handler(request)
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return generic_error(401, "authorization value not present")
    scheme, _, token = header.partition(" ")
    seller = get_state(request).token_seller(token.strip()) if scheme.lower() == "bearer" else None
    if seller is None:
        return generic_error(401, "invalid access token")
    request[SELLER] = seller
    return await handler(request)


MIDDLEWARES = [log_requests, meli_errors, inject_faults, require_bearer]
