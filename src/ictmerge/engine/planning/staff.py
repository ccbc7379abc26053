"""Employees of the predecessors and the account plan of the new municipality.

Pure and deterministic: demo employee lists are generated from a seed (labelled as generated
by the caller), user lists are read from our CSV template, a directory export or a Snipe-IT
user export, and the account plan gives every employee one account with a unique user name
and e-mail address on the new domain by the stated rule below.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ictmerge.engine.spreadsheets import SafeCsvWriter

#: The rule that makes user names unique, as shown to the user.
COLLISION_RULE = (
    "The user name is given.family in lower-case ASCII (diacritics dropped, spaces and other "
    "characters removed). Employees are taken in the order of their former municipality's "
    "code, then family name, given name and old user name; the first holder of a name keeps "
    "it, every further holder gets the next free number appended (janis.berzins2, "
    "janis.berzins3, …). The e-mail address is the user name at the new domain."
)

# Latvian given names with gendered family names; the common ones come first and are drawn
# more often (weights fall as 1/√rank), so that, as in life, collisions occur.
MALE_GIVEN = ("Jānis", "Andris", "Juris", "Pēteris", "Māris", "Aivars", "Edgars", "Mārtiņš",
              "Guntis", "Valdis", "Ivars", "Kristaps", "Artūrs", "Roberts", "Dainis", "Raivis")
FEMALE_GIVEN = ("Anna", "Inese", "Ilze", "Kristīne", "Līga", "Laura", "Dace", "Ieva", "Sanita",
                "Linda", "Zane", "Evija", "Santa", "Marta", "Agnese", "Baiba")
FAMILY = (("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
          ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"),
          ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"), ("Zariņš", "Zariņa"),
          ("Pētersons", "Pētersone"), ("Kļaviņš", "Kļaviņa"), ("Vītols", "Vītola"),
          ("Eglītis", "Eglīte"), ("Kārkliņš", "Kārkliņa"), ("Lapiņš", "Lapiņa"),
          ("Siliņš", "Siliņa"), ("Riekstiņš", "Riekstiņa"), ("Grīnbergs", "Grīnberga"),
          ("Zeltiņš", "Zeltiņa"), ("Strods", "Stroda"))
DEPARTMENTS = ("Administration", "Finance", "Social services", "Education", "Registry",
               "Construction board", "Culture", "Utilities", "ICT")
HEAD_TITLE = "Head of department"
STAFF_TITLE = "Specialist"


class AccountAction(StrEnum):
    """What the directory does with an employee's account."""

    CREATE = "create"
    MERGE = "merge"
    DISABLE = "disable"


@dataclass(frozen=True)
class Employee:
    """One employee in a predecessor's user list."""

    former_code: str
    given_name: str
    family_name: str
    department: str = ""
    title: str = ""
    old_username: str = ""
    old_email: str = ""
    active: bool = True
    employee_id: str = ""


@dataclass(frozen=True)
class Account:
    """One planned account of the new municipality (or an old one to disable)."""

    action: AccountAction
    username: str
    email: str
    given_name: str
    family_name: str
    department: str
    groups: tuple[str, ...]
    sources: tuple[str, ...]  # "CODE:old_username" of every predecessor account it replaces
    note: str = ""


@dataclass(frozen=True)
class Collision:
    """A user name wanted by more than one employee, and what each received."""

    base: str
    holders: tuple[tuple[str, str], ...]  # (source, user name given)


@dataclass(frozen=True)
class GroupMapping:
    """An old group (former municipality and department) and the new group it maps to."""

    old_group: str
    new_group: str
    members: int


@dataclass
class AccountPlan:
    """The account plan of the new municipality."""

    domain: str
    accounts: list[Account] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)
    groups: list[GroupMapping] = field(default_factory=list)
    rule: str = COLLISION_RULE

    def count(self, action: AccountAction) -> int:
        """How many accounts get the action."""
        return sum(1 for a in self.accounts if a.action is action)


class UserListError(ValueError):
    """A user list that cannot be read; the message names the file, row and field."""


# Generating ---------------------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[str]) -> str:
    return rng.choices(options, weights=[1 / math.sqrt(rank + 1) for rank in range(len(options))])[0]


def _pick_family(rng: random.Random, female: bool) -> str:
    pair = rng.choices(FAMILY, weights=[1 / math.sqrt(rank + 1) for rank in range(len(FAMILY))])[0]
    return pair[1] if female else pair[0]


