"""Text longer than a form allows is refused with a message that says so, and what was typed
stays in the form: nothing is cut to fit behind the user's back, neither by the form nor by
the operation behind it."""
import pytest
from sqlalchemy import func, select

from elearn.api.tokens import TokenError, create_token
from elearn.certificates import operations
from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import ApiToken, AuditEvent, Certificate, Course, RecordEntry, User
from elearn.timeutil import utcnow
from tests.conftest import Auth
from tests.html import csrf_token

# A real reason, written out at length, so the refused text is not one repeated letter.
LONG_TEXT = "Peserta terbukti meminjam akun rekan kerja untuk mengerjakan kuis; " * 20


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def hr(app, make_user):
    user = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(user.email)
    return client


@pytest.fixture
def certificate(app, make_user, make_course):
    learner = make_user(name="Ani Perawat", nip="198503122010012002")
    slug = make_course(quiz=False)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = enrol(db.session.get(User, learner.id), course)
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, utcnow())
        issued = complete_if_done(enrolment, utcnow())
        db.session.commit()
        return {"id": issued.id, "number": issued.number, "code": issued.code}


def revoke(client, certificate, reason):
    page = client.get(f"/hr/certificates?q={certificate['number']}")
    return client.post(f"/hr/certificates/{certificate['id']}/revoke?lang=en",
                       data={"reason": reason, "csrf_token": csrf_token(page)})


def test_a_revocation_reason_over_1000_characters_is_refused_and_the_certificate_stays_valid(
        app, hr, certificate):
    reason = LONG_TEXT[:1001]
    response = revoke(hr, certificate, reason)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The reason is 1001 characters long; it can be at most 1000." in page
    assert f'value="{reason}"' in page
    with app.app_context():
        assert db.session.get(Certificate, certificate["id"]).revoked_at is None
    assert count(app, RecordEntry, RecordEntry.certificate_id == certificate["id"]) == 1
    assert count(app, AuditEvent, AuditEvent.action == "certificate.revoke") == 0
    verify = app.test_client().get(f"/verify/{certificate['code']}").get_data(as_text=True)
    assert 'class="verdict right"' in verify


def test_a_revocation_reason_of_1000_characters_is_kept_whole(app, hr, certificate):
    reason = LONG_TEXT[:1000]
    assert revoke(hr, certificate, reason).status_code == 302
    with app.app_context():
        assert db.session.get(Certificate, certificate["id"]).revoked_reason == reason


def test_an_empty_reason_is_refused_on_the_page_too(app, hr, certificate):
    response = revoke(hr, certificate, "   ")
    assert response.status_code == 400
    assert "Give the reason for revoking the certificate." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Certificate, certificate["id"]).revoked_at is None


def test_the_revoke_operation_refuses_a_reason_too_long_rather_than_cutting_it(app, make_user, certificate):
    actor = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    with app.app_context(), app.test_request_context("/?lang=en"):
        target = db.session.get(Certificate, certificate["id"])
        with pytest.raises(operations.CertificateError, match="1001 characters long"):
            operations.revoke(db.session.get(User, actor.id), target, LONG_TEXT[:1001], utcnow())
        assert target.revoked_at is None and target.revoked_reason is None


@pytest.fixture
def admin(app, make_user):
    user = make_user(roles=("admin",), email="admin@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(user.email)
    return client


def create(client, name):
    page = client.get("/admin/api-tokens")
    return client.post("/admin/api-tokens?lang=en", data={"name": name, "csrf_token": csrf_token(page)})


def test_a_token_name_over_100_characters_is_refused_and_no_token_is_made(app, admin):
    name = LONG_TEXT[:101]
    response = create(admin, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The name is 101 characters long; it can be at most 100." in page
    assert f'value="{name}"' in page and "elearn_" not in page
    assert count(app, ApiToken) == 0
    assert count(app, AuditEvent, AuditEvent.action == "api_token.create") == 0


def test_a_token_name_of_100_characters_is_kept_whole(app, admin):
    name = LONG_TEXT[:100]
    assert create(admin, name).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.name)) == name


def test_create_token_refuses_a_name_too_long_rather_than_cutting_it(app, make_user):
    actor = make_user(roles=("admin",), email="admin@pemko.example.go.id")
    with app.app_context(), app.test_request_context("/?lang=en"):
        with pytest.raises(TokenError, match="101 characters long"):
            create_token(db.session.get(User, actor.id), LONG_TEXT[:101])
    assert count(app, ApiToken) == 0
