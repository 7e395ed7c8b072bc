"""Gunicorn settings for danvan: ``gunicorn -c deploy/gunicorn.conf.py``.

Every value can be changed by an environment variable (the systemd unit reads them from
/etc/danvan/danvan.env), so the same file serves a 2-core province server and a large node.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


wsgi_app = "danvan.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is database-bound; two per core plus one is gunicorn's advice.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request that takes longer than this is killed and logged; nginx waits a little longer.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle each worker after so many requests (with jitter), so memory cannot creep for years.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Trust X-Forwarded-* only from nginx on the same machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# danvan writes its own structured request line (request id, path, status, duration_ms; see
# DANVAN_LOG_FORMAT). Gunicorn's access log is off unless GUNICORN_ACCESS_LOG names a file or
# "-" (stdout); its lines then carry the same request id, taken from the response header.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s ua="%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True
proc_name = "danvan-web"
