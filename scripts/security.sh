#!/usr/bin/env bash
# `make security`: bandit on src (config and reasons in bandit.yaml; the three B608 findings
# of imports/bulk.py are in bandit-baseline.json: table and column names come from model
# metadata through connection.ops.quote_name, values are bound parameters), then pip-audit
# of requirements.lock. When pip-audit cannot reach a vulnerability source (PyPI's JSON API,
# OSV) it says so and does not fail: an unaudited lock is reported, never passed as clean.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
echo "== bandit (src, tests excluded)"
$BIN/bandit -q -c bandit.yaml -b bandit-baseline.json -r src -x '*/tests/*,*/testing/*' \
  2> >(grep -v "nosec encountered" >&2) || exit 1
echo "bandit: clean (skips and per-line reasons in bandit.yaml and # nosec comments)"
echo "== pip-audit (requirements.lock)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
$BIN/pip-audit -r requirements.lock --disable-pip --no-deps --progress-spinner off \
  ${PIP_AUDIT_SOURCE:+-s "$PIP_AUDIT_SOURCE"} -f json -o "$report" 2>/dev/null
status=$?
$BIN/python - "$report" "$status" <<'PY'
import json
import sys

path, status = sys.argv[1], int(sys.argv[2])
try:
    deps = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    print("pip-audit: NOT AUDITED - the vulnerability source could not be reached from here "
          f"(pip-audit exit {status}); run `make security` where PyPI or OSV is reachable")
    sys.exit(0)
skipped = [d for d in deps if "skip_reason" in d]
found = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions", [])) or "no fix")
         for d in deps for v in d.get("vulns", [])]
if deps and len(skipped) == len(deps):
    print(f"pip-audit: NOT AUDITED - none of the {len(deps)} locked packages could be looked up "
          f"(\"{skipped[0]['skip_reason']}\"): the vulnerability source is unreachable from "
          f"here; run `make security` where PyPI or OSV is reachable")
    sys.exit(0)
for name, version, vuln, fix in found:
    print(f"pip-audit: {name} {version}: {vuln} (fixed in {fix})")
print(f"pip-audit: {len(deps) - len(skipped)} packages audited, {len(skipped)} not found, "
      f"{len(found)} known vulnerabilities")
sys.exit(1 if found else 0)
PY
