"""The deployment files say what SECURITY.md promises (Docker is not available here, so these
read the files): only nginx is published, every secret is required, no demo value, TLS, no
query strings in the access log, Rasa's API off, the image without .env and not root."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from postsale import run_mode

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
NGINX = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
SECRETS = ("MELI_CLIENT_SECRET", "MELI_REFRESH_TOKEN", "MELI_WEBHOOK_SECRET", "MELI_TOKEN_KEY", "POSTGRES_PASSWORD",
           "RABBITMQ_USER", "RABBITMQ_PASSWORD", "SERVER_NAME", "TLS_CERT_FILE", "TLS_KEY_FILE")


def test_only_nginx_is_published_and_the_simulator_only_on_this_host() -> None:
    published = {name: svc.get("ports") for name, svc in COMPOSE["services"].items() if svc.get("ports")}
    assert set(published) == {"lb", "simulator"}
    assert all(port.startswith("127.0.0.1:") for port in published["simulator"])
    assert COMPOSE["services"]["simulator"]["profiles"] == ["simulator"]


def test_every_secret_is_required_and_none_has_a_default() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"(:[?-])?[^}]*\}", text)
        assert uses and set(uses) == {":?"}, (name, uses)


def test_no_demo_value_is_in_the_production_files() -> None:
    files = [ROOT / "docker-compose.yml", ROOT / "deploy" / "nginx.conf.template", ROOT / "deploy" / "env.example"]
    for value in run_mode.demo_values() - {"5551234", "123456789"}:
        for path in files:
            assert value not in path.read_text(encoding="utf-8"), (value, path.name)
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert ":-guest" not in compose and "RABBITMQ_DEFAULT_USER: guest" not in compose


def test_servers_listen_where_they_must() -> None:
    services = COMPOSE["services"]
    assert "--enable-api" not in COMPOSE["x-rasa"]["command"]
    assert services["actions"]["command"].startswith("python -m actions")
    assert services["actions"]["networks"] == ["backend", "egress"]
    assert COMPOSE["networks"]["backend"]["internal"] is True
    for name in ("postgres", "redis", "rabbitmq"):
        assert services[name]["networks"] == ["backend"]
    assert "management" not in services["rabbitmq"]["image"]
    assert services["lb"]["networks"] == ["edge"]


def test_nginx_terminates_tls_logs_no_query_string_and_hides_rasas_api() -> None:
    assert "listen 443 ssl" in NGINX and "ssl_protocols TLSv1.2 TLSv1.3" in NGINX
    assert "return 301 https://" in NGINX
    log_format = NGINX.split("log_format", 1)[1].split(";", 1)[0]
    for leak in ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$is_args"):
        assert leak not in log_format
    assert "$uri" in log_format
    assert "access_log off" not in NGINX and NGINX.count("access_log /var/log/nginx/access.log postsale") == 2
    locations = re.findall(r"location\s+(=?\s*\S+)\s*\{", NGINX)
    assert locations == ["= /webhooks/mercadolibre/webhook", "/webhooks/inbox/", "= /webhooks/rest/webhook", "/"]
    assert NGINX.rstrip().endswith("location / {\n        return 404;\n    }\n}")


def test_the_image_has_no_secrets_and_runs_as_a_user() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".env.*", "var", "*.db"):
        assert entry in ignored
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert dockerfile.index("USER") > dockerfile.index("COPY --chown")
