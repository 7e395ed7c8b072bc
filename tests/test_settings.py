"""Configuration from the environment: typed readers, and a production mode that refuses
to start insecure."""

import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from danvan.env import envbool, envint, envlist, envstr, secret_key_weakness

ROOT = Path(__file__).resolve().parents[1]

SETTINGS_VARIABLES = (
    "DANVAN_ENV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DANVAN_TEST_POSTGRES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "EVIDENCE_MAX_BYTES",
    "CACHE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_UNPACKED_BYTES",
    "IMPORT_MAX_ROWS",
    "SECURITY_TRUSTED_PROXIES",
    "CSP_REPORT_ONLY",
    "DANVAN_STATS_UPKEEP",
    # Set for the browser tests' thread (tests/browser/conftest.py); a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


class TestEnvReaders:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [
            ("1", True),
            ("true", True),
            (" TRUE ", True),
            ("yes", True),
            ("on", True),
            ("0", False),
            ("false", False),
            ("No", False),
            ("off", False),
            ("", False),
        ],
    )
    def test_envbool(self, monkeypatch, raw, value):
        monkeypatch.setenv("DANVAN_FLAG", raw)
        assert envbool("DANVAN_FLAG", not value) is value

    def test_envbool_default_when_unset(self, monkeypatch):
        monkeypatch.delenv("DANVAN_FLAG", raising=False)
        assert envbool("DANVAN_FLAG", True) is True
        assert envbool("DANVAN_FLAG", False) is False

    @pytest.mark.parametrize("raw", ["maybe", "2", "truee", "y e s"])
    def test_envbool_refuses_anything_else(self, monkeypatch, raw):
        monkeypatch.setenv("DANVAN_FLAG", raw)
        with pytest.raises(ImproperlyConfigured, match="DANVAN_FLAG must be a boolean"):
            envbool("DANVAN_FLAG", False)

    def test_envint(self, monkeypatch):
        monkeypatch.setenv("DANVAN_NUMBER", " 42 ")
        assert envint("DANVAN_NUMBER", 7) == 42
        monkeypatch.setenv("DANVAN_NUMBER", "")
        assert envint("DANVAN_NUMBER", 7) == 7
        monkeypatch.delenv("DANVAN_NUMBER")
        assert envint("DANVAN_NUMBER", 7) == 7

    @pytest.mark.parametrize("raw", ["20MB", "1.5", "abc", "1e6", "0x10"])
    def test_envint_refuses_non_integers(self, monkeypatch, raw):
        monkeypatch.setenv("DANVAN_NUMBER", raw)
        with pytest.raises(ImproperlyConfigured, match="DANVAN_NUMBER must be an integer"):
            envint("DANVAN_NUMBER", 7)

    def test_envlist(self, monkeypatch):
        monkeypatch.setenv("DANVAN_HOSTS", " danvan.quangninh.gov.vn, ,danvan.hatinh.gov.vn,")
        assert envlist("DANVAN_HOSTS", ["x"]) == ["danvan.quangninh.gov.vn", "danvan.hatinh.gov.vn"]
        monkeypatch.setenv("DANVAN_HOSTS", "")
        assert envlist("DANVAN_HOSTS", ["x"]) == []
        monkeypatch.delenv("DANVAN_HOSTS")
        default = ["localhost"]
        assert envlist("DANVAN_HOSTS", default) == default
        assert envlist("DANVAN_HOSTS", default) is not default

    def test_envstr(self, monkeypatch):
        monkeypatch.delenv("DANVAN_TEXT", raising=False)
        assert envstr("DANVAN_TEXT", "mặc định") == "mặc định"
        monkeypatch.setenv("DANVAN_TEXT", "Dân vận khéo")
        assert envstr("DANVAN_TEXT", "") == "Dân vận khéo"


