"""Fixtures: a real app on a real, migrated database (SQLite by default, PostgreSQL when
ELEARN_TEST_DATABASE_URL is set), emptied after every test."""
from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.config import normalise_database_url
from elearn.extensions import db as _db
from elearn.models import Unit, User
from tests.html import csrf_token

PASSWORD = "kata-sandi-rahasia-123"
FAST_HASH = "pbkdf2:sha256:1000"


def _test_config(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "RATELIMIT_STORAGE_URI": "memory://",
        # The API holds back completions this young; tests read theirs at once.
        "API_SETTLE_SECONDS": 0,
        **overrides,
    }


@pytest.fixture(scope="session", autouse=True)
def instance_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["ELEARN_INSTANCE_PATH"] = str(path)
    yield path
    os.environ.pop("ELEARN_INSTANCE_PATH", None)


class Databases:
    """Makes throw-away databases: files for SQLite, whole databases on PostgreSQL."""

    def __init__(self, tmp_path_factory):
        self.server_url = os.environ.get("ELEARN_TEST_DATABASE_URL")
        self.tmp_path_factory = tmp_path_factory
        self.created: list[str] = []

    @property
    def dialect(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    def new(self) -> str:
        if not self.server_url:
            return f"sqlite:///{self.tmp_path_factory.mktemp('db') / 'elearn.db'}"
        name = f"elearn_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        url = make_url(normalise_database_url(self.server_url)).set(database=name)
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = create_engine(normalise_database_url(self.server_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory, instance_path):
    made = Databases(tmp_path_factory)
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def database_url(databases):
    url = databases.new()
    app = create_app(_test_config(url))
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


@pytest.fixture
def make_app(database_url):
    """Another app on the test database with other settings; its connections are closed after."""
    made = []

    def make(**overrides):
        made.append(create_app(_test_config(database_url, **overrides)))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            _db.engine.dispose()


@pytest.fixture
def app(database_url):
    app = create_app(_test_config(database_url))
    yield app
    with app.app_context():
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()


def _empty_tables() -> None:
    tables = _db.metadata.sorted_tables
    with _db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # courses and course_versions point at each other: no delete order satisfies both.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                connection.execute(table.delete())
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_unit(app):
    def make(code: str, name: str | None = None, parent: Unit | None = None) -> Unit:
        with app.app_context():
            unit = Unit(code=code, name=name or f"Unit {code}", parent_id=parent.id if parent else None)
            _db.session.add(unit)
            _db.session.commit()
            _db.session.refresh(unit)
            _db.session.expunge(unit)
            return unit

    return make


@pytest.fixture
def make_course(app):
    """Imports a course through the real loader and importer; returns its slug."""
    from elearn.courses.importer import import_course
    from elearn.courses.loader import load
    from tests.coursefiles import course_files

    def make(slug: str = "etika-pelayanan", files: dict[str, bytes] | None = None, **options) -> str:
        files = files or course_files(slug, **options)
        with app.app_context():
            import_course(load(files, slug, f"courses/{slug}"))
            _db.session.commit()
        return slug

    return make


@pytest.fixture
def make_user(app):
    """Creates an account through the same operation the app uses."""
    from elearn.accounts import operations

    counter = iter(range(1, 10_000))

    def make(roles=("learner",), password: str | None = PASSWORD, **fields) -> User:
        n = next(counter)
        fields.setdefault("name", f"Pegawai {n}")
        if "nip" not in fields and "email" not in fields:
            fields["email"] = f"pegawai{n}@pemko.example.go.id"
        with app.app_context():
            user = operations.create_user(None, roles=roles, password=password, **fields)
            _db.session.commit()
            _db.session.refresh(user)
            user.roles  # noqa: B018  (load before detaching)
            _db.session.expunge(user)
            return user

    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        return csrf_token(self.client.get(path))

    def login(self, username: str, password: str = PASSWORD, next_url: str | None = None):
        token = self.csrf_token()
        path = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(path, data={"username": username, "password": password, "csrf_token": token})

    def logout(self):
        token = self.csrf_token("/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)
