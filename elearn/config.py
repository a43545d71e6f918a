"""Settings from the environment, each with a default that is safe for a single machine.

Every setting here has a line in the README's configuration table.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from exc


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise RuntimeError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def normalise_database_url(url: str) -> str:
    """Let operators write plain ``postgresql://`` URLs and still get psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def secret_key(instance_path: str) -> str:
    """The key from the environment, or one generated once into the instance folder.

    Several workers may start at once: the file is created exclusively, so all of them
    end up reading the same key.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        key = secrets.token_hex(32)
        f.write(key)
    return key


def from_environment(instance_path: str) -> dict:
    sqlite_path = Path(instance_path) / "elearn.db"
    redis_url = os.environ.get("REDIS_URL", "").strip()
    https = _bool("ELEARN_HTTPS", False)
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{sqlite_path}"
        ),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool("ELEARN_RATELIMIT", True),
        "LOGIN_LIMIT_ACCOUNT": os.environ.get("ELEARN_LOGIN_LIMIT_ACCOUNT", "5 per minute; 20 per hour"),
        "LOGIN_LIMIT_ADDRESS": os.environ.get("ELEARN_LOGIN_LIMIT_ADDRESS", "60 per minute"),
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "PROXY_HOPS": _int("ELEARN_PROXY_HOPS", 0),
        "PASSWORD_MIN_LENGTH": _int("ELEARN_PASSWORD_MIN_LENGTH", 10),
        "ONE_TIME_PASSWORD_HOURS": _int("ELEARN_ONE_TIME_PASSWORD_HOURS", 72),
        "SESSION_HOURS": _int("ELEARN_SESSION_HOURS", 12),
        "SESSION_IDLE_MINUTES": _int("ELEARN_SESSION_IDLE_MINUTES", 60),
        "MINUTES_PER_JP": _int("ELEARN_MINUTES_PER_JP", 45),
        "JP_TARGET": _int("ELEARN_JP_TARGET", 20),
        "API_SETTLE_SECONDS": _int("ELEARN_API_SETTLE_SECONDS", 120),
        "MAX_CONTENT_LENGTH": _int("ELEARN_MAX_UPLOAD_MB", 5) * 1024 * 1024,
        # A folder whose templates win over the shipped ones (e.g. notifications/assignment.new.txt).
        "TEMPLATES_FOLDER": os.environ.get("ELEARN_TEMPLATES", "").strip(),
        **_institution(),
        **_integrations(),
    }


def _institution() -> dict:
    """Who issues the certificates, and how their numbers read."""
    return {
        "CERTIFICATE_NUMBER_PATTERN": os.environ.get("ELEARN_CERTIFICATE_NUMBER_PATTERN", "{seq:04d}/{code}/{year}"),
        "CERTIFICATE_CODE": os.environ.get("ELEARN_CERTIFICATE_CODE", "ELEARN"),
        "INSTITUTION": os.environ.get(
            "ELEARN_INSTITUTION", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
        ),
        "CITY": os.environ.get("ELEARN_CITY", "Kota Pematangsiantar"),
        "SIGNATORY_NAME": os.environ.get("ELEARN_SIGNATORY_NAME", ""),
        "SIGNATORY_TITLE": os.environ.get("ELEARN_SIGNATORY_TITLE", "Kepala BKPSDM"),
        "SIGNATORY_NIP": os.environ.get("ELEARN_SIGNATORY_NIP", ""),
        "ADMIN_EMAIL": os.environ.get("ELEARN_ADMIN_EMAIL", "admin@elearn.local"),
    }


def _integrations() -> dict:
    """The systems elearn talks to: its own address, a learning record store, a mail server."""
    return {
        # Where the site is reached: xAPI names people and courses by addresses under it.
        "BASE_URL": os.environ.get("ELEARN_BASE_URL", "http://127.0.0.1:5000").strip().rstrip("/"),
        "XAPI_LRS_URL": os.environ.get("ELEARN_XAPI_LRS_URL", "").strip(),
        "XAPI_LRS_USERNAME": os.environ.get("ELEARN_XAPI_LRS_USERNAME", ""),
        "XAPI_LRS_PASSWORD": os.environ.get("ELEARN_XAPI_LRS_PASSWORD", ""),
        "XAPI_TIMEOUT": _int("ELEARN_XAPI_TIMEOUT", 10),
        "SMTP_HOST": os.environ.get("ELEARN_SMTP_HOST", "").strip(),
        "SMTP_PORT": _int("ELEARN_SMTP_PORT", 587),
        "SMTP_SECURITY": _choice("ELEARN_SMTP_SECURITY", ("starttls", "ssl", "none"), "starttls"),
        "SMTP_USERNAME": os.environ.get("ELEARN_SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("ELEARN_SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT": _int("ELEARN_SMTP_TIMEOUT", 10),
        "MAIL_FROM": os.environ.get("ELEARN_MAIL_FROM", "elearn <noreply@elearn.local>"),
        "MAIL_MAX_ATTEMPTS": _int("ELEARN_MAIL_MAX_ATTEMPTS", 8),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "PASSWORD_HASH_METHOD": "scrypt",
    "USERS_PER_PAGE": 50,
}
