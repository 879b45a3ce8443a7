"""The API client's retry policy and error mapping, over a scripted HTTP transport."""

from __future__ import annotations

import httpx
import pytest

from meli import MeliAuthError, MeliClient, MeliNotFound, MeliRateLimited, MeliServerError, MeliUnavailable
from meli.errors import MeliBadRequest

NOT_FOUND = {"message": "Order do not exists", "error": "not_found", "status": 404, "cause": []}
RATE_LIMITED = {"message": "Too many requests", "error": "local_rate_limited", "status": 429, "cause": []}
SERVER = {"message": "internal error", "error": "internal_server_error", "status": 500, "cause": []}


def scripted(responses: list[object], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Each request consumes the next scripted answer: a Response or an exception to raise."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses.pop(0)
        if isinstance(item, Exception):
            raise item
        return item  # type: ignore[return-value]

    return httpx.MockTransport(handler)


def make_client(responses: list[object], seen: list[httpx.Request], delays: list[float], **kw) -> MeliClient:
    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    return MeliClient(
        "https://api.test",
        "TOKEN-1",
        transport=scripted(responses, seen),
        sleep=fake_sleep,
        **kw,
    )


async def test_sends_bearer_token_and_new_shipment_format() -> None:
    seen: list[httpx.Request] = []
    client = make_client([httpx.Response(200, json={"id": 1, "status": "shipped"})], seen, [])
    body = await client.get_shipment(1)
    assert body["status"] == "shipped"
    assert seen[0].headers["authorization"] == "Bearer TOKEN-1"
    assert seen[0].headers["x-format-new"] == "true"
    assert seen[0].url.path == "/shipments/1"


async def test_retries_429_and_5xx_with_growing_jittered_backoff() -> None:
    seen: list[httpx.Request] = []
    delays: list[float] = []
    client = make_client(
        [
            httpx.Response(429, json=RATE_LIMITED),
            httpx.Response(500, json=SERVER),
            httpx.Response(503, json=SERVER),
            httpx.Response(200, json={"id": 7}),
        ],
        seen,
        delays,
        backoff_base=0.1,
        backoff_cap=10,
    )
    assert (await client.get_order(7)) == {"id": 7}
    assert len(seen) == 4
    assert len(delays) == 3
    # attempt n waits in [base*2^n / 2, base*2^n]
    for attempt, delay in enumerate(delays):
        ceiling = 0.1 * 2**attempt
        assert ceiling / 2 <= delay <= ceiling


async def test_gives_up_after_max_retries_with_typed_error() -> None:
    seen: list[httpx.Request] = []
    client = make_client([httpx.Response(429, json=RATE_LIMITED)] * 3, seen, [], max_retries=2)
    with pytest.raises(MeliRateLimited) as info:
        await client.get_order(1)
    assert info.value.code == "local_rate_limited"
    assert info.value.status == 429
    assert len(seen) == 3


async def test_timeouts_are_retried_then_reported_unavailable() -> None:
    seen: list[httpx.Request] = []
    timeout = httpx.ReadTimeout("slow")
    client = make_client([timeout, timeout], seen, [], max_retries=1)
    with pytest.raises(MeliUnavailable) as info:
        await client.get_order(1)
    assert info.value.code == "timeout"
    assert len(seen) == 2


async def test_connection_refused_is_unavailable() -> None:
    client = MeliClient("http://127.0.0.1:9", "T", max_retries=0, timeout=1)
    with pytest.raises(MeliUnavailable):
        await client.get_order(1)
    await client.aclose()


@pytest.mark.parametrize(
    "status, body, error_type, code",
    [
        (404, NOT_FOUND, MeliNotFound, "not_found"),
        (401, {"message": "invalid access token", "error": "unauthorized", "status": 401, "cause": []},
         MeliAuthError, "unauthorized"),
        (403, {"status_code": 403, "code": "forbidden", "message": "blocked_conversation_send_message_forbidden"},
         MeliAuthError, "forbidden"),
        (400, {"error": "invalid_query", "message": "at least any of these filters"}, MeliBadRequest, "invalid_query"),
        (400, {"cause": "blocked_by_excepted_case", "error": "bad_request", "message": "x", "status_code": 400},
         MeliBadRequest, "blocked_by_excepted_case"),
    ],
)
async def test_client_errors_are_typed_not_retried(status, body, error_type, code) -> None:
    seen: list[httpx.Request] = []
    client = make_client([httpx.Response(status, json=body)], seen, [])
    with pytest.raises(error_type) as info:
        await client.get_order(1)
    assert info.value.status == status
    assert info.value.code == code
    assert info.value.body == body
    assert len(seen) == 1


async def test_retry_after_header_is_respected_as_a_floor() -> None:
    delays: list[float] = []
    client = make_client(
        [httpx.Response(429, json=RATE_LIMITED, headers={"retry-after": "2"}), httpx.Response(200, json={})],
        [],
        delays,
        backoff_base=0.01,
    )
    await client.get_order(1)
    assert delays[0] >= 2


async def test_server_error_without_json_body_is_still_typed() -> None:
    client = make_client([httpx.Response(502, text="<html>bad gateway</html>")], [], [], max_retries=0)
    with pytest.raises(MeliServerError) as info:
        await client.get_order(1)
    assert info.value.status == 502


async def test_claims_search_sends_the_filter() -> None:
    seen: list[httpx.Request] = []
    client = make_client(
        [httpx.Response(200, json={"paging": {"total": 1}, "data": [{"id": 5}]})], seen, []
    )
    assert await client.search_claims(pack_id=99) == [{"id": 5}]
    assert seen[0].url.params["pack_id"] == "99"