def run_django(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m danvan <args>`` in a clean environment plus ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="danvan.settings", DANVAN_DATA_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-m", "danvan", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def strong_key() -> str:
    return secrets.token_urlsafe(64)


class TestProductionRefusesToStartInsecure:
    def test_debug_on(self, tmp_path):
        process = run_django(
            tmp_path, "check", DANVAN_ENV="production", SECRET_KEY=strong_key(), DEBUG="true"
        )
        assert process.returncode != 0
        assert "ImproperlyConfigured: DEBUG must be off when DANVAN_ENV=production" in (
            process.stderr
        )

    def test_the_demo_secret_key(self, tmp_path):
        process = run_django(tmp_path, "check", DANVAN_ENV="production", DEBUG="false")
        assert process.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY must be set" in process.stderr

    def test_a_short_secret_key(self, tmp_path):
        process = run_django(tmp_path, "check", DANVAN_ENV="production", SECRET_KEY="x" * 49)
        assert process.returncode != 0
        assert "SECRET_KEY must be set to a random value of at least 50 characters" in (
            process.stderr
        )

    def test_the_example_secret_key_of_the_deploy_files(self, tmp_path):
        """Copying deploy/danvan.env.example as it is must not give a running site."""
        example = env_example() | {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
        example.pop("DANVAN_DATA_DIR")
        process = run_django(tmp_path, "check", **example)
        assert process.returncode != 0
        assert "SECRET_KEY must be set to a random value" in process.stderr
        assert "looks like a placeholder" in process.stderr

    def test_a_long_run_of_one_letter(self, tmp_path):
        process = run_django(
            tmp_path, "check", DANVAN_ENV="production", SECRET_KEY="k" * 30 + strong_key()
        )
        assert process.returncode != 0
        assert "repeats one character 8 times in a row" in process.stderr

    def test_an_unknown_environment(self, tmp_path):
        process = run_django(tmp_path, "check", DANVAN_ENV="prod")
        assert process.returncode != 0
        assert "DANVAN_ENV must be development, production or test, got 'prod'" in process.stderr

    def test_a_malformed_boolean(self, tmp_path):
        process = run_django(tmp_path, "check", DEBUG="maybe")
        assert process.returncode != 0
        assert "DEBUG must be a boolean (true/false), got 'maybe'" in process.stderr

    def test_an_unknown_upkeep(self, tmp_path):
        process = run_django(tmp_path, "check", DANVAN_STATS_UPKEEP="later")
        assert process.returncode != 0
        assert "DANVAN_STATS_UPKEEP must be inline or deferred, got 'later'" in process.stderr

    def test_a_deferred_upkeep_on_sqlite(self, tmp_path):
        process = run_django(tmp_path, "check", DANVAN_STATS_UPKEEP="deferred")
        assert process.returncode != 0
        assert "DANVAN_STATS_UPKEEP=deferred needs PostgreSQL" in process.stderr

    def test_a_malformed_integer(self, tmp_path):
        process = run_django(tmp_path, "check", EVIDENCE_MAX_BYTES="20MB")
        assert process.returncode != 0
        assert "EVIDENCE_MAX_BYTES must be an integer, got '20MB'" in process.stderr

    def test_refuses_when_imported_directly(self, tmp_path):
        environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
        environment.update(
            DJANGO_SETTINGS_MODULE="danvan.settings",
            DANVAN_DATA_DIR=str(tmp_path),
            DANVAN_ENV="production",
            SECRET_KEY=strong_key(),
            DEBUG="1",
        )
        process = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode != 0
        assert "DEBUG must be off when DANVAN_ENV=production" in process.stderr


def test_a_proper_production_configuration_passes_the_deploy_check(tmp_path):
    process = run_django(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DANVAN_ENV="production",
        SECRET_KEY=strong_key(),
        DEBUG="false",
        ALLOWED_HOSTS="danvan.quangninh.gov.vn",
    )
    assert process.returncode == 0, process.stderr
    assert "System check identified no issues" in process.stdout
    assert "WARNING" not in process.stderr


def test_production_defaults_are_strict(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)"
    )
    process = run_django(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        DANVAN_ENV="production",
        SECRET_KEY=strong_key(),
        ALLOWED_HOSTS="danvan.hatinh.gov.vn",
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "False True True True True ['danvan.hatinh.gov.vn']"


def test_production_needs_allowed_hosts(tmp_path):
    process = run_django(tmp_path, "check", DANVAN_ENV="production", SECRET_KEY=strong_key())
    assert process.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host(s) in production" in process.stderr


def test_development_defaults_run_the_demo(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY == s.DEMO_SECRET_KEY)"
    )
    process = run_django(tmp_path, "shell", "--no-imports", "-c", code)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "True True"


class TestSharedCache:
    """The sign-in limit and an apply's progress are written by one process and read by another:
    the cache must be shared by every process of a server."""

    WRITE = "from django.core.cache import cache; cache.set('danvan:probe', 'from another process')"
    READ = "from django.core.cache import cache; print(cache.get('danvan:probe'))"

    def test_by_default_files_under_the_data_directory(self, tmp_path):
        assert run_django(tmp_path, "shell", "--no-imports", "-c", self.WRITE).returncode == 0
        process = run_django(tmp_path, "shell", "--no-imports", "-c", self.READ)
        assert process.stdout.strip() == "from another process", process.stderr
        assert (tmp_path / "cache").is_dir()

    def test_redis_when_cache_url_names_it(self, tmp_path):
        import socket

        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        except OSError:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip("no Redis on 127.0.0.1:6379")
        url = "redis://127.0.0.1:6379/15"
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        write = run_django(tmp_path / "a", "shell", "--no-imports", "-c", self.WRITE, CACHE_URL=url)
        assert write.returncode == 0, write.stderr
        process = run_django(
            tmp_path / "b", "shell", "--no-imports", "-c", self.READ, CACHE_URL=url
        )
        assert process.stdout.strip() == "from another process", process.stderr

    def test_an_unknown_scheme_is_refused(self, tmp_path):
        process = run_django(tmp_path, "check", CACHE_URL="memcached://127.0.0.1:11211")
        assert process.returncode != 0
        assert "CACHE_URL must start with redis://" in process.stderr


def env_example() -> dict[str, str]:
    """The variables of deploy/danvan.env.example, as a deployment copying it would have them."""
    text = (ROOT / "deploy" / "danvan.env.example").read_text()
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.M))


