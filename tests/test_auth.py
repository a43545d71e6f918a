import uuid
from urllib.parse import quote

import pytest

from elearn.extensions import db
from elearn.models import User
from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

NIP = "198503122010011002"


def test_login_with_nip_then_logout(client, auth, make_user):
    make_user(nip=NIP, name="Budi Santoso")
    response = auth.login("19850312 201001 1 002")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Budi Santoso" in client.get("/").get_data(as_text=True)

    assert auth.logout().headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_login_with_email_is_case_insensitive(client, auth, make_user):
    make_user(email="siti@pemko.example.go.id")
    assert auth.login("Siti@Pemko.Example.go.id").status_code == 302


def test_logout_needs_post(client, auth, make_user):
    make_user(email="a@pemko.example.go.id")
    auth.login("a@pemko.example.go.id")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_account_get_the_same_answer(client, auth, make_user):
    make_user(email="ani@pemko.example.go.id")
    wrong = auth.login("ani@pemko.example.go.id", "bukan-sandinya-123")
    unknown = auth.login("tidak.ada@pemko.example.go.id", "bukan-sandinya-123")
    assert wrong.status_code == unknown.status_code == 200

    def message(response):
        html = response.get_data(as_text=True)
        start = html.index('class="flash')
        return html[start:html.index("</div>", start)]

    assert message(wrong) == message(unknown)
    assert "NIP/e-mail" in message(wrong)


def test_deactivated_account_cannot_log_in(app, auth, make_user):
    user = make_user(email="nonaktif@pemko.example.go.id")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert auth.login("nonaktif@pemko.example.go.id").status_code == 200


