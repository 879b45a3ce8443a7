#!/usr/bin/env bash
# Run the product locally: Mercado Libre simulator + action server + Rasa server (REST channel,
# SQLite tracker store). No credentials needed. `scripts/run.sh --shell` talks in this terminal.
set -euo pipefail
umask 077  # var/: logs, databases and tickets hold buyers' words, readable by this user only
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"

SIM_PORT="${SIM_PORT:-8089}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
RASA_PORT="${RASA_PORT:-5005}"
source "$ROOT/scripts/simulator.env"
WEBHOOK="http://127.0.0.1:$RASA_PORT/webhooks/mercadolibre/webhook?secret=$MELI_WEBHOOK_SECRET"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_for() {  # url name
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "$2 did not start; see var/*.log" >&2; exit 1
}

if [ "$MELI_API_URL" = "http://127.0.0.1:$SIM_PORT" ]; then
  .venv/bin/python -m simulator --host 127.0.0.1 --port "$SIM_PORT" --callback-url "$WEBHOOK" \
    >var/simulator.log 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$SIM_PORT/_sim/health" "simulator"
fi
.venv/bin/python -m actions -p "$ACTIONS_PORT" >var/actions.log 2>&1 &  # on 127.0.0.1 (ACTIONS_HOST)
PIDS+=($!)
wait_for "http://127.0.0.1:$ACTIONS_PORT/health" "action server"

# The Rasa server is `python -m connectors`: Rasa's own CLI after our start-up (settings checked,
# log masking, the Rasa patches).
if [ "${1:-}" = "--shell" ]; then
  .venv/bin/python -m connectors shell -m models/bot.tar.gz --endpoints endpoints.yml -p "$RASA_PORT"
  exit 0
fi

.venv/bin/python -m connectors run -m models/bot.tar.gz --enable-api -i 127.0.0.1 -p "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml >var/rasa.log 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" "Rasa server"

SC="$(curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/scenarios" 2>/dev/null | .venv/bin/python -c \
  'import json,sys; d=json.load(sys.stdin); s=d.get("scenarios", d); s=s if isinstance(s, list) else list(s.values()); print(s[1]["order_id"])' 2>/dev/null || echo 2000010000000201)"
cat <<MSG

Post-sale bot is running (Ctrl-C stops everything).
  Buyer chat (browser): http://127.0.0.1:$SIM_PORT/chat   one page per sale; the bot answers
                        through the Mercado Libre channel (webhook $WEBHOOK)
  Rasa REST channel : POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"b1","message":"cade meu pedido $SC"}'
      with the marketplace context:  -d '{"sender":"b2","message":"cuando llega?","metadata":{"order_id":"$SC","site_id":"MLA"}}'
  Agent inbox       : http://127.0.0.1:$RASA_PORT/webhooks/inbox/   (agents: $INBOX_AGENTS)
  Rasa shell        : scripts/run.sh --shell
  Action server     : http://127.0.0.1:$ACTIONS_PORT   (MELI_API_URL=$MELI_API_URL)
  Simulator         : http://127.0.0.1:$SIM_PORT/_sim/scenarios lists the seeded orders
  Handoff tickets   : var/handoffs.jsonl      Logs: var/*.log   Intake: var/mercadolibre.db
MSG
wait -n "${PIDS[@]}"
