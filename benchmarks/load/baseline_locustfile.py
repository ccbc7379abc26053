"""Baseline for the load benchmark: the sign-in page, which reads no records."""

from __future__ import annotations

from locust import HttpUser, between, task


class AnonymousVisitor(HttpUser):
    """Someone opening the sign-in page."""

    wait_time = between(0.1, 0.5)

    @task
    def sign_in_page(self) -> None:
        self.client.get("/accounts/login/", name="login page")
