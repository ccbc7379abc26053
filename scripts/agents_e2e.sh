#!/usr/bin/env bash
# Debian's fusioninventory-agent and ocsinventory-agent against a live `ictmerge serve`
# (scripts/agents_e2e.py says what is checked). When it may, it runs inside a network
# namespace of its own, with only loopback and a veth pair whose one end has a universally
# administered MAC from the IANA documentation range (RFC 7042: 00-00-5E-00-53-xx), so the
# agents report a MAC address the importer keeps even on a machine whose own adapters all
# have locally administered ones (virtual machines, containers). No traffic leaves it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ICTMERGE_AGENTS_NETNS:-}" ] && command -v ip >/dev/null \
    && ip netns add "ictmerge-agents-$$" 2>/dev/null; then
  ns="ictmerge-agents-$$"
  trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip link add agent0 address 00:00:5e:00:53:01 type veth peer name agent1
  ip netns exec "$ns" ip link set agent0 up
  ip netns exec "$ns" ip link set agent1 up
  ICTMERGE_AGENTS_NETNS="$ns" ip netns exec "$ns" .venv/bin/python scripts/agents_e2e.py
else
  .venv/bin/python scripts/agents_e2e.py
fi
