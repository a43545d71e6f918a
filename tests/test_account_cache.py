"""Each worker keeps the signed-in person's account and roles; a change made through any worker
is seen by every worker on its very next request. Two apps on one database play two workers."""
from elearn.extensions import db
from elearn.models import User
from tests.conftest import Auth


def on_both(app, make_app, login_name: str):
    """The same browser session sent to two workers, each of which has kept the account."""
    first = app.test_client()
    assert Auth(first).login(login_name).status_code == 302
    other = make_app()
    second = other.test_client()
    second.set_cookie("session", first.get_cookie("session").value)
    for client in (first, second):
        assert client.get("/?lang=en").status_code == 200
    return other, first, second


def test_a_role_given_on_one_worker_opens_pages_on_every_worker(app, make_app, make_user):
    learner = make_user(nip="198001012006041001", name="Sari Lubis")
    other, first, second = on_both(app, make_app, learner.nip)
    for client in (first, second):
        assert client.get("/hr/reports/?lang=en").status_code == 403
    with other.app_context():
        db.session.get(User, learner.id).set_roles(["learner", "hr"])
        db.session.commit()
    for client in (first, second):
        assert client.get("/hr/reports/?lang=en").status_code == 200


def test_a_role_taken_away_closes_pages_on_every_worker(app, make_app, make_user):
    officer = make_user(roles=("learner", "hr"), nip="198001012006041002")
    other, first, second = on_both(app, make_app, officer.nip)
    for client in (first, second):
        assert client.get("/hr/reports/?lang=en").status_code == 200
    with app.app_context():
        db.session.get(User, officer.id).set_roles(["learner"])
        db.session.commit()
    for client in (first, second):
        assert client.get("/hr/reports/?lang=en").status_code == 403


def test_a_new_name_shows_at_once_on_every_worker(app, make_app, make_user):
    person = make_user(nip="198001012006041003", name="Sari Lubis")
    other, first, second = on_both(app, make_app, person.nip)
    with other.app_context():
        db.session.get(User, person.id).name = "Sari Lubis Damanik"
        db.session.commit()
    for client in (first, second):
        assert "Sari Lubis Damanik" in client.get("/?lang=en").get_data(as_text=True)


def test_every_change_renews_the_version_and_an_unchanged_flush_does_not(app, make_user):
    person = make_user(nip="198001012006041004")
    with app.app_context():
        user = db.session.get(User, person.id)
        seen = [user.version]
        user.locale = "en"
        db.session.commit()
        seen.append(user.version)
        user.set_roles(["learner", "trainer"])
        db.session.commit()
        seen.append(user.version)
        db.session.commit()
        assert user.version == seen[-1]
        assert len(set(seen)) == 3
