"""Failed log-ins count per account, whichever of its names is typed; a locked account is told
what to do, and HR can unlock it."""
from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

NIP = "199001152015032004"
EMAIL = "siti.aminah@pemko.example.go.id"
WRONG = "bukan-sandinya-123"


def attempt(app, name: str, password: str = WRONG):
    client = app.test_client()
    client.get("/login?lang=en")
    return Auth(client).login(name, password)


def lock(app) -> list[int]:
    """Five wrong passwords through both names of the account, then one more try."""
    names = [NIP, EMAIL, NIP.upper(), EMAIL.upper(), "1990 0115 2015 03 2 004"]
    return [attempt(app, name).status_code for name in names] + [attempt(app, EMAIL).status_code]


def test_the_nip_and_the_email_of_one_person_share_one_count(app, make_user):
    make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    assert lock(app) == [200] * 5 + [429]
    # Locked for every name of the account, even with the right password.
    assert attempt(app, NIP, PASSWORD).status_code == 429
    # A name no account has counts for itself, and does not lock anyone.
    assert [attempt(app, "tidak.ada@pemko.example.go.id").status_code for _ in range(5)] == [200] * 5


def test_a_locked_account_is_told_what_to_do(app, make_user):
    make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    lock(app)
    page = attempt(app, NIP, PASSWORD).get_data(as_text=True)
    assert "log-in to this account is locked for a while" in page
    assert "ask BKPSDM to unlock it" in page


def test_hr_sees_the_lock_and_unlocks_it(app, make_user):
    person = make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    staff = app.test_client()
    Auth(staff).login(hr.email)
    assert "Unlock the log-in" not in staff.get(f"/admin/users/{person.id}?lang=en").get_data(as_text=True)
    lock(app)
    page = staff.get(f"/admin/users/{person.id}?lang=en").get_data(as_text=True)
    assert "locked for a while after too many wrong passwords" in page
    response = staff.post(f"/admin/users/{person.id}/unlock", data={"csrf_token": csrf_token(staff.get("/"))})
    assert response.status_code == 302
    assert attempt(app, EMAIL, PASSWORD).status_code == 302


def test_a_one_time_password_from_hr_also_unlocks(app, make_user):
    person = make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    lock(app)
    staff = app.test_client()
    Auth(staff).login(hr.email)
    page = staff.post(f"/admin/users/{person.id}/reset-password", data={"csrf_token": csrf_token(staff.get("/"))})
    one_time = page.get_data(as_text=True).split('<p class="secret"><code>')[1].split("</code>")[0]
    assert attempt(app, NIP, one_time).status_code == 302


def test_learners_cannot_unlock(app, make_user):
    person = make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    other = make_user(email="lain@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(other.email)
    assert client.post(f"/admin/users/{person.id}/unlock",
                       data={"csrf_token": csrf_token(client.get("/"))}).status_code == 403


def test_with_rate_limits_turned_off_nothing_is_counted_or_locked(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=False)
    person = make_user(nip=NIP, email=EMAIL, name="Siti Aminah")
    hr = make_user(roles=("hr",), email="hr@pemko.example.go.id")
    assert [attempt(app, NIP).status_code for _ in range(7)] == [200] * 7
    assert attempt(app, NIP, PASSWORD).status_code == 302
    staff = app.test_client()
    Auth(staff).login(hr.email)
    assert "Unlock the log-in" not in staff.get(f"/admin/users/{person.id}?lang=en").get_data(as_text=True)
