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
# Threaded workers, one process per core plus one. A sign-in's Argon2 (~0.1 s) and a wait on
# the database run outside Python's lock, so the other threads of the process go on meanwhile
# instead of queueing behind it as behind a single-threaded (sync) worker. On two cores this
# serves the load scenario as fast as five sync workers with 200 MB less memory
# (docs/performance.md, "Load"). Each thread holds its own database connection.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer than this is killed and logged; nginx waits a little longer.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Threaded workers keep a connection open between requests. nginx keeps up to 16 of them for
# 60 s (its default keepalive_timeout): the server waits longer, so it never closes one just as
# nginx reuses it, which would fail a POST with 502 (nginx does not send a POST twice).
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# A worker is replaced when its memory has grown past this many MB, checked after each
# request (``post_request``). Replacing workers after a fixed number of requests instead
# (GUNICORN_MAX_REQUESTS, off by default) restarts them whether or not they grew: each restart
# closes the connections the worker kept alive, and a request a client sends on one at that
# moment is reset (2 of 7,132 in a five-minute ``make load``). A worker's memory stays flat
# under load (docs/performance.md, "Load"), so the ceiling only catches a real leak. Above the
# few hundred MB a burst of sign-ins' Argon2 hashes takes.
max_worker_memory_mb = _int("GUNICORN_MAX_WORKER_MEMORY_MB", 1024)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
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


def _resident_mb() -> float:
    """This process's resident memory now (Linux), else its peak (``getrusage``)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**10 if os.uname().sysname == "Linux" else peak / 2**20


def post_request(worker, req, environ, resp) -> None:
    """Replace the worker after this request when its memory is past the ceiling: it stops
    taking connections, ends the requests it has and exits; the master starts a fresh one."""
    if max_worker_memory_mb <= 0 or not worker.alive:
        return
    resident = _resident_mb()
    if resident > max_worker_memory_mb:
        worker.log.warning(
            "Replacing worker %s: %.0f MB resident, over GUNICORN_MAX_WORKER_MEMORY_MB=%s",
            worker.pid,
            resident,
            max_worker_memory_mb,
        )
        worker.alive = False
