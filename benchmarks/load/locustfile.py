"""Signed-in users of ictmerge: nine in ten read (national and county pages, filtered lists,
records, API lists), one in ten edits now and then (a small import, a queued plan run: writes,
which also renew the national report's cache).

Readers think 1-5 s between clicks, editors 10-30 s between writes (people, not scripts);
LOAD_THINK_SECONDS="0.1-0.5" makes the readers a stress test instead. With LOAD_SESSIONS_FILE
(one session key a line, made before the run) the users are already signed in, as staff who
signed in earlier that day: the run measures the pages, not a stampede of password hashes
at its start; without it each user signs in through the form.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

USERNAME = "demo"
PASSWORD = "demo"
THINK_LOW, THINK_HIGH = (float(x) for x in os.environ.get("LOAD_THINK_SECONDS", "1-5").split("-"))
#: Every request's (name, milliseconds, failed), written at the end to LOAD_TIMINGS_FILE so
#: the benchmark can give percentiles of the pages alone, without the sign-ins (a password
#: hash each) that Locust's aggregate includes.
TIMINGS: list[tuple[str, float, bool]] = []


def _sessions() -> list[str]:
    target = os.environ.get("LOAD_SESSIONS_FILE")
    if not target:
        return []
    with open(target) as handle:
        return [line.strip() for line in handle if line.strip()]


_LEARNING = Semaphore()

#: Session keys of signed-in users, one per user while they last.
SESSIONS = _sessions()


@events.request.add_listener
def _timed(name: str, response_time: float, exception: object, **_: object) -> None:
    TIMINGS.append((name, response_time, exception is not None))


@events.quitting.add_listener
def _write_timings(**_: object) -> None:
    target = os.environ.get("LOAD_TIMINGS_FILE")
    if target:
        with open(target, "w") as handle:
            json.dump(TIMINGS, handle)


class SignedInUser(HttpUser):
    """Signs in and learns the ids to visit (once for all users)."""

    abstract = True
    county_ids: list[int] = []
    county_pages: list[str] = []
    device_ids: list[int] = []
    former_codes: list[str] = []
    scenario_ids: list[int] = []

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")  # sets the CSRF cookie
        if SESSIONS:
            host = self.host.split("://", 1)[-1].split(":", 1)[0]
            self.client.cookies.set("sessionid", SESSIONS.pop(), domain=host, path="/")
        else:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            self.client.post("/accounts/login/", {
                "username": USERNAME, "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            }, headers={"Referer": f"{self.host}/accounts/login/"}, name="sign in")
        with _LEARNING:  # one user learns the ids while the others wait for them
            if not SignedInUser.county_ids:
                data = self.client.get("/api/municipalities/?stage=new&limit=100",
                                       name="api municipalities").json()
                SignedInUser.county_ids = [m["id"] for m in data["results"]]
                reforms = {r["id"]: r["code"] for r in self.client.get(
                    "/api/reforms/?limit=100", name="api reforms").json()["results"]}
                # A county page's one address: /counties/<reform>/<code>/.
                SignedInUser.county_pages = [f"/counties/{reforms[m['reform']]}/{m['code']}/"
                                             for m in data["results"]]
                devices = self.client.get("/api/devices/?kind=server&limit=200",
                                          name="api devices").json()
                SignedInUser.device_ids = [d["id"] for d in devices["results"]]
                formers = self.client.get("/api/municipalities/?stage=former&limit=100",
                                          name="api municipalities").json()
                SignedInUser.former_codes = [m["code"] for m in formers["results"]]
                plans = self.client.get("/api/consolidation/counties/",
                                        name="api consolidation counties").json()
                SignedInUser.scenario_ids = [c["scenario"] for c in plans["counties"]
                                             if c.get("scenario")]

    def csrf(self) -> dict[str, str]:
        """The headers a session-authenticated API write needs."""
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}/"}


class MunicipalUser(SignedInUser):
    """An ICT lead or auditor clicking through the takeover picture."""

    weight = 9
    wait_time = between(THINK_LOW, THINK_HIGH)

    @task(3)
    def national(self) -> None:
        self.client.get("/national/", name="national page")

    @task(4)
    def county(self) -> None:
        if self.county_pages:
            self.client.get(random.choice(self.county_pages), name="county page")

    @task(4)
    def filtered_list(self) -> None:
        self.client.get("/devices/?kind=server&sort=name", name="device list (filtered)")

    @task(2)
    def list_page(self) -> None:
        self.client.get(f"/devices/?page={random.randint(1, 50)}", name="device list (paged)")

    @task(3)
    def record(self) -> None:
        if self.device_ids:
            self.client.get(f"/devices/{random.choice(self.device_ids)}/", name="device record")

    @task(3)
    def api_list(self) -> None:
        self.client.get("/api/devices/?kind=desktop&limit=50", name="api device list")

    @task(1)
    def api_national(self) -> None:
        self.client.get("/api/reports/national/", name="api national")


class Editor(SignedInUser):
    """A data steward importing a few devices or a lead queueing a plan, now and then."""

    weight = 1
    wait_time = between(10, 30)

    @task
    def small_import(self) -> None:
        """Five new desktops of one former municipality (CSV through the API)."""
        if not self.former_codes:
            return
        code = random.choice(self.former_codes)
        batch = uuid.uuid4().hex[:12]
        rows = "".join(f"{code},Load PC {batch}-{i},desktop,LOAD-{batch}-{i}\r\n"
                       for i in range(5))
        self.client.post("/api/imports/", data={"type": "devices"},
                         files={"file": ("load.csv", f"municipality,name,kind,serial\r\n{rows}",
                                         "text/csv")},
                         headers=self.csrf(), name="api import (5 rows)")

    @task
    def plan_run(self) -> None:
        """Queue a county's server and room plan (computed by a worker, not the request)."""
        if self.scenario_ids:
            self.client.post(f"/api/consolidation/scenarios/{random.choice(self.scenario_ids)}"
                             "/run/", headers=self.csrf(), name="api plan run (queued)")
