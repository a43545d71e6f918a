"""Known vulnerabilities of the locked dependencies, from PyPI's per-project data.

pip-audit asks PyPI per release (or OSV), which this network cannot reach; PyPI's per-project
JSON can be reached, and lists the known vulnerabilities of each project's newest release. So a
pin at the newest release is checked completely; an older pin is accepted only with a written
reason below, and anything else fails: an unchecked package is never reported as clean.

Run: .venv/bin/python scripts/audit_pypi.py requirements.lock   (exit 0 clean, 1 otherwise)
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# Pins kept below the newest release on purpose, with the reason (docs/security.md).
ACCEPTED_OLDER = {
    "redis": "limits[redis] requires redis < 8; the known redis-py advisories were fixed in 4.5.4",
    "deprecated": "3.x needs Python 3.12; elearn supports 3.11",
}


def pins(path: str) -> list[tuple[str, str]]:
    found = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found.append((name.strip(), version.strip()))
    return found


def project(name: str) -> dict:
    for _ in range(3):
        try:
            with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
                return json.load(response)
        except OSError as error:
            last = error
    raise RuntimeError(f"{name}: PyPI could not be asked ({last})")


def check(pin: tuple[str, str]) -> list[str]:
    name, version = pin
    try:
        data = project(name)
    except RuntimeError as error:
        return [str(error)]
    latest = data["info"]["version"]
    if version != latest:
        if name.lower() in ACCEPTED_OLDER:
            return []
        return [f"{name}=={version}: older than the newest release {latest}, so not checked; "
                "upgrade it (make lock) or record why in scripts/audit_pypi.py"]
    return [f"{name}=={version}: {v.get('id')} {', '.join(v.get('aliases') or [])} fixed in {v.get('fixed_in')}"
            for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]


def main(path: str) -> int:
    locked = pins(path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        problems = [problem for found in pool.map(check, locked) for problem in found]
    for problem in problems:
        print(problem)
    print(f"{len(locked)} locked packages, {len(problems)} problems")
    return 1 if problems or not locked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
