"""Inventory agents report to ictmerge in their own protocols, through the file importer.

Three protocols share one address per enrolment token (`/agent/<token>/`):

- GLPI Agent (JSON): `{"action": "contact", …}` is answered with the inventory task, and
  `{"action": "inventory", "content": …}` is imported;
- FusionInventory agent (XML): `<QUERY>PROLOG</QUERY>` is answered `SEND`, and
  `<QUERY>INVENTORY</QUERY>` (or an SNMP task's NETDISCOVERY/SNMPQUERY) is imported;
- OCS Inventory NG agent (XML): the same PROLOG and INVENTORY queries.

A body may be zlib- or gzip-compressed (what the agents send by default) or plain; the
answer is compressed the same way. Each report goes through `services.import_file` as a
"glpi" file (same identifiers, matching, history and duplicate detection), acting for
the token's municipality only; each request, accepted or refused, is logged as an
`AgentReport`, and each device reported gets its `DeviceSighting` (last seen, agent).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ictmerge.core import scoping
from ictmerge.imports.common import municipality_codes
from ictmerge.imports.models import AgentReport, AgentToken, DeviceSighting
from ictmerge.inventory.models import Device
from ictmerge.reforms.models import Municipality

logger = logging.getLogger(__name__)

#: How often (hours) an agent is told to come back (PROLOG_FREQ, GLPI `expiration`).
PROLOG_FREQ_HOURS = 24


class TokenError(ValueError):
    """A token that cannot be made or revoked (the message says why)."""


class AgentActor:
    """Who an agent's report writes as: nobody stored, with the right to change the records
    of the token's municipality and nothing else (recorded as "system", caused by the run)."""

    pk = None
    id = None
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False

    def __init__(self, municipality_id: int, name: str) -> None:
        self.username = name
        # The scope core.scoping reads before any membership: this municipality only.
        self._ictmerge_scope = ({municipality_id}, {municipality_id})

    def get_username(self) -> str:
        """The name the actor goes by."""
        return self.username

    def __str__(self) -> str:
        return self.username


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(municipality_code: str, *, note: str = "", created_by: str = "",
                 user: Any = None) -> tuple[AgentToken, str]:
    """A new token for a former municipality's agents: (record, secret shown once)."""
    municipality_id = municipality_codes().get(municipality_code)
    if municipality_id is None:
        raise TokenError(f"no municipality with the code {municipality_code!r}")
    municipality = Municipality.objects.get(pk=municipality_id)
    if municipality.stage != "former":
        raise TokenError(f"{municipality_code} is not a former municipality: agents report "
                         f"for the municipalities whose inventories are merged")
    if user is not None and not scoping.may_change_municipality(user, municipality_id):
        raise TokenError(f"you may not enrol the agents of {municipality_code}")
    secret = secrets.token_urlsafe(24)
    while secret.startswith("-"):  # a leading '-' would read as an option in `token revoke`
        secret = secrets.token_urlsafe(24)
    token = AgentToken.objects.create(municipality=municipality, note=note[:100],
                                      prefix=secret[:8], key_hash=_hash(secret),
                                      created_by=created_by[:150])
    return token, secret


def revoke_token(ref: str, *, user: Any = None) -> AgentToken:
    """Revoke a token named by its prefix (the first 8 characters), id or whole secret."""
    tokens = AgentToken.objects.select_related("municipality")
    found = list(tokens.filter(key_hash=_hash(ref))) or list(tokens.filter(prefix=ref[:8])) \
        or (list(tokens.filter(pk=int(ref))) if ref.isdigit() and int(ref) < 2**63 else [])
    if len(found) != 1:
        raise TokenError(f"no single agent token {ref!r}" if not found else
                         f"{len(found)} tokens start with {ref!r}: give the whole token")
    token = found[0]
    if user is not None and not scoping.may_change_municipality(user, token.municipality_id):
        raise TokenError(f"you may not revoke the tokens of {token.municipality.code}")
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
    return token


def agent_path(secret: str) -> str:
    """The path of the agents' address for a token."""
    from django.urls import reverse

    return reverse("agent_report", args=[secret])


# --- the protocols -----------------------------------------------------------------------

@dataclass
class Reply:
    """What the endpoint answers: status, body (compressed like the request) and type."""

    status: int
    body: bytes
    content_type: str


@dataclass
class _Request:
    body: bytes
    content_type: str
    user_agent: str
    remote_addr: str
    encoding: str = "plain"
    log: AgentReport = field(default_factory=AgentReport)


