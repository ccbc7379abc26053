#!/usr/bin/env bash
# Schemathesis against the OpenAPI schema of a live server with a scratch database:
# 0 server errors and 0 responses that break the schema. One worker (-w 1): a CPython 3.11
# bug breaks threaded runs. DATABASE_URL, when set, picks the database (else a scratch SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${FUZZ_PORT:-8799}"
EXAMPLES="${FUZZ_EXAMPLES:-5}"
export ICTMERGE_DATA_DIR="$(mktemp -d /tmp/ictmerge-fuzz.XXXXXX)"
export DJANGO_SETTINGS_MODULE=ictmerge.settings.dev DEBUG=0 AXES_ENABLED=0
$BIN/ictmerge migrate >/dev/null
$BIN/ictmerge reform load lv-2021 --if-missing >/dev/null
$BIN/ictmerge user demo-logins >/dev/null
TOKEN="$($BIN/python manage.py drf_create_token demo | awk '{print $3}')"
$BIN/gunicorn ictmerge.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --log-level warning >"$ICTMERGE_DATA_DIR/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/schema/" >/dev/null && break; sleep 0.2; done
$BIN/python manage.py spectacular --file "$ICTMERGE_DATA_DIR/schema.yaml"
$BIN/schemathesis run "$ICTMERGE_DATA_DIR/schema.yaml" --url "http://127.0.0.1:$PORT" -w 1 \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$EXAMPLES" --seed 1 --phases "${FUZZ_PHASES:-examples,fuzzing}" \
  -H "Authorization: Token $TOKEN" \
  --exclude-path-regex '^/api/(token|schema)/'
