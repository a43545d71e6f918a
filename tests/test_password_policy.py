"""Passwords as NIST SP 800-63B asks: long enough, not common, not a run of characters, not made
of the person's own data, not the current one; one-time passwords expire and work once."""
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from elearn.accounts import operations
from elearn.accounts.passwords import common_passwords
from elearn.extensions import db
from elearn.models import User
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

NIP = "198503122010011002"  # born 12 March 1985


@pytest.fixture
def person(make_user):
    return make_user(nip=NIP, email="budi.santoso@pemko.example.go.id", name="Budi Santoso",
                     birth_date=date(1985, 3, 12))


def change(client, new: str, current: str = PASSWORD):
    token = csrf_token(client.get("/account/password?lang=en"))
    return client.post("/account/password?lang=en",
                       data={"current": current, "new": new, "confirm": new, "csrf_token": token})


@pytest.mark.parametrize("new, reason", [
    ("pendek123", "at least 10 characters"),
    ("1234567890", "most common"),
    ("Bismillah123", "most common"),
    ("sayangku2024!", "most common"),
    ("Pematangsiantar", "most common"),
    ("kata sandi", "most common"),
    ("qwertyuiop", "most common"),
    ("abcdefghijk", "run of characters"),
    ("zzzzzzzzzzzz", "run of characters"),
    ("9876543210", "run of characters"),
    (NIP, "NIP, name, birth date"),
    ("x" + NIP[:8] + "kopi", "NIP, name, birth date"),
    ("12031985Kopi!", "NIP, name, birth date"),
    ("BudiSantoso85!", "NIP, name, birth date"),
    ("santoso.budi.1985", "NIP, name, birth date"),
    ("budi.santoso@pemko.example.go.id", "NIP, name, birth date"),
    (PASSWORD, "must differ from the current one"),
])
def test_a_weak_new_password_is_refused_with_its_reason(client, auth, person, new, reason):
    auth.login(NIP)
    response = change(client, new)
    assert response.status_code == 200
    assert reason in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(NIP, PASSWORD).status_code == 302


@pytest.mark.parametrize("new", ["Budi suka kopi Siantar", "lonceng-sepeda-hujan-9", "Tiga ekor kucing oranye"])
def test_a_long_unusual_password_is_accepted_even_with_the_first_name_in_it(client, auth, person, new):
    auth.login(NIP)
    assert change(client, new).status_code == 302
    auth.logout()
    assert auth.login(NIP, new).status_code == 302


def test_the_shipped_list_has_indonesian_and_global_passwords():
    listed = common_passwords()
    assert {"bismillah", "sayangku", "indonesia", "123456", "password", "qwerty", "bkpsdm"} <= listed
    assert len(listed) > 200


def test_users_create_applies_the_same_policy(runner):
    result = runner.invoke(args=["users", "create", "--role", "learner", "--name", "Rina Marpaung",
                                 "--email", "rina@pemko.example.go.id", "--password", "rinamarpaung1"])
    assert result.exit_code == 1
    # The command speaks the default language, Bahasa Indonesia.
    assert "tidak boleh tersusun dari NIP, nama, tanggal lahir" in result.output


# --- One-time passwords ---------------------------------------------------------------------


def one_time_password_for(app, person) -> str:
    """What HR is shown after "Give a one-time password" on the person's page."""
    hr_client = app.test_client()
    with app.app_context():
        hr = operations.create_user(None, name="Petugas BKPSDM", email=f"hr-{person.id}@pemko.example.go.id",
                                    roles=("hr",), password=PASSWORD)
        db.session.commit()
        hr_email = hr.email
    Auth(hr_client).login(hr_email)
    page = hr_client.post(f"/admin/users/{person.id}/reset-password",
                          data={"csrf_token": csrf_token(hr_client.get("/"))})
    return page.get_data(as_text=True).split('<p class="secret"><code>')[1].split("</code>")[0]


def english_client(app):
    client = app.test_client()
    client.get("/login?lang=en")
    return client


def test_a_one_time_password_opens_one_session_only(app, person):
    one_time = one_time_password_for(app, person)
    first = app.test_client()
    assert Auth(first).login(NIP, one_time).status_code == 302
    second = english_client(app)
    response = Auth(second).login(NIP, one_time)
    assert response.status_code == 200
    assert "This one-time password has expired or has already been used." in response.get_data(as_text=True)
    # The first browser can still replace it, as its own current password.
    assert change(first, "Lonceng sepeda di pagi hari", one_time).status_code == 302


def test_a_one_time_password_expires_after_the_configured_hours(app, person):
    one_time = one_time_password_for(app, person)
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(password_expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    client = english_client(app)
    response = Auth(client).login(NIP, one_time)
    assert response.status_code == 200
    assert "has expired or has already been used" in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")


def test_the_expiry_is_a_setting(make_app, make_user):
    app = make_app(ONE_TIME_PASSWORD_HOURS=5)
    person = make_user(nip=NIP, name="Budi Santoso")
    before = utcnow()
    one_time_password_for(app, person)
    with app.app_context():
        expires = db.session.get(User, person.id).password_expires_at
    assert timedelta(hours=5) <= expires - before < timedelta(hours=5, minutes=1)


def test_the_reset_command_prints_a_one_time_password(app, runner, person):
    result = runner.invoke(args=["users", "reset-password", NIP])
    assert result.exit_code == 0, result.output
    one_time = result.output.strip().rsplit(" ", 1)[-1]
    assert Auth(app.test_client()).login(NIP, one_time).status_code == 302
    assert runner.invoke(args=["users", "reset-password", "nobody@pemko.example.go.id"]).exit_code == 1