def generate_employees(former_code: str, domain: str, count: int, seed: int,
                       shared: Sequence[Employee] = ()) -> list[Employee]:
    """A made-up user list of one predecessor: `count` employees, the same for the same seed.

    About 1 in 25 has left (inactive account) and `shared` employees of another predecessor
    (people who worked for both) are listed again with this predecessor's account.
    """
    rng = random.Random(f"{seed}:{former_code}")
    employees: list[Employee] = []
    used: set[str] = set()
    for n in range(count):
        female = rng.random() < 0.6  # municipal staff are mostly women (assumption)
        given = _weighted(rng, FEMALE_GIVEN if female else MALE_GIVEN)
        family = _pick_family(rng, female)
        department = DEPARTMENTS[n % len(DEPARTMENTS)] if n < len(DEPARTMENTS) else rng.choice(
            DEPARTMENTS)
        title = HEAD_TITLE if n < len(DEPARTMENTS) else STAFF_TITLE
        old = _unique(f"{ascii_fold(given)[:1]}{ascii_fold(family)}", used)
        employees.append(Employee(
            former_code=former_code, given_name=given, family_name=family,
            department=department, title=title, old_username=old,
            old_email=f"{old}@{domain}", active=rng.random() >= 0.04,
            employee_id=f"{former_code}-{n + 1:04d}"))
    for person in shared:
        old = _unique(f"{ascii_fold(person.given_name)[:1]}{ascii_fold(person.family_name)}",
                      used)
        employees.append(Employee(
            former_code=former_code, given_name=person.given_name,
            family_name=person.family_name, department=person.department, title=person.title,
            old_username=old, old_email=f"{old}@{domain}", active=True,
            employee_id=person.employee_id))
    return employees


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}{n}"
    used.add(candidate)
    return candidate


# Reading user lists ---------------------------------------------------------------------------

#: Column names accepted per field: our template, a directory (AD/LDAP) export, Snipe-IT users.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "given_name": ("given_name", "givenname", "first name", "first_name"),
    "family_name": ("family_name", "sn", "surname", "last name", "last_name"),
    "department": ("department", "ou", "department name"),
    "title": ("title", "job title", "jobtitle"),
    "old_username": ("username", "samaccountname", "uid", "user name"),
    "old_email": ("email", "mail", "e-mail"),
    "active": ("active", "enabled", "activated", "useraccountcontrol"),
    "employee_id": ("employee_id", "employeeid", "employee number", "employee_num"),
}
REQUIRED = ("given_name", "family_name")
TEMPLATE_HEADER = ("given_name", "family_name", "department", "title", "username", "email",
                   "active", "employee_id")
_TRUE = {"1", "true", "yes", "y", "jā", "ja", "active", "enabled", "512", "66048"}
_FALSE = {"0", "false", "no", "n", "nē", "ne", "inactive", "disabled", "514", "66050"}


def read_user_list(text: str, former_code: str, filename: str = "users.csv") -> list[Employee]:
    """Employees from a CSV user list; any bad row raises with the file, row and field."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect)
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration as error:
        raise UserListError(f"{filename}: the file is empty") from error
    where: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in header:
                where[name] = header.index(alias)
                break
    missing = [name for name in REQUIRED if name not in where]
    if missing:
        raise UserListError(f"{filename}, row 1: no column for {', '.join(missing)} "
                            f"(expected e.g. {', '.join(TEMPLATE_HEADER)})")
    employees = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in where.items()}
        for name in REQUIRED:
            if not values[name]:
                raise UserListError(f"{filename}, row {row_number}, {header[where[name]]}: "
                                    "empty")
        active = True
        if values.get("active"):
            flag = values["active"].casefold()
            if flag in _TRUE:
                active = True
            elif flag in _FALSE:
                active = False
            else:
                raise UserListError(f"{filename}, row {row_number}, {header[where['active']]}: "
                                    f"{values['active']!r} is not yes/no")
        employees.append(Employee(
            former_code=former_code, given_name=values["given_name"],
            family_name=values["family_name"], department=values.get("department", ""),
            title=values.get("title", ""), old_username=values.get("old_username", ""),
            old_email=values.get("old_email", ""), active=active,
            employee_id=values.get("employee_id", "")))
    return employees


def template_csv(employees: Iterable[Employee] = ()) -> str:
    """Our user-list template (header and, if given, the employees)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(TEMPLATE_HEADER)
    for e in employees:
        writer.writerow([e.given_name, e.family_name, e.department, e.title, e.old_username,
                         e.old_email, "yes" if e.active else "no", e.employee_id])
    return out.getvalue()


# Planning -------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only (Bērziņš → berzins)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def group_name(department: str) -> str:
    """The new municipality's group for a department."""
    folded = unicodedata.normalize("NFKD", department).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return f"grp-{slug or 'staff'}"


def _source(e: Employee) -> str:
    return f"{e.former_code}:{e.old_username or e.employee_id or ascii_fold(e.family_name)}"


