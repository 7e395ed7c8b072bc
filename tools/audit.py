"""``make audit``: known vulnerabilities of every pinned dependency (constraints.txt).

pip-audit asks a vulnerability service (PyPI's JSON API by default) about each package. A
found vulnerability always fails. A package the service cannot answer for is listed; when it
can answer for none of them (a machine that reaches only a package mirror, as in CI here), the
audit says so plainly and passes, unless ``DANVAN_AUDIT_STRICT=1`` asks it to fail then too.

    python -m tools.audit [--requirements constraints.txt]
"""

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field


@dataclass
class Findings:
    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    audited: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def read_report(report: dict) -> Findings:
    """Sort pip-audit's JSON report into vulnerable, audited and unchecked packages."""
    findings = Findings()
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            findings.unchecked.append(name)
        elif dependency.get("vulns"):
            findings.vulnerable[name] = [
                f"{vuln['id']} (fixed in {', '.join(vuln.get('fix_versions') or ['nothing yet'])})"
                for vuln in dependency["vulns"]
            ]
        else:
            findings.audited.append(name)
    return findings


def verdict(findings: Findings, *, strict: bool) -> tuple[int, list[str]]:
    """Return the exit code and the lines to print."""
    lines = [f"{name}: {', '.join(ids)}" for name, ids in sorted(findings.vulnerable.items())]
    if findings.vulnerable:
        lines.append(f"{len(findings.vulnerable)} vulnerable package(s): upgrade them.")
        return 1, lines
    total = len(findings.audited) + len(findings.unchecked)
    if findings.unchecked and not findings.audited:
        lines.append(
            f"pip-audit could not check any of the {total} packages: the vulnerability service "
            "is not reachable from this machine. Nothing was found because nothing was checked."
        )
        return (1 if strict else 0), lines
    if findings.unchecked:
        lines.append(f"Not checked ({len(findings.unchecked)}): {', '.join(findings.unchecked)}")
    lines.append(f"No known vulnerabilities in {len(findings.audited)} checked package(s).")
    return (1 if strict and findings.unchecked else 0), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", default="constraints.txt")
    args = parser.parse_args(argv)
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            args.requirements,
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(process.stdout)
    except json.JSONDecodeError:
        print(process.stderr, file=sys.stderr)
        print("pip-audit did not produce a report.", file=sys.stderr)
        return 1
    code, lines = verdict(read_report(report), strict=os.environ.get("DANVAN_AUDIT_STRICT") == "1")
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
