"""Log-in sessions end on the server: at log-out, at a password change, at deactivation, when
idle too long and at the end of their lifetime; a copied cookie opens nothing afterwards."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from elearn.extensions import db
from elearn.models import LoginSession
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

ENDED = "Your session has ended"


def signed_in(app, login_name: str):
    client = app.test_client()
    assert Auth(client).login(login_name).status_code == 302
    return client


def copy_of(app, client):
    """A second browser holding the very same session cookie, as a thief would."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def ended(client, path: str = "/me/record") -> bool:
    response = client.get(path + "?lang=en")
    if response.status_code != 302 or not response.headers["Location"].startswith("/login"):
        return False
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return ENDED in page


def sessions_of(app, user) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(LoginSession.user_id == user.id))


def test_a_cookie_copied_before_logout_is_refused_afterwards(app, make_user):
    user = make_user(email="a@pemko.example.go.id")
    browser = signed_in(app, user.email)
    thieves = [copy_of(app, browser), copy_of(app, browser)]
    assert [thief.get(path).status_code for thief, path in zip(thieves, ("/", "/me/record"))] == [200, 200]
    Auth(browser).logout()
    assert ended(thieves[0], "/")
    assert ended(thieves[1], "/me/record")
    assert sessions_of(app, user) == 0


def test_logging_out_ends_only_that_browser(app, make_user):
    user = make_user(email="b@pemko.example.go.id")
    phone, desktop = signed_in(app, user.email), signed_in(app, user.email)
    Auth(phone).logout()
    assert desktop.get("/").status_code == 200
    assert sessions_of(app, user) == 1


def test_a_password_change_ends_every_other_session_and_renews_its_own(app, make_user):
    user = make_user(email="c@pemko.example.go.id")
    browser, other = signed_in(app, user.email), signed_in(app, user.email)
    before = copy_of(app, browser)
    new = "Kopi Siantar pagi hari"
    response = browser.post("/account/password", data={
        "current": PASSWORD, "new": new, "confirm": new, "csrf_token": csrf_token(browser.get("/account/password"))})
    assert response.status_code == 302
    assert browser.get("/me/record").status_code == 200
    assert ended(other)
    assert ended(before)
    assert sessions_of(app, user) == 1


def test_deactivation_and_a_password_reset_end_every_session(app, make_user):
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    people = [make_user(email="d@pemko.example.go.id"), make_user(email="e@pemko.example.go.id")]
    browsers = [signed_in(app, person.email) for person in people]
    staff = signed_in(app, hr.email)
    token = csrf_token(staff.get("/"))
    staff.post(f"/admin/users/{people[0].id}/deactivate", data={"csrf_token": token})
    staff.post(f"/admin/users/{people[1].id}/reset-password", data={"csrf_token": token})
    assert all(ended(browser) for browser in browsers)
    assert [sessions_of(app, person) for person in people] == [0, 0]


def set_session_times(app, user, **ago: timedelta) -> None:
    with app.app_context():
        now = utcnow()
        db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                           .values({name: now - delta for name, delta in ago.items()}))
        db.session.commit()


@pytest.mark.parametrize("ago, open_", [
    ({"seen_at": timedelta(minutes=59)}, True),
    ({"seen_at": timedelta(minutes=61)}, False),
    ({"started_at": timedelta(hours=11, minutes=59)}, True),
    ({"started_at": timedelta(hours=12, minutes=1)}, False),
])
def test_a_session_ends_after_an_idle_hour_or_twelve_hours_in_all(app, make_user, ago, open_):
    user = make_user(email="f@pemko.example.go.id")
    browser = signed_in(app, user.email)
    set_session_times(app, user, **ago)
    if open_:
        assert browser.get("/me/record").status_code == 200
    else:
        assert ended(browser)


def test_the_limits_are_settings(make_app, make_user):
    app = make_app(SESSION_IDLE_MINUTES=5, SESSION_HOURS=1)
    user = make_user(email="g@pemko.example.go.id")
    browser = signed_in(app, user.email)
    set_session_times(app, user, seen_at=timedelta(minutes=6))
    assert ended(browser)


def test_each_request_keeps_the_session_alive(app, make_user):
    user = make_user(email="h@pemko.example.go.id")
    browser = signed_in(app, user.email)
    set_session_times(app, user, seen_at=timedelta(minutes=50))
    assert browser.get("/").status_code == 200
    with app.app_context():
        seen = db.session.scalar(select(LoginSession.seen_at).where(LoginSession.user_id == user.id))
    assert utcnow() - seen < timedelta(minutes=1)
    set_session_times(app, user, seen_at=timedelta(minutes=50), started_at=timedelta(hours=1))
    assert browser.get("/").status_code == 200


def test_the_cookie_holds_no_secret_the_database_could_give_away(app, make_user):
    user = make_user(email="i@pemko.example.go.id")
    browser = signed_in(app, user.email)
    with app.app_context():
        stored = db.session.scalar(select(LoginSession.secret_hash).where(LoginSession.user_id == user.id))
    with browser.session_transaction() as session:
        user_id, _, secret = session["_user_id"].partition(".")
    assert user_id == str(user.id) and secret and secret not in stored and len(stored) == 64


def test_a_forged_session_id_opens_nothing(app, make_user):
    user = make_user(email="j@pemko.example.go.id")
    browser = signed_in(app, user.email)
    with browser.session_transaction() as session:
        session["_user_id"] = f"{user.id}.made-up-secret"
    assert ended(browser)