def plan_accounts(employees: Iterable[Employee], domain: str) -> AccountPlan:
    """One account per active employee, unique names by COLLISION_RULE, merges and disables.

    Entries sharing an employee_id in different predecessors are one person: one account
    (merged). An inactive entry gets no account; its old account is disabled.
    """
    plan = AccountPlan(domain=domain)
    ordered = sorted(employees, key=lambda e: (e.former_code, e.family_name, e.given_name,
                                               e.old_username, e.employee_id))
    people: dict[str, list[Employee]] = defaultdict(list)
    order: list[str] = []
    for n, e in enumerate(ordered):
        if not e.active:
            plan.accounts.append(Account(
                AccountAction.DISABLE, e.old_username, e.old_email, e.given_name,
                e.family_name, e.department, (), (_source(e),),
                "inactive in the predecessor's list: the old account is disabled"))
            continue
        key = f"id:{e.employee_id}" if e.employee_id else f"row:{n}"
        if key not in people:
            order.append(key)
        people[key].append(e)
    taken: set[str] = set()
    wanted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    group_members: dict[tuple[str, str], int] = defaultdict(int)
    for key in order:
        entries = people[key]
        first = entries[0]
        base = f"{ascii_fold(first.given_name)}.{ascii_fold(first.family_name)}".strip(".")
        base = base or "user"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        sources = tuple(_source(e) for e in entries)
        wanted[base].append((sources[0], name))
        groups = ["grp-all-staff"]
        for e in entries:
            if e.department:
                group = group_name(e.department)
                if group not in groups:
                    groups.append(group)
                group_members[(f"{e.former_code}/{e.department}", group)] += 1
            if e.title.casefold().startswith("head") and "grp-managers" not in groups:
                groups.append("grp-managers")
        merged = len({e.former_code for e in entries}) > 1 or len(entries) > 1
        plan.accounts.append(Account(
            AccountAction.MERGE if merged else AccountAction.CREATE, name, f"{name}@{domain}",
            first.given_name, first.family_name, first.department, tuple(groups), sources,
            "the same employee in several lists (same employee id): one account"
            if merged else ""))
    plan.collisions = [Collision(base, tuple(holders))
                       for base, holders in sorted(wanted.items()) if len(holders) > 1]
    plan.groups = [GroupMapping(old, new, count)
                   for (old, new), count in sorted(group_members.items())]
    return plan


def accounts_csv(plan: AccountPlan) -> str:
    """The account plan as CSV (one row per account, disabled old accounts included)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(["action", "username", "email", "given_name", "family_name", "department",
                     "groups", "replaces", "note"])
    for a in plan.accounts:
        writer.writerow([a.action.value, a.username, a.email, a.given_name, a.family_name,
                         a.department, ";".join(a.groups), ";".join(a.sources), a.note])
    return out.getvalue()


def _ldif_line(attribute: str, value: str) -> str:
    """One LDIF attribute, base64-encoded when the value is not safe ASCII (RFC 2849)."""
    safe = (value.isascii() and value == value.strip() and not value.startswith((":", "<"))
            and "\n" not in value and "\r" not in value)
    if safe:
        return f"{attribute}: {value}"
    return f"{attribute}:: {base64.b64encode(value.encode('utf-8')).decode('ascii')}"


def base_dn(domain: str) -> str:
    """dc=…,dc=… of the domain."""
    return ",".join(f"dc={part}" for part in domain.split(".") if part)


def accounts_ldif(plan: AccountPlan) -> str:
    """The accounts to create (new and merged) and their groups as LDIF for the directory."""
    root = base_dn(plan.domain)
    blocks = ["version: 1"]
    members: dict[str, list[str]] = defaultdict(list)
    for a in plan.accounts:
        if a.action is AccountAction.DISABLE:
            continue
        dn = f"uid={a.username},ou=people,{root}"
        lines = [f"dn: {dn}", "objectClass: top", "objectClass: person",
                 "objectClass: organizationalPerson", "objectClass: inetOrgPerson",
                 _ldif_line("uid", a.username),
                 _ldif_line("cn", f"{a.given_name} {a.family_name}"),
                 _ldif_line("givenName", a.given_name), _ldif_line("sn", a.family_name),
                 _ldif_line("mail", a.email)]
        if a.department:
            lines.append(_ldif_line("departmentNumber", a.department))
        blocks.append("\n".join(lines))
        for group in a.groups:
            members[group].append(dn)
    for group in sorted(members):
        lines = [f"dn: cn={group},ou=groups,{root}", "objectClass: top",
                 "objectClass: groupOfNames", f"cn: {group}"]
        lines += [f"member: {dn}" for dn in members[group]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
