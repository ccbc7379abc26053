"""Baseline for the load benchmark: the sign-in page, which reads no records."""

from __future__ import annotations

import os

from locust import HttpUser, between, task

THINK_LOW, THINK_HIGH = (float(x) for x in os.environ.get("LOAD_THINK_SECONDS", "1-5").split("-"))


class AnonymousVisitor(HttpUser):
    """Someone opening the sign-in page."""

    wait_time = between(THINK_LOW, THINK_HIGH)  # as the mix's readers

    @task
    def sign_in_page(self) -> None:
        self.client.get("/accounts/login/", name="login page")
