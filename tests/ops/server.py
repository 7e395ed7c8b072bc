"""Start and stop a real gunicorn serving danvan, for the tests that need one."""

import http.client
import subprocess
import time
from pathlib import Path

from tests.ops.conftest import ROOT

GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


class Gunicorn:
    """A gunicorn process on ``port`` with the deployment's configuration file."""

    def __init__(self, binary: str, port: int, env: dict[str, str], log: Path):
        self.port = port
        self.log = log
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
        env.setdefault("GUNICORN_WORKERS", "1")
        self._log_handle = log.open("w")
        self.process = subprocess.Popen(
            [binary, "-c", str(GUNICORN_CONF)],
            env=env,
            cwd=ROOT,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
        )

    def request(self, method: str, path: str, headers=None, body=None, timeout: float = 30):
        """Return (status, headers, body text) of one request, redirects not followed."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def wait_ready(self, path: str = "/health/", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                self.request("GET", path, timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        if not self._log_handle.closed:
            self._log_handle.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_handle.close()
