"""The load scenario: officers browsing, searching and saving, reviewers at their queue,
leaders on the dashboard, the public on the showcase. ``make load`` runs it (bench/load/run.py).

The people are created by run.py in the national bench database; their names and password
come from the environment it sets. The server's own time of every answer (its
``Server-Timing: app;dur=…`` header, danvan.ops.timing) is collected by endpoint and written to
``LOAD_SERVER_TIMING`` when the run stops, for run.py's report.
"""

import csv
import datetime
import os
import random
import re
from collections import defaultdict

from locust import HttpUser, between, events, task

APP_DURATION = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")
DB_DURATION = re.compile(r"(?:^|,)\s*db;dur=([0-9.]+)")
_server_times: dict[str, list[tuple[float, float]]] = defaultdict(list)


@events.request.add_listener
def _server_time(name, response=None, exception=None, **kwargs) -> None:
    """Keep the server's time (app, db) of each answer that carries one."""
    header = response.headers.get("Server-Timing", "") if response is not None else ""
    app, db = APP_DURATION.search(header), DB_DURATION.search(header)
    if app:
        _server_times[name].append((float(app.group(1)), float(db.group(1)) if db else 0.0))


@events.test_stop.add_listener
def _write_server_times(**kwargs) -> None:
    target = os.environ.get("LOAD_SERVER_TIMING")
    if not target:
        return
    with open(target, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "app_ms", "db_ms"])
        for name, times in sorted(_server_times.items()):
            writer.writerows([name, app, db] for app, db in times)


PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-2025")
SEARCHES = ["dan van", "đường", "nông thôn mới", "hội phụ nữ", "camera an ninh", "kênh mương"]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="sign-in page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        self.ids: list[int] = []

    def api_ids(self) -> list[int]:
        if not self.ids:
            response = self.client.get("/api/v1/initiatives/?page_size=50", name="api list")
            if response.ok:
                self.ids = [row["id"] for row in response.json().get("results", [])]
        return self.ids


class Officer(SignedIn):
    weight = 5
    username = "load_officer"

    @task(4)
    def browse(self) -> None:
        self.client.get("/initiatives/", name="initiatives")
        self.client.get(f"/initiatives/?page={random.randint(1, 5)}", name="initiatives page")

    @task(3)
    def search(self) -> None:
        self.client.get(f"/initiatives/?q={random.choice(SEARCHES)}", name="search")

    @task(2)
    def open_one(self) -> None:
        if ids := self.api_ids():
            self.client.get(f"/api/v1/initiatives/{random.choice(ids)}/", name="api detail")

    @task(1)
    def save_a_contribution(self) -> None:
        ids = self.api_ids()
        if not ids:
            return
        self.client.post(
            f"/api/v1/initiatives/{random.choice(ids)}/contributions/",
            json={
                "date": datetime.date.today().isoformat(),
                "kind": "money",
                "amount": random.randint(1, 50) * 100_000,
                "contributor_type": "households",
                "contributors": random.randint(1, 30),
            },
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="save contribution",
        )


class Reviewer(SignedIn):
    weight = 2
    username = "load_reviewer"

    @task(3)
    def queue(self) -> None:
        self.client.get("/review/", name="review queue")

    @task(2)
    def read(self) -> None:
        if ids := self.api_ids():
            self.client.get(f"/api/v1/initiatives/{random.choice(ids)}/", name="api detail")


class Leader(SignedIn):
    weight = 2
    username = "load_leader"

    @task
    def dashboard(self) -> None:
        year = random.choice([2023, 2024, 2025])
        self.client.get(f"/?year={year}", name="dashboard")


class Public(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    @task
    def showcase(self) -> None:
        self.client.get("/showcase/", name="showcase")
