import json
import re

import pytest
from sqlalchemy import event

from elearn import create_app
from elearn.config import normalise_database_url
from elearn.extensions import db
from elearn.health import routes as health
from tests.conftest import Auth, _test_config
from tests.html import csrf_token


def test_factory_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://elearn@db.internal/elearn")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ELEARN_PASSWORD_MIN_LENGTH", "12")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://elearn@db.internal/elearn"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert app.config["PASSWORD_MIN_LENGTH"] == 12


def test_defaults_are_sqlite_in_the_instance_folder_and_memory_limits(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'elearn.db'}"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_plain_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_health_answers_with_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.data) == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-folder" / "elearn.db"
    app = create_app(_test_config(f"sqlite:///{missing}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.data)["status"] == "error"


def test_health_asks_the_database_at_most_once_a_second_and_never_trusts_a_failure(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    app = create_app(_test_config(f"sqlite:///{folder / 'elearn.db'}"))
    client = app.test_client()
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    asked = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: asked.append(args[2]))

    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert asked == ["SELECT 1"]

    folder.rename(tmp_path / "gone")
    engine.dispose()
    clock[0] += 0.5
    assert client.get("/healthz").status_code == 200  # within the second confirmed a moment ago
    clock[0] += 0.5
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert json.loads(response.data) == {"status": "error", "database": "unreachable"}

    (tmp_path / "gone").rename(folder)
    assert client.get("/healthz").status_code == 200
    assert asked == ["SELECT 1"] * 2


def test_every_response_carries_the_security_headers(client):
    for path in ("/login", "/healthz", "/no-such-page", "/static/css/app.css"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/login").get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, "the page's script is loaded from a file"
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "style=" not in html and "<style" not in html


def test_unknown_page_is_a_translated_404_page(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fadmin%2Fusers"


def test_role_check_returns_a_403_page(client, auth, make_user):
    make_user(email="pembelajar@pemko.example.go.id")
    auth.login("pembelajar@pemko.example.go.id")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/courses?q=%00", "/courses/%00", "/certificates/%00.pdf", "/verify/%00",
    "/certificates/99999999999.pdf", "/certificates/%C2%B2.pdf", "/trainings/99999999999999999999/evidence",
    "/hr/people/99999999999999999999/record", "/hr/assignments/99999999999999999999",
])
def test_strange_addresses_are_a_4xx_never_a_500(app, make_user, url):
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(hr.email)
    assert 400 <= client.get(url).status_code < 500


def test_a_nul_byte_in_a_form_is_bad_input(app, make_user):
    user = make_user(email="pegawai@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(user.email)
    token = csrf_token(client.get("/me/needs"))
    response = client.post("/me/needs", data={"competency": "a\x00b", "reason": "x", "preferred_form": "e-learning",
                                             "csrf_token": token})
    assert response.status_code == 400