def test_login_without_csrf_token_is_rejected(client, make_user):
    make_user(email="b@pemko.example.go.id")
    response = client.post("/login", data={"username": "b@pemko.example.go.id", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_post_with_a_forged_csrf_token_is_rejected(client, auth, make_user):
    make_user(email="c@pemko.example.go.id")
    auth.login("c@pemko.example.go.id")
    response = client.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/account", "/account"),
        ("/admin/users?q=budi", "/admin/users?q=budi"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
        ("evil.example", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
    ],
)
def test_next_after_login_stays_on_site(auth, make_user, next_url, expected):
    make_user(email="d@pemko.example.go.id")
    response = auth.login("d@pemko.example.go.id", next_url=quote(next_url, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_is_rate_limited_per_account(app, make_user):
    make_user(email="e@pemko.example.go.id")
    statuses = []
    for attempt in range(6):
        # A new client each time, as from other browsers: the limit follows the account.
        statuses.append(Auth(app.test_client()).login("e@pemko.example.go.id", f"salah-{attempt}-xxxx").status_code)
    assert statuses == [200] * 5 + [429]
    # Even the right password is refused while the account is limited.
    assert Auth(app.test_client()).login("e@pemko.example.go.id").status_code == 429
    # Another account from the same address is not affected.
    make_user(email="f@pemko.example.go.id")
    assert Auth(app.test_client()).login("f@pemko.example.go.id").status_code == 302


def test_login_is_rate_limited_per_address(make_app, make_user):
    app = make_app(LOGIN_LIMIT_ADDRESS="3 per minute")
    auth = Auth(app.test_client())
    statuses = [auth.login(f"orang{n}@pemko.example.go.id", "salah-sekali-123").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_successful_logins_do_not_count_against_the_limit(app, make_user):
    make_user(email="g@pemko.example.go.id")
    for _ in range(8):
        client = app.test_client()
        assert Auth(client).login("g@pemko.example.go.id").status_code == 302


def test_change_own_password(client, auth, make_user):
    make_user(email="h@pemko.example.go.id")
    auth.login("h@pemko.example.go.id")
    token = csrf_token(client.get("/account/password"))
    new = "sandi-baru-yang-panjang"
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": new, "confirm": new, "csrf_token": token},
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("h@pemko.example.go.id", PASSWORD).status_code == 200
    assert auth.login("h@pemko.example.go.id", new).status_code == 302


@pytest.mark.parametrize(
    "current, new, confirm, field_message",
    [
        ("salah-sandi-lama-1", "sandi-baru-yang-panjang", "sandi-baru-yang-panjang", "current password is not correct"),
        (PASSWORD, "pendek", "pendek", "at least 10 characters"),
        (PASSWORD, "sandi-baru-yang-panjang", "sandi-lain-yang-panjang", "not the same"),
        (PASSWORD, PASSWORD, PASSWORD, "must differ"),
        (PASSWORD, "I@pemko.example.go.id", "I@pemko.example.go.id", "must not be made of your NIP, name"),
    ],
)
def test_bad_new_password_is_refused_and_changes_nothing(client, auth, make_user, current, new, confirm,
                                                         field_message):
    make_user(email="i@pemko.example.go.id")
    auth.login("i@pemko.example.go.id")
    token = csrf_token(client.get("/account/password?lang=en"))
    response = client.post(
        "/account/password",
        data={"current": current, "new": new, "confirm": confirm, "csrf_token": token},
    )
    assert response.status_code == 200
    assert field_message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("i@pemko.example.go.id", PASSWORD).status_code == 302


def test_one_time_password_must_be_replaced_first(app, client, auth, make_user):
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    learner = make_user(nip=NIP)
    auth.login(hr.email)
    page = client.post(
        f"/admin/users/{learner.id}/reset-password", data={"csrf_token": csrf_token(client.get("/"))}
    )
    html = page.get_data(as_text=True)
    one_time = html.split('<p class="secret"><code>')[1].split("</code>")[0]
    assert page.headers["Cache-Control"] == "no-store"
    auth.logout()

    # The old password no longer works; the one-time password opens only the change page.
    assert auth.login(NIP, PASSWORD).status_code == 200
    assert auth.login(NIP, one_time).status_code == 302
    assert client.get("/").headers["Location"] == "/account/password"
    assert client.get("/admin/users").headers["Location"] == "/account/password"
    token = csrf_token(client.get("/account/password"))
    client.post(
        "/account/password",
        data={"current": one_time, "new": "sandi-pilihan-sendiri", "confirm": "sandi-pilihan-sendiri",
              "csrf_token": token},
    )
    assert client.get("/").status_code == 200


def test_password_reset_ends_existing_sessions(app, make_user):
    hr = make_user(roles=("hr",), email="hr2@pemko.example.go.id")
    learner = make_user(email="j@pemko.example.go.id")
    learner_client = app.test_client()
    Auth(learner_client).login(learner.email)
    assert learner_client.get("/").status_code == 200

    hr_client = app.test_client()
    Auth(hr_client).login(hr.email)
    hr_client.post(f"/admin/users/{learner.id}/reset-password",
                   data={"csrf_token": csrf_token(hr_client.get("/"))})
    assert learner_client.get("/").status_code == 302


def test_session_cookie_flags(client, auth, make_user):
    make_user(email="k@pemko.example.go.id")
    response = auth.login("k@pemko.example.go.id")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(make_app, monkeypatch):
    monkeypatch.setenv("ELEARN_HTTPS", "true")
    response = make_app().test_client().get("/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_rate_limit_is_shared_between_processes_through_redis(make_app, make_user):
    """Two app instances stand for two gunicorn workers: with Redis they count together."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"elearn-test-{uuid.uuid4().hex}"
    make_user(email="redis@pemko.example.go.id")
    workers = [make_app(RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
    try:
        statuses = [
            Auth(workers[n % 2].test_client()).login("redis@pemko.example.go.id", "salah-sekali-123").status_code
            for n in range(6)
        ]
        assert statuses == [200] * 5 + [429]
        assert any(prefix in key.decode() for key in server.scan_iter(f"*{prefix}*"))
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