class Refused(Exception):
    """A report refused with an HTTP status and a message (logged)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def max_bytes() -> int:
    """The largest report accepted, before and after decompression."""
    return int(settings.AGENT_MAX_REPORT_MB) * 2**20


def decompress(body: bytes, limit: int) -> tuple[bytes, str]:
    """(content, "zlib" | "gzip" | "plain"): a zlib or gzip body inflated up to limit bytes."""
    head = body[:2]
    if head[:1] == b"\x78" or head == b"\x1f\x8b":
        encoding = "zlib" if head[:1] == b"\x78" else "gzip"
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header
        try:
            content = inflater.decompress(body, limit + 1)
        except zlib.error as error:
            raise Refused(400, f"the {encoding} body cannot be inflated ({error})") from error
        if len(content) > limit or inflater.unconsumed_tail:
            raise Refused(413, f"the report is larger than {limit // 2**20} MB inflated")
        return content, encoding
    return body, "plain"


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "zlib":
        return zlib.compress(data)
    if encoding == "gzip":
        import gzip

        return gzip.compress(data)
    return data


_AGENT_NAME = re.compile(r"^\s*([A-Za-z][\w.\- ]*?)[_/ ]v?(\d[\w.\-]*)")


def agent_of(user_agent: str) -> tuple[str, str]:
    """(name, version) from an agent's User-Agent (FusionInventory-Agent_v2.6,
    OCS-NG_unified_unix_agent_v2.10.0, GLPI-Agent_v1.4)."""
    match = _AGENT_NAME.match(user_agent)
    if match is None:
        return user_agent.strip()[:100], ""
    return match.group(1)[:100], match.group(2)[:40]


def handle(secret: str, body: bytes, *, content_type: str = "", user_agent: str = "",
           remote_addr: str = "") -> Reply:
    """Answer one agent request to the token's address, logging it (see the module)."""
    request = _Request(body, content_type, user_agent, remote_addr[:45])
    log = request.log
    log.size = len(body)
    log.remote_addr = request.remote_addr
    log.agent, log.agent_version = agent_of(user_agent)
    try:
        token = _token(secret, log)
        content, request.encoding = decompress(body, max_bytes())
        reply = _dispatch(token, content, request)
    except Refused as refusal:
        log.message = refusal.message[:2000]
        reply = Reply(refusal.status, refusal.message.encode(), "text/plain; charset=utf-8")
    except Exception as error:  # logged and answered; the import run says what failed
        logger.exception("agent report failed")
        log.message = f"internal error: {type(error).__name__}: {error}"[:2000]
        reply = Reply(500, b"internal error", "text/plain; charset=utf-8")
    log.http_status = reply.status
    log.save()
    return reply


def _token(secret: str, log: AgentReport) -> AgentToken:
    token = AgentToken.objects.select_related("municipality").filter(
        key_hash=_hash(secret)).first()
    if token is None:
        raise Refused(403, "unknown agent token")
    log.token = token
    log.municipality_code = token.municipality.code
    if token.revoked is not None:
        raise Refused(403, "this agent token was revoked")
    since = timezone.now() - dt.timedelta(minutes=1)
    if AgentReport.objects.filter(token=token, received__gte=since).count() \
            >= int(settings.AGENT_REPORTS_PER_MINUTE):
        raise Refused(429, "too many reports with this token in the last minute")
    if log.size > max_bytes():
        raise Refused(413, f"the report is larger than {max_bytes() // 2**20} MB")
    return token


def _dispatch(token: AgentToken, content: bytes, request: _Request) -> Reply:
    text = content.lstrip()
    if text.startswith(b"{"):
        return _glpi(token, content, request)
    if text.startswith(b"<"):
        return _xml(token, content, request)
    raise Refused(400, "not an agent's report: neither JSON nor XML")


def _json_reply(data: dict[str, Any], encoding: str, status: int = 200) -> Reply:
    body = json.dumps(data).encode()
    if encoding == "plain":
        return Reply(status, body, "application/json")
    return Reply(status, _compress(body, encoding), f"application/x-compress-{encoding}")


def _xml_reply(elements: dict[str, str], request: _Request) -> Reply:
    from html import escape

    inner = "".join(f"<{k}>{escape(v, quote=False)}</{k}>" for k, v in elements.items())
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY>{inner}</REPLY>\n'.encode()
    if request.encoding == "plain":
        return Reply(200, body, "application/xml")
    kind = "application/x-compress" if "x-compress-" not in request.content_type \
        else f"application/x-compress-{request.encoding}"
    return Reply(200, _compress(body, request.encoding), kind)


