"""Request ids and structured log lines."""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from danvan.ops.logs import JsonFormatter, RequestContextFilter, logging_config, request_id_var
from danvan.ops.middleware import valid_request_id

pytestmark = pytest.mark.django_db


def test_a_request_gets_an_id_on_the_response(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxys_id_is_kept(client):
    response = client.get("/health/", headers={"X-Request-ID": "0f3a9c2e7b1d4e5f8a6b"})
    assert response["X-Request-ID"] == "0f3a9c2e7b1d4e5f8a6b"


@pytest.mark.parametrize(
    "bad",
    ["short", "x" * 200, "id with spaces", "id\nforged line", "<script>", "-leadingdash123", ""],
)
def test_an_invalid_id_is_replaced(client, bad):
    response = client.get("/health/", headers={"X-Request-ID": bad})
    assert response["X-Request-ID"] != bad
    assert valid_request_id(bad) != bad
    assert len(response["X-Request-ID"]) == 32


class _Lines(logging.Handler):
    """A handler as the settings build it (request filter, JSON), keeping its lines."""

    def __init__(self):
        super().__init__()
        self.lines: list[dict] = []
        self.addFilter(RequestContextFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


def test_the_request_line_carries_id_path_status_and_time(client):
    handler = _Lines()
    logger = logging.getLogger("danvan.request")
    logger.addHandler(handler)
    try:
        client.get("/health/", headers={"X-Request-ID": "req-1234567890"})
        client.get("/no-such-page/", headers={"X-Request-ID": "req-0987654321"})
    finally:
        logger.removeHandler(handler)
    first, second = handler.lines
    assert first["request_id"] == "req-1234567890"
    assert first["path"] == "/health/"
    assert first["status"] == 200
    assert first["duration_ms"] >= 0
    assert first["message"] == "GET /health/ 200"
    assert second["request_id"] == "req-0987654321"
    assert second["status"] == 404
    assert request_id_var.get() is None


def test_a_log_line_inside_a_request_gets_the_id_from_the_context(caplog):
    record = logging.LogRecord("danvan.test", logging.WARNING, __file__, 1, "hi %s", ("x",), None)
    token = request_id_var.set("abc123def456")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "abc123def456"
    outside = logging.LogRecord("danvan.test", logging.INFO, __file__, 1, "m", (), None)
    RequestContextFilter().filter(outside)
    assert outside.request_id == "-"


def test_json_lines_have_the_agreed_fields():
    record = logging.LogRecord(
        "danvan.request", logging.INFO, __file__, 1, "GET %s %s", ("/health/", 200), None
    )
    record.status = 200
    record.duration_ms = 3.5
    record.path = "/health/"
    record.request_id = "abc123def456"
    record.batch = 7
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /health/ 200"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "danvan.request"
    assert entry["request_id"] == "abc123def456"
    assert entry["path"] == "/health/"
    assert entry["status"] == 200
    assert entry["duration_ms"] == 3.5
    assert entry["batch"] == 7
    assert entry["time"].endswith("+00:00")


def test_json_lines_keep_the_traceback_on_one_line():
    try:
        raise ValueError("Hà Tĩnh")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert "ValueError: Hà Tĩnh" in entry["exception"]


def test_the_format_is_chosen_by_the_environment():
    assert logging_config(log_format="json", level="INFO")["formatters"]["danvan"] == {
        "()": "danvan.ops.logs.JsonFormatter"
    }
    assert "format" in logging_config(log_format="text", level="INFO")["formatters"]["danvan"]
    with pytest.raises(ImproperlyConfigured, match="DANVAN_LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")
