"""Signed-in users browsing ictmerge: national and county pages, filtered lists, records, API."""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

USERNAME = "demo"
PASSWORD = "demo"


class MunicipalUser(HttpUser):
    """An ICT lead or auditor clicking through the takeover picture."""

    wait_time = between(0.1, 0.5)
    county_ids: list[int] = []
    device_ids: list[int] = []

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post("/accounts/login/", {
            "username": USERNAME, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }, headers={"Referer": f"{self.host}/accounts/login/"}, name="sign in")
        if not MunicipalUser.county_ids:
            data = self.client.get("/api/municipalities/?stage=new&limit=100",
                                   name="api municipalities").json()
            MunicipalUser.county_ids = [m["id"] for m in data["results"]]
            devices = self.client.get("/api/devices/?kind=server&limit=200",
                                      name="api devices").json()
            MunicipalUser.device_ids = [d["id"] for d in devices["results"]]

    @task(3)
    def national(self) -> None:
        self.client.get("/national/", name="national page")

    @task(4)
    def county(self) -> None:
        if self.county_ids:
            self.client.get(f"/counties/{random.choice(self.county_ids)}/", name="county page")

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
