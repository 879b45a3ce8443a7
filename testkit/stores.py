"""Connecting a simulated store the way an admin does, over HTTP: the admin starts the flow in the
inbox, the seller allows (or denies) on the simulator's authorization page, the browser follows
the redirect to the callback with the cookie the start set. Used by the live tests and the bench."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

KEPT = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")


class Connection:
    """One admin's browser: its cookies, and the authorization URL of the flow it started."""

    def __init__(self, rasa: str, admin_token: str) -> None:
        self.web = httpx.Client(base_url=rasa, timeout=30, follow_redirects=False)
        self.token = admin_token
        self.authorization_url = ""

    def start(self, site: str = "MLB") -> httpx.Response:
        answer = self.web.post("/webhooks/inbox/api/stores/connect", json={"site_id": site},
                               headers={"authorization": f"Bearer {self.token}"})
        if answer.status_code == 200:
            self.authorization_url = answer.json()["authorization_url"]
        return answer

    def seller_decides(self, seller_id: int, allow: bool = True) -> str:
        """The seller's click on the authorization page; returns the callback URL it redirects to."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.authorization_url).query).items()}
        page = httpx.get(self.authorization_url, timeout=10)
        page.raise_for_status()
        base = self.authorization_url.split("?", 1)[0]
        form = {**{k: query[k] for k in KEPT if k in query}, "user_id": str(seller_id),
                "decision": "allow" if allow else "deny"}
        redirect = httpx.post(base, data=form, timeout=10, follow_redirects=False)
        assert redirect.status_code == 302, redirect.text
        return redirect.headers["location"]

    def callback(self, url: str) -> httpx.Response:
        return self.web.get(url)

    def close(self) -> None:
        self.web.close()


def connect_store(rasa: str, admin_token: str, seller_id: int, site: str = "MLB") -> httpx.Response:
    """The whole flow, allowed: the callback's page (200 when the store is connected)."""
    connection = Connection(rasa, admin_token)
    try:
        started = connection.start(site)
        started.raise_for_status()
        return connection.callback(connection.seller_decides(seller_id))
    finally:
        connection.close()