def _glpi(token: AgentToken, content: bytes, request: _Request) -> Reply:
    log = request.log
    log.protocol = "glpi"
    try:
        message = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Refused(400, f"the JSON cannot be read ({str(error)[:200]})") from error
    if not isinstance(message, dict):
        raise Refused(400, "the JSON is not an object")
    action = str(message.get("action") or "").casefold()
    log.action = action[:20]
    log.device_id = str(message.get("deviceid") or "")[:200]
    if message.get("name") and not log.agent:
        log.agent = str(message["name"])[:100]
    if message.get("version") and not log.agent_version:
        log.agent_version = str(message["version"])[:40]
    if action == "contact":
        return _json_reply({"status": "ok", "expiration": PROLOG_FREQ_HOURS,
                            "tasks": {"inventory": {"server": "ictmerge"}}}, request.encoding)
    if action in ("inventory", "netinventory", "netdiscovery"):
        run = _import(token, content, request)
        if run.status != "imported":
            return _json_reply({"status": "error", "message": _problems(run)},
                               request.encoding, 422)
        return _json_reply({"status": "ok", "expiration": PROLOG_FREQ_HOURS},
                           request.encoding)
    return _json_reply({"status": "error", "message": f"action {action!r} is not served here"},
                       request.encoding, 400)


def _xml(token: AgentToken, content: bytes, request: _Request) -> Reply:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    log = request.log
    agent = log.agent.casefold()
    log.protocol = "ocs" if "ocs" in agent or request.content_type == \
        "application/x-compress" else "fusioninventory"
    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise Refused(400, f"the XML cannot be read ({str(error)[:200]})") from error
    query = (root.findtext("QUERY") or "").strip().upper()
    log.action = query.lower()[:20]
    log.device_id = (root.findtext("DEVICEID") or "").strip()[:200]
    if not log.agent_version:
        version = root.findtext("CONTENT/VERSIONCLIENT") or ""
        if version:
            log.agent, log.agent_version = agent_of(version)
    if query == "PROLOG":
        return _xml_reply({"RESPONSE": "SEND", "PROLOG_FREQ": str(PROLOG_FREQ_HOURS)}, request)
    if query in ("INVENTORY", "NETDISCOVERY", "SNMPQUERY", "SNMP"):
        run = _import(token, content, request)
        if run.status != "imported":
            raise Refused(422, _problems(run))
        return _xml_reply({"RESPONSE": "no_account_update"}, request)
    raise Refused(400, f"query {query or '(none)'} is not served here")


def _problems(run: Any) -> str:
    return "; ".join(f"{p['column']}: {p['message']}".lstrip(": ")
                     for p in run.problems[:5])[:1000] or str(run.status)


def _import(token: AgentToken, content: bytes, request: _Request) -> Any:
    """The report through the file importer, then the sightings of its devices."""
    from ictmerge.imports.services import import_file

    log = request.log
    agent = log.agent or log.protocol
    name = f"{agent} {log.device_id or 'report'}"[:240]
    actor = AgentActor(token.municipality_id, f"agent {token.prefix}")
    run = import_file(content, f"{name}.{'json' if log.protocol == 'glpi' else 'xml'}",
                      "glpi", user=actor, municipality=token.municipality.code)
    log.import_run = run
    if run.status == "imported":
        now = timezone.now()
        with transaction.atomic():
            for device_id in dict.fromkeys(run.devices):
                DeviceSighting.objects.update_or_create(device_id=device_id, defaults={
                    "last_seen": now, "agent": log.agent or log.protocol,
                    "agent_version": log.agent_version, "agent_device": log.device_id})
    return run


# --- coverage ----------------------------------------------------------------------------

def stale_before() -> dt.datetime:
    """Devices last seen before this are flagged as not seen (AGENT_STALE_DAYS)."""
    return timezone.now() - dt.timedelta(days=int(settings.AGENT_STALE_DAYS))


def coverage(user: Any) -> list[dict[str, Any]]:
    """Per visible municipality with devices or tokens: devices in the register, reporting
    (seen within AGENT_STALE_DAYS), not seen for longer, and active tokens."""
    limit = stale_before()
    rows = (Device.objects.restrict(user).values("municipality_id", "municipality__code",
                                                 "municipality__name")
            .annotate(devices=Count("id"),
                      reporting=Count("id", filter=Q(sighting__last_seen__gte=limit)),
                      stale=Count("id", filter=Q(sighting__last_seen__lt=limit)))
            .order_by("municipality__name"))
    tokens = dict(AgentToken.objects.filter(revoked__isnull=True)
                  .values_list("municipality_id").annotate(n=Count("id")))
    result = []
    for row in rows:
        result.append({"municipality": row["municipality__code"],
                       "name": row["municipality__name"], "devices": row["devices"],
                       "reporting": row["reporting"], "not_seen": row["stale"],
                       "tokens": tokens.get(row["municipality_id"], 0),
                       "share": row["reporting"] / row["devices"] if row["devices"] else 0.0})
    return result
