#!/usr/bin/env bash
# Two `ictmerge worker` processes against PostgreSQL share the plan of every county of a
# small synthetic reform (60 former into 8 new municipalities, with the demo inventory):
# every county planned once, by either worker, both taking part, and the national figures
# summed up. DATABASE_URL names the PostgreSQL server (as .ci/run sets it); the script
# works in a scratch database of its own on it and drops it at the end. About 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "workers_e2e: DATABASE_URL must be a postgres:// URL" >&2; exit 2 ;;
esac
server="$DATABASE_URL"
name="ictmerge_workers_$$"
work="$(mktemp -d /tmp/ictmerge-workers.XXXXXX)"
psql_do() { .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('postgres://','postgresql://',1), autocommit=True).execute(sys.argv[2])" "$server" "$1"; }
workers=()
cleanup() {
  for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql_do "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
psql_do "CREATE DATABASE \"$name\""
export DATABASE_URL="${server%/*}/$name" ICTMERGE_DATA_DIR="$work" DJANGO_SETTINGS_MODULE=ictmerge.settings.dev
cli=.venv/bin/ictmerge

SECONDS=0
$cli migrate >/dev/null; echo "migrate: ${SECONDS}s"
$cli reform generate ci-synth --formers 60 --new 8 --seed 1
$cli demo load --reform ci-synth --seed 1 | tail -n 2; echo "demo load: ${SECONDS}s"
for n in 1 2; do
  $cli worker --check-every 0 >"$work/worker$n.log" 2>&1 &
  workers+=("$!")
done
for n in 1 2; do  # both up before the work is queued, so that both can take a share
  for _ in $(seq 120); do grep -q "Starting worker" "$work/worker$n.log" && break; sleep 1; done
  grep -q "Starting worker" "$work/worker$n.log" || { cat "$work/worker$n.log"; exit 1; }
done
job="$($cli plan run --all --reform ci-synth --time-limit 1 --background --format json | tail -n 1 \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["job"])')"
$cli job show "$job" --wait 300 --format json >"$work/job.json" || { cat "$work/job.json"; exit 1; }
.venv/bin/python - "$work/job.json" <<'EOF'
import json, sys
job = json.load(open(sys.argv[1]))
parts = job["parts"]
assert job["status"] == "succeeded", job["error"]
assert parts and all(p["status"] == "succeeded" and p["attempts"] == 1 for p in parts), parts
used = {p["worker"].rsplit(":", 1)[1] for p in parts}
assert len(used) == 2, f"parts ran on worker processes {used}"
totals = job["result"]["totals"]
assert totals["counties"] == len(parts), totals
shares = ", ".join(f"{sum(p['worker'].endswith(':' + w) for p in parts)} by {w}"
                   for w in sorted(used))
print(f"two workers planned {len(parts)} counties ({shares}); "
      f"{totals['servers_before']} servers -> {totals['servers_after']} hosts, "
      f"{totals['proven_optimal_counties']} proven optimal")
EOF
echo "workers_e2e: ${SECONDS}s"
