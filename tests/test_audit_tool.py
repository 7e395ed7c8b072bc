"""``make audit`` reads pip-audit's report: a vulnerability always fails; an unreachable
service is said plainly, never reported as "no vulnerabilities"."""

from tools.audit import read_report, verdict

VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}],
        },
        {"name": "babel", "version": "2.19.0", "vulns": []},
    ]
}
UNREACHABLE = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "babel", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]
}
PARTLY = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "private-pkg", "skip_reason": "Dependency not found on PyPI"},
    ]
}


def test_a_vulnerability_fails_even_when_not_strict():
    code, lines = verdict(read_report(VULNERABLE), strict=False)
    assert code == 1
    assert lines[0] == "django 5.2.0: PYSEC-1 (fixed in 5.2.1)"


def test_an_unreachable_service_is_said_and_fails_only_when_strict():
    code, lines = verdict(read_report(UNREACHABLE), strict=False)
    assert code == 0
    assert "could not check any of the 2 packages" in lines[-1]
    assert "No known vulnerabilities" not in "\n".join(lines)
    assert verdict(read_report(UNREACHABLE), strict=True)[0] == 1


def test_unchecked_packages_are_listed_beside_the_clean_ones():
    code, lines = verdict(read_report(PARTLY), strict=False)
    assert code == 0
    assert lines == [
        "Not checked (1): private-pkg",
        "No known vulnerabilities in 1 checked package(s).",
    ]
    assert verdict(read_report(PARTLY), strict=True)[0] == 1
