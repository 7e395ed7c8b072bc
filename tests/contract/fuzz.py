"""Fuzz the live API with schemathesis, with real tokens, over every operation of the schema.

Builds a throw-away database (the official units and a small demo), creates personal tokens for
the demo superuser and for a scoped officer, serves the app on a free local port and runs
schemathesis against ``/api/v1/schema/`` with every check it has: no 5xx, every status and
header documented, every body in its schema, every schema-invalid request refused
(``negative_data_rejection``) and every schema-valid one accepted (``positive_data_acceptance``),
anonymous requests refused, and so on. Any finding fails the run (exit 1). Run it with
``make fuzz``; ``make test`` runs it after pytest.

Where a check cannot apply, it is switched off for those operations alone, in the configuration
the script writes (``write_config``): ``positive_data_acceptance`` expects every request the schema
allows to be accepted, and some operations refuse schema-valid requests with a 400 for reasons no
OpenAPI schema can state:

- an id that must exist (a filter by a unit, round, organisation or indicator; a body naming a
  unit, an award title, criteria, a version of the history): a random id is "no such record";
- the record's state (a workflow step from its status, deleting a draft never submitted, the
  next stage of an award, applying a checked import, the most API keys a user may hold);
- rules on values together or on the database (a strong password, a free user name or
  indicator code, a seat on a unit in force, a contribution's date up to today and its amount by
  kind: the schema states the largest limit of any kind);
- a real file (a spreadsheet, a photo, a PDF): random bytes are refused by their content.

The lists (``IDS_THAT_MUST_EXIST``, ``STATE_RULES``, ``DOMAIN_RULES``, ``REAL_FILES``) name each
operation; every other check still runs on them, and every check runs on every other operation.

The database follows ``DATABASE_URL`` like the tests do: SQLite in a temporary folder by default;
on PostgreSQL a separate database, ``danvan_fuzz`` (dropped before and after), so the run never
touches the tests' ``test_…`` database nor a real one.

Three schemathesis runs, one after the other:

1. the superuser over every operation but ``DELETE /tokens/{id}/`` (it could revoke its own token
   and leave the rest of the run with 401s);
2. the officer of the Yên Giang ward People's Committee, scoped to one organisation, over the same
   operations (without the slow coverage phase): scoped reads and refused writes keep the shapes;
3. ``DELETE /tokens/{id}/`` alone, with a token of its own.

The seed is fixed and examples are bounded (``FUZZ_MAX_EXAMPLES``, 8 by default), so a run takes
the same cases each time and fits in about two and a half minutes on two idle cores.
"""

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
FUZZ_DATABASE = "danvan_fuzz"
SEED = 20250701
SUPERUSER = "admin"  # the demo's superuser
OFFICER = "yengiang.officer"  # the demo's officer of one ward organisation
TOKEN_DESTROY = "tokens_destroy"

# ``positive_data_acceptance`` sends requests the schema allows and expects them accepted (or 401,
# 403, 404, 409). These operations refuse some schema-valid requests with a 400 for reasons no
# OpenAPI schema can state; the check is off for them alone, every other check stays on.
IDS_THAT_MUST_EXIST = [
    # A filter by a unit, round, organisation or indicator the caller cannot see (or that does
    # not exist) is a 400 naming the parameter, never an empty answer that would hide it.
    "areas_list",
    "initiatives_list",
    "organisations_list",
    "stats_awards_list",
    "stats_contributions_list",
    "stats_cumulative_retrieve",
    "stats_initiatives_list",
    "stats_reading_retrieve",
    "stats_recognition_retrieve",
    "stats_registering_units_retrieve",
    "stats_results_retrieve",
    # A body naming a record by id (a unit, an organisation, an award title or form, an
    # indicator, criteria, a version of the history, a source initiative) that is not there.
    "initiatives_create",
    "initiatives_partial_update",
    "initiatives_awards_create",
    "initiatives_results_create",
    "initiatives_evaluations_create",
    "initiatives_restore_create",
    "initiatives_replication_create",
    "initiatives_replication_update",
    "organisations_partial_update",
    "organisations_close_create",
    "users_roles_create",
    "reports_create",
]
STATE_RULES = [
    # What the record's state allows: a workflow step from its current status, deleting a draft
    # never submitted, continuing once a year, an award's next stage, applying a checked import
    # or rolling back an applied one, moving an organisation whose seat has ended, a new API key
    # while the user holds the most keys one may (the run creates many).
    "tokens_create",
    "initiatives_destroy",
    "initiatives_transitions_create",
    "initiatives_continue_create",
    "initiatives_exemplary_create",
    "awards_commend_create",
    "awards_nominate_create",
    "imports_apply_create",
    "imports_rollback_create",
    "organisations_move_to_successor_create",
]
DOMAIN_RULES = [
    # Rules on values together or on the database: a strong password and a free user name, a
    # free indicator code, a seat on a unit in force, dates from 2000 to today and amounts by
    # kind (the schema states the largest limit of any kind), a role's unit or organisation.
    "users_create",
    "indicators_create",
    "organisations_create",
    "initiatives_contributions_create",
    "initiatives_contributions_correct_create",
    # A reason is required to return or discontinue, optional for the other steps: a rule
    # between two fields that the schema cannot state.
    "initiatives_bulk_transitions",
]
REAL_FILES = [
    # A real spreadsheet, photo, PDF or Office document: random bytes are refused by content.
    "imports_create",
    "initiatives_evidence_create",
    "awards_recognise_create",
]
POSITIVE_DATA_NOT_APPLICABLE = IDS_THAT_MUST_EXIST + STATE_RULES + DOMAIN_RULES + REAL_FILES


