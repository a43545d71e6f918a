"""Secrets: nothing in the repository looks like a real secret, and passwords and API tokens made
through the app are kept only as hashes."""
import hashlib
import pathlib
import re
import subprocess

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import ApiToken, User
from tests.conftest import PASSWORD
from tests.security.conftest import signed_in, snapshot, token_of

ROOT = pathlib.Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "secret key literal": re.compile(r"""SECRET_KEY["']?\s*[:=]\s*["']([^"'\s]{6,})["']"""),
    "API token": re.compile(r"\belearn_[A-Za-z0-9_-]{40,}"),
    "AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@'\"]+:([^@\s'\"{}$]{4,})@"),
}
# Literal values that are test fixtures, not secrets.
ALLOWED = {"test-secret", "from-the-environment", "load-test-", "dev", "change-me"}


def _tracked_files() -> list[pathlib.Path]:
    try:
        names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in names.decode().split("\0") if name]


def test_no_tracked_file_holds_a_secret():
    findings = []
    files = _tracked_files()
    assert files, "git lists no files"
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for name, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                value = match.group(1) if match.groups() else match.group(0)
                if value in ALLOWED or (value or "").startswith(("test", "load-test")):
                    continue
                if name == "secret key literal" and path.is_relative_to(ROOT / "tests"):
                    continue  # test configurations set their own throw-away keys
                if name == "password in a URL" and (value in ("password", "pass", "secret", "pwd")
                                                     or path.is_relative_to(ROOT / "tests")):
                    continue  # documentation placeholders, and made-up servers in tests
                findings.append(f"{path.relative_to(ROOT)}: {name}: {match.group(0)[:40]}")
    assert findings == []


def test_the_scanner_finds_what_it_looks_for():
    # Assembled at run time, so that this file's own text holds none of them.
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "secret key literal": 'SECRET_KEY = "s3cr3t-v4lue-123"',
        "API token": "elearn_" + "A" * 43,
        "password in a URL": "postgresql://app:" + "Hunter2pass@db/elearn",
    }
    for name, text in samples.items():
        assert PATTERNS[name].search(text), name


def _everything_stored(app) -> str:
    return "\n".join(row for rows in snapshot(app).values() for row in rows)


def test_passwords_are_stored_hashed(app, world):
    stored = _everything_stored(app)
    assert PASSWORD not in stored
    # A password set by its owner, and a one-time password made by HR.
    client = signed_in(app, world["other"])
    new_password = "Sandi-Baru-yang-Panjang-987"
    response = client.post("/account/password", data={"current": PASSWORD, "new": new_password,
                                                       "confirm": new_password, "csrf_token": token_of(client)})
    assert response.status_code == 302
    hr = signed_in(app, world["hr"])
    page = hr.post(f"/admin/users/{world['user_id']}/reset-password", data={"csrf_token": token_of(hr)})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        hashes = db.session.scalars(select(User.password_hash)).all()
    assert all(h is None or h.startswith(("pbkdf2:", "scrypt:", "$argon2")) for h in hashes), hashes
    stored = _everything_stored(app)
    assert new_password not in stored and PASSWORD not in stored
    one_time = re.findall(r"<code[^>]*>([^<]{6,})</code>", page.get_data(as_text=True))
    assert one_time, "the one-time password is shown once"
    assert all(word not in stored for word in one_time)


def test_api_tokens_are_stored_hashed(app, world):
    client = signed_in(app, world["admin"])
    page = client.post("/admin/api-tokens", data={"name": "SIMPEG Baru", "csrf_token": token_of(client)})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secrets = re.findall(r"elearn_[A-Za-z0-9_-]{30,}", page.get_data(as_text=True))
    assert secrets, "the token is shown once"
    secret = secrets[0]
    assert secret not in _everything_stored(app)
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "SIMPEG Baru"))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert len(token.prefix) <= 12 and secret.startswith(token.prefix)
    # The page with the list never shows it again.
    assert secret not in client.get("/admin/api-tokens").get_data(as_text=True)