# A key as ``secrets.token_urlsafe(64)`` makes one, fixed so that every test worker collects
# the same test ids.
A_STRONG_KEY = (
    "HqJ8zWj3yCinCAPqVC5X82dGFSnvPk3B83pNzeVnwr1IgrbzKy9rC-MfDGgx0ZZcEZP0glJrU0G6dgYqEYhUWQ"
)


class TestSecretKeyWeakness:
    def test_random_keys_pass(self):
        # Drawn in the test, not as parameters: test workers must collect the same tests.
        for key in [strong_key() for _ in range(20)]:
            assert secret_key_weakness(key) is None, key

    def test_hex_keys_pass(self):
        """``openssl rand -hex 32`` has only 16 letters to choose from."""
        for key in [secrets.token_hex(32) for _ in range(20)]:
            assert secret_key_weakness(key) is None, key

    @pytest.mark.parametrize(
        ("key", "reason"),
        [
            ("", "shorter than 50"),
            (A_STRONG_KEY[:49], "shorter than 50"),
            ("danvan-demo-secret-key-do-not-use-in-production", "shorter than 50"),
            ("danvan-demo-secret-key-do-not-use-in-production" + "x1y2z3", "'secret'"),
            ("django-insecure-" + A_STRONG_KEY, "startproject"),
            (env_example()["SECRET_KEY"], "'change'"),
            ("CHANGEME" + A_STRONG_KEY, "'change'"),
            ("your-example-key-" + A_STRONG_KEY, "'example'"),
            ("ab" * 40, "fewer than 10 different characters"),
            (A_STRONG_KEY[:40] + "q" * 8 + A_STRONG_KEY[:10], "repeats one character"),
        ],
    )
    def test_weak_keys_are_named(self, key, reason):
        weakness = secret_key_weakness(key)
        assert weakness is not None and reason in weakness


def test_settings_read_from_the_environment(tmp_path):
    """The import caps and the trusted proxies are set by variables, as docs/imports.md and
    docs/configuration.md say."""
    code = (
        "from django.conf import settings as s; "
        "print(s.IMPORT_MAX_BYTES, s.IMPORT_MAX_UNPACKED_BYTES, s.IMPORT_MAX_ROWS, "
        "s.SECURITY_TRUSTED_PROXIES)"
    )
    process = run_django(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        IMPORT_MAX_BYTES="1048576",
        IMPORT_MAX_UNPACKED_BYTES="2097152",
        IMPORT_MAX_ROWS="500",
        SECURITY_TRUSTED_PROXIES="10.0.0.5, 10.0.0.6",
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "1048576 2097152 500 ['10.0.0.5', '10.0.0.6']"
    refused = run_django(tmp_path, "check", IMPORT_MAX_ROWS="lots")
    assert "IMPORT_MAX_ROWS must be an integer, got 'lots'" in refused.stderr


def test_only_settings_read_the_environment():
    """Every setting comes from the environment in settings.py (through danvan.env); the rest
    of the code reads ``django.conf.settings``, never a variable or a default of its own."""
    package = ROOT / "src" / "danvan"
    allowed = {package / "settings.py", package / "env.py"}
    # Entry points name the settings module; the backup passes the environment on to pg_dump.
    allowed |= {package / "wsgi.py", package / "asgi.py", package / "__main__.py"}
    allowed |= {package / "ops" / "backup.py"}
    readers = re.compile(r"os\.environ|getenv|getattr\(settings,")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in package.rglob("*.py")
        if path not in allowed and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if readers.search(line)
    ]
    assert found == []


def test_the_wheel_ships_the_compiled_catalogues():
    """LOCALE_PATHS lies inside the package and package-data names every .mo file, so an
    installed wheel (not only an editable install) speaks Vietnamese and Arabic."""
    package = ROOT / "src" / "danvan"
    locale = Path(settings.LOCALE_PATHS[0]).resolve()
    assert locale.is_relative_to(package.resolve())
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["danvan"]
    shipped = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    catalogues = sorted(locale.glob("*/LC_MESSAGES/django.mo"))
    assert {path.parent.parent.name for path in catalogues} >= {"vi", "en", "ar"}
    assert set(catalogues) <= {path.resolve() for path in shipped}


def test_the_content_security_policy_can_be_report_only(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY is None, "
        "s.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['script-src'])"
    )
    process = run_django(tmp_path, "shell", "--no-imports", "-c", code, CSP_REPORT_ONLY="1")
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "True [\"'self'\"]"
    # And django-csp's own checks accept the settings (no setting of its old format).
    assert run_django(tmp_path, "check", CSP_REPORT_ONLY="1").returncode == 0