def write_config(folder: Path) -> Path:
    """Write the schemathesis configuration: the operations some checks do not apply to."""
    ids = ", ".join(f'"{operation}"' for operation in sorted(POSITIVE_DATA_NOT_APPLICABLE))
    path = folder / "schemathesis.toml"
    path.write_text(
        # Every check; set here, not with --checks, which would override the operations' lines.
        "[checks]\n"
        "enabled = true\n"
        "\n"
        "[[operations]]\n"
        f"include-operation-id = [{ids}]\n"
        "checks.positive_data_acceptance.enabled = false\n"
    )
    return path


def say(message: str) -> None:
    print(f"== fuzz: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_url() -> str | None:
    """Return the PostgreSQL URL the tests use, or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    if os.environ.get("DANVAN_TEST_POSTGRES") and not url:
        return "postgres://postgres@127.0.0.1:5432/test"
    return None


def with_database(url: str, name: str) -> str:
    """Return ``url`` pointing at database ``name`` (query string kept)."""
    return re.sub(r"^([^?]*/)[^/?]*", lambda match: match.group(1) + name, url, count=1)


@contextlib.contextmanager
def fuzz_database(url: str | None):
    """Yield the DATABASE_URL for the app: a fresh PostgreSQL database, or None for SQLite."""
    if url is None:
        yield None
        return
    import psycopg

    admin_url = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    run(f"DROP DATABASE IF EXISTS {FUZZ_DATABASE} WITH (FORCE)")
    run(f"CREATE DATABASE {FUZZ_DATABASE}")
    try:
        yield with_database(url, FUZZ_DATABASE)
    finally:
        run(f"DROP DATABASE IF EXISTS {FUZZ_DATABASE} WITH (FORCE)")


def danvan(env: dict, *args: str) -> str:
    """Run a ``danvan`` command; return its standard output, fail loudly with its errors."""
    result = subprocess.run(
        [str(BIN / "danvan"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"danvan {' '.join(args)} failed ({result.returncode})")
    return result.stdout


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The app stopped before answering (exit {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"The app did not answer {url} within {timeout:.0f} s.")


SUMMARY = {
    "tested": re.compile(r"^\s*Tested:\s*(\d+)"),
    "selected": re.compile(r"^\s*Selected:\s*(\d+)/(\d+)"),
    "generated": re.compile(r"^\s*(\d+) generated"),
}
# The superuser's run is split by path into shards that run side by side, one process each:
# schemathesis' own worker threads can trip a CPython 3.11 bug (concurrent ``ast.parse`` in
# Hypothesis: "AST constructor recursion depth mismatch"), processes cannot. Together the shards
# cover every path: the last one takes whatever the others leave. They end at about the same
# time: with the paths after "i" in one shard, it ran alone for its last 80 s (the whole fuzz
# 218 -> 145 s on SQLite, 244 -> 161 s on PostgreSQL once it was split in three).
SHARDS = [
    ("a-h", ["--include-path-regex", r"^/api/v1/[a-h]"]),
    ("initiative parts", ["--include-path-regex", r"^/api/v1/initiatives/\{initiative_pk\}/"]),
    (
        "i",
        [
            "--include-path-regex",
            r"^/api/v1/i",
            "--exclude-path-regex",
            r"^/api/v1/initiatives/\{initiative_pk\}/",
        ],
    ),
    ("j-r", ["--include-path-regex", r"^/api/v1/[j-r]"]),
    ("stats", ["--include-path-regex", r"^/api/v1/stats/"]),
    ("the rest", ["--exclude-path-regex", r"^/api/v1/([a-r]|stats/)"]),
]


def schemathesis(
    schema_url: str, key: str, *, label: str, max_examples: int, extra: list[str], log: Path
) -> tuple[subprocess.Popen, dict]:
    """Start schemathesis with its output in ``log``; return the process and its summary."""
    command = [
        str(BIN / "schemathesis"),
        "--no-color",
        "--config-file",
        str(write_config(log.parent)),
        "run",
        schema_url,
        "--header",
        f"Authorization: Token {key}",
        "--max-examples",
        str(max_examples),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--workers",
        "1",
        *extra,
    ]
    say(f"{label}: schemathesis run … --max-examples {max_examples} {' '.join(extra)}")
    out = log.open("w")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    out.close()
    return process, {"label": label, "log": log, "started": time.monotonic()}


def finish(process: subprocess.Popen, result: dict) -> dict:
    """Wait for a schemathesis run, echo its output and read its summary numbers."""
    result["code"] = process.wait()
    result["seconds"] = time.monotonic() - result["started"]
    result.update(tested=0, generated=0, selected=0, total=0)
    say(f"{result['label']}: output")
    for line in result["log"].read_text(errors="replace").splitlines():
        print(line)
        for name, pattern in SUMMARY.items():
            match = pattern.match(line)
            if match:
                result[name] = int(match.group(1))
                if name == "selected":
                    result["total"] = int(match.group(2))
    sys.stdout.flush()
    return result


def run_all(schema_url: str, keys: dict, spare: str, max_examples: int, logs: Path) -> list:
    everything_but = ["--exclude-operation-id", TOKEN_DESTROY]
    shards = [
        schemathesis(
            schema_url,
            keys[SUPERUSER],
            label=f"superuser [{name}]",
            max_examples=max_examples,
            extra=[*everything_but, *filters],
            log=logs / f"shard-{index}.log",
        )
        for index, (name, filters) in enumerate(SHARDS)
    ]
    results = [finish(*shard) for shard in shards]
    results.append(
        finish(
            *schemathesis(
                schema_url,
                keys[OFFICER],
                label="scoped officer",
                max_examples=max(1, max_examples // 2),
                # The coverage phase is most of the time and hardly depends on the user.
                extra=[*everything_but, "--phases", "fuzzing,stateful"],
                log=logs / "officer.log",
            )
        )
    )
    results.append(
        finish(
            *schemathesis(
                schema_url,
                spare,
                label="token revocation",
                max_examples=max_examples,
                extra=["--include-operation-id", TOKEN_DESTROY],
                log=logs / "revocation.log",
            )
        )
    )
    return results


def server_errors(log: Path) -> list[str]:
    """Return the tracebacks' last lines from the app's log, each once."""
    seen: list[str] = []
    lines = log.read_text(errors="replace").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Traceback") or not line or line[0].isspace():
            continue
        if index > 0 and lines[index - 1].startswith("    ") and line not in seen:
            seen.append(line)
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "8"))
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    options = parser.parse_args()

    started = time.monotonic()
    data_dir = Path(tempfile.mkdtemp(prefix="danvan-fuzz-"))
    env = {key: value for key, value in os.environ.items() if key != "DANVAN_TEST_POSTGRES"}
    env.update(
        DANVAN_DATA_DIR=str(data_dir),
        DEBUG="false",
        # Token creation is rate limited (10 a minute); here schemathesis must reach the logic.
        API_TOKEN_RATE="100000/minute",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    server = None
    try:
        with fuzz_database(postgres_url()) as database_url:
            if database_url:
                env["DATABASE_URL"] = database_url
            else:
                env.pop("DATABASE_URL", None)
            say(f"database: {'PostgreSQL ' + FUZZ_DATABASE if database_url else 'SQLite'}")
            step = time.monotonic()
            danvan(env, "migrate", "--noinput")
            danvan(env, "load_areas")
            danvan(env, "load_demo", "--background", "0.01")
            say(f"database ready in {time.monotonic() - step:.1f} s")
            keys = {
                who: danvan(env, "api_token", who, "--name", "schemathesis").strip()
                for who in (SUPERUSER, OFFICER)
            }
            spare = danvan(env, "api_token", OFFICER, "--name", "revoked by the fuzz").strip()

            port = free_port()
            log = data_dir / "server.log"
            with log.open("w") as out:
                server = subprocess.Popen(
                    [str(BIN / "danvan"), "runserver", "--noreload", f"127.0.0.1:{port}"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            schema_url = f"http://127.0.0.1:{port}/api/v1/schema/"
            wait_until_up(schema_url, server)
            say(f"app up on port {port}")

            results = run_all(schema_url, keys, spare, options.max_examples, data_dir)
            errors = server_errors(log)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if options.keep:
            say(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    say("summary")
    for result in results:
        print(
            f"  {result['label']:<28} operations {result['tested']:>3}/{result['selected']:<3} "
            f"cases {result['generated']:>5}  {result['seconds']:5.1f} s  "
            f"{'ok' if result['code'] == 0 else 'FAILED'}"
        )
    # Every operation once as the superuser (the shards, then the revocation).
    covered = sum(result["selected"] for result in results if result["label"] != "scoped officer")
    total = results[0]["total"]
    print(
        f"  operations covered: {covered} of {total}; cases generated: "
        f"{sum(result['generated'] for result in results)}; "
        f"total {time.monotonic() - started:.0f} s"
    )
    incomplete = covered != total
    if incomplete:
        print("  the shards do not cover every operation: check SHARDS")
    if errors:
        print("  the app logged these errors:")
        for line in errors:
            print(f"    {line}")
    failed = [result["label"] for result in results if result["code"] != 0]
    if failed or errors or incomplete:
        say(f"FAILED ({', '.join(failed) or 'errors in the app log'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
