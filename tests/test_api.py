"""The JSON API as an HR system uses it: tokens an administrator hands out, the completions
feed page by page, development records, the course list, and the OpenAPI document that
describes every answer."""
import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import func, select

from elearn.api.tokens import create_token
from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import ApiToken, AuditEvent, Certificate, Course, Enrolment, RecordEntry, User
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

NIP = "198503122010011002"
MARCH = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
TOKEN = re.compile(r"elearn_[A-Za-z0-9_-]{43}")


@pytest.fixture
def admin(make_user):
    return make_user(roles=("admin",), email="admin@pemko.example.go.id", name="Admin Kota")


@pytest.fixture
def token(app, admin):
    """The secret of a live API token."""
    with app.app_context():
        _, secret = create_token(db.session.get(User, admin.id), "SIMPEG")
        db.session.commit()
    return secret


def api(client, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def complete(app, user, slug, at):
    """Finish a course (lessons only) at a given moment, through the one completion path."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = enrol(db.session.get(User, user.id), course)
        enrolment.enrolled_at = at - timedelta(days=2)
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, at)
        assert complete_if_done(enrolment, at) is not None
        db.session.commit()
        return enrolment.id


def post(client, url, data=None, page="/admin/api-tokens"):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client.get(page))})


# Tokens --------------------------------------------------------------------------------------

def test_admin_creates_a_token_shown_once_and_stored_as_a_hash(app, client, auth, admin):
    auth.login(admin.email)
    created = post(client, "/admin/api-tokens?lang=en", {"name": "SIMPEG BKPSDM"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    secret = TOKEN.search(created.get_data(as_text=True)).group()

    listing = client.get("/admin/api-tokens?lang=en").get_data(as_text=True)
    assert "SIMPEG BKPSDM" in listing and secret[:12] in listing and secret not in listing
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert stored.prefix == secret[:12] and stored.scope == "read"
        assert secret not in (stored.name, stored.prefix, stored.token_hash)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.create"))
        assert event.actor_id == admin.id and event.target_id == str(stored.id)
    assert api(client, "/api/v1/courses", secret).status_code == 200


def test_a_token_needs_a_name(app, client, auth, admin):
    auth.login(admin.email)
    response = post(client, "/admin/api-tokens?lang=en", {"name": "   "})
    assert response.status_code == 400 and "Give the token a name." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_admin_revokes_a_token_and_it_stops_working(app, client, auth, admin, token):
    assert api(client, "/api/v1/courses", token).status_code == 200
    auth.login(admin.email)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert post(client, f"/admin/api-tokens/{token_id}/revoke").status_code == 302
    again = post(client, f"/admin/api-tokens/{token_id}/revoke?lang=en")
    assert "already been revoked" in client.get(again.headers["Location"]).get_data(as_text=True)

    refused = api(client, "/api/v1/courses", token)
    assert refused.status_code == 401 and refused.get_json() == {"error": "The API token is wrong or has been revoked"}
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "api_token")).all()
        assert sorted(actions) == ["api_token.create", "api_token.revoke"]


@pytest.mark.parametrize("role", ["learner", "trainer", "hr"])
def test_only_admins_manage_tokens(app, make_user, token, role):
    user = make_user(roles=(role,), email=f"{role}@pemko.example.go.id")
    client = app.test_client()
    Auth(client).login(user.email)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.get("/admin/api-tokens").status_code == 403
    assert post(client, "/admin/api-tokens", {"name": "x"}, page="/").status_code == 403
    assert post(client, f"/admin/api-tokens/{token_id}/revoke", page="/").status_code == 403
    assert api(client, "/api/v1/courses", token).status_code == 200


def test_api_asks_for_a_bearer_token(client, auth, admin, token):
    missing = api(client, "/api/v1/courses")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in missing.get_json()["error"]
    for header in (f"Basic {token}", "Bearer", f"Bearer {token}x", "Bearer elearn_" + "A" * 43, "Bearer " + "x" * 5000):
        wrong = client.get("/api/v1/courses", headers={"Authorization": header})
        assert wrong.status_code == 401 and "error" in wrong.get_json(), header
        assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    # A browser session is no API credential.
    auth.login(admin.email)
    assert api(client, "/api/v1/courses").status_code == 401


def test_every_api_route_but_the_document_needs_a_token(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            url = rule.rule.replace("<nip>", NIP)
            assert api(client, url).status_code == 401, url
    assert api(client, "/api/v1/openapi.json").status_code == 200


def test_last_use_is_written_at_most_once_a_minute(app, client, token):
    def last_used():
        with app.app_context():
            return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    api(client, "/api/v1/courses", token)
    first = last_used()
    assert first is not None
    api(client, "/api/v1/courses", token)
    assert last_used() == first
    with app.app_context():
        db.session.scalar(select(ApiToken)).last_used_at = first - timedelta(minutes=2)
        db.session.commit()
    api(client, "/api/v1/courses", token)
    assert last_used() > first


def test_api_answers_are_json_and_never_cached(client, token):
    response = api(client, "/api/v1/courses", token)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"


# Completions ---------------------------------------------------------------------------------

@pytest.fixture
def seven_completions(app, make_user, make_unit, make_course):
    """Seven learners finish a course; three of them in the same second, so that order
    among equal times matters. Returns the enrolment ids in feed order."""
    unit = make_unit("DINKES", "Dinas Kesehatan")
    make_course(files=course_files(quiz=False))
    moments = [MARCH, MARCH + timedelta(hours=1), MARCH + timedelta(hours=2), MARCH + timedelta(hours=2),
               MARCH + timedelta(hours=2), MARCH + timedelta(days=1), MARCH + timedelta(days=2)]
    learners = [make_user(name=f"Pegawai {n}", nip=f"19850312201001100{n}", unit_id=unit.id) for n in range(1, 8)]
    return [complete(app, learner, "etika-pelayanan", at) for learner, at in zip(learners, moments, strict=True)]


def read_all(client, token, query, cursor=None):
    """Every page of the feed from a cursor on; the items in order, and how many pages it took."""
    items, pages = [], 0
    while True:
        url = f"/api/v1/completions?{query}" + (f"&cursor={cursor}" if cursor else "")
        response = api(client, url, token)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def test_completions_page_by_page_without_gaps_or_duplicates(client, token, seven_completions):
    items, pages = read_all(client, token, "limit=3")
    assert pages == 3
    assert [item["id"] for item in items] == seven_completions
    assert [item["completed_at"] for item in items] == sorted(item["completed_at"] for item in items)

    whole, pages = read_all(client, token, "limit=7")
    assert pages == 1 and whole == items
    assert read_all(client, token, "")[0] == items


def test_a_completion_made_while_paging_comes_once_at_the_end(app, client, token, seven_completions, make_user):
    first = api(client, "/api/v1/completions?limit=3", token).get_json()
    late = complete(app, make_user(name="Terlambat"), "etika-pelayanan", MARCH + timedelta(days=9))
    rest, _ = read_all(client, token, "limit=3", first["next_cursor"])
    assert [item["id"] for item in first["items"] + rest] == [*seven_completions, late]


def test_completion_items_carry_person_course_and_certificate(app, client, token, seven_completions):
    item = api(client, "/api/v1/completions?limit=1", token).get_json()["items"][0]
    with app.app_context():
        enrolment = db.session.get(Enrolment, seven_completions[0])
        certificate = db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
        course = enrolment.course
        assert item == {
            "id": enrolment.id,
            "nip": "198503122010011001",
            "name": "Pegawai 1",
            "unit_code": "DINKES",
            "unit_name": "Dinas Kesehatan",
            "course_id": "etika-pelayanan",
            "course_title": course.title,
            "jp": course.jp,
            "competency": "sosial-kultural",
            "enrolled_at": (MARCH - timedelta(days=2)).isoformat(),
            "completed_at": MARCH.isoformat(),
            "final_score": None,
            "certificate_number": certificate.number,
            "certificate_revoked": False,
        }


def test_completions_since_a_moment_in_any_offset(client, token, seven_completions):
    def ids(since):
        return [item["id"] for item in read_all(client, token, f"since={since}&limit=2")[0]]

    assert ids("2025-03-03T04:00:00Z") == seven_completions[2:]
    assert ids("2025-03-03T11:00:00%2B07:00") == seven_completions[2:]
    # A "+" left unencoded reaches the server as a space; it still means the offset.
    assert ids("2025-03-03T11:00:00+07:00") == seven_completions[2:]
    assert ids("2025-03-03T04:00:00.000001Z") == seven_completions[5:]
    assert ids("2030-01-01T00:00:00Z") == []


@pytest.mark.parametrize("query, message", [
    ("since=yesterday", "since must be an ISO 8601 timestamp"),
    ("since=2025-03-03T04:00:00", "since needs a time zone offset"),
    ("since=0001-01-01T00:00:00%2B07:00", "since is out of range"),
    ("limit=0", "limit must be a whole number from 1 to 500"),
    ("limit=501", "limit must be a whole number from 1 to 500"),
    ("limit=1000000000", "limit must be a whole number from 1 to 500"),
    ("limit=-1", "limit must be a whole number from 1 to 500"),
    ("limit=2.5", "limit must be a whole number from 1 to 500"),
    ("cursor=abc", "cursor is not one this API gave out"),
    ("cursor=WyIyMDI1LTAzLTAzVDAyOjAwOjAwKzAwOjAwIiwgMV0", "cursor is not one this API gave out"),
])
def test_bad_completion_parameters_answer_400(client, token, query, message):
    response = api(client, f"/api/v1/completions?{query}", token)
    assert response.status_code == 400 and response.get_json()["error"].startswith(message)


def test_a_cursor_signed_with_another_key_is_refused(app, client, token, seven_completions, make_app):
    other = make_app(SECRET_KEY="another-secret")
    cursor = api(other.test_client(), "/api/v1/completions?limit=1", token).get_json()["next_cursor"]
    assert cursor
    assert api(client, f"/api/v1/completions?cursor={cursor}", token).status_code == 400


# Development records -------------------------------------------------------------------------

@pytest.fixture
def budi(app, make_user, make_unit, make_course):
    """An ASN with two courses in 2025, one in 2024 and a verified external training in 2025."""
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    person = make_user(nip=NIP, name="Budi Santoso", unit_id=unit.id, position="Guru Ahli Muda", rank="III/c")
    for slug, minutes in (("etika-pelayanan", 15), ("berakhlak", 45), ("arsip-digital", 20)):
        make_course(slug, files=course_files(slug, lessons=2, minutes=minutes, quiz=False))
    complete(app, person, "etika-pelayanan", datetime(2024, 11, 5, 3, tzinfo=UTC))
    complete(app, person, "berakhlak", datetime(2025, 2, 10, 3, tzinfo=UTC))
    complete(app, person, "arsip-digital", datetime(2025, 8, 20, 3, tzinfo=UTC))
    with app.app_context():
        db.session.add(RecordEntry(
            user_id=person.id, year=2025, source="external", title="Bimtek Kurikulum Merdeka",
            organiser="LPMP Sumatera Utara", training_type=8, competency="teknis", jp=2.5,
            started_on=date(2025, 5, 12), completed_on=date(2025, 5, 14), certificate_number="421/LPMP/2025",
        ))
        db.session.commit()
    return person


def jp_of(app, *slugs):
    with app.app_context():
        return sum(db.session.scalars(select(Course.jp).where(Course.slug.in_(slugs))))


def test_record_lists_every_year_with_totals_against_the_target(app, client, token, budi):
    body = api(client, f"/api/v1/people/{NIP}/record", token).get_json()
    this_year = local_date(utcnow()).year
    assert body["person"] == {
        "nip": NIP, "name": "Budi Santoso", "unit_code": "DISDIK", "unit_name": "Dinas Pendidikan",
        "position": "Guru Ahli Muda", "rank": "III/c", "employment_type": "PNS", "active": True,
    }
    assert body["jp_target"] == app.config["JP_TARGET"] == 20
    years = {year["year"]: year for year in body["years"]}
    assert list(years) == sorted({2024, 2025, this_year})

    assert years[2024]["jp"] == round(jp_of(app, "etika-pelayanan"), 2)
    assert years[2025]["jp"] == round(jp_of(app, "berakhlak", "arsip-digital") + 2.5, 2)
    assert years[2025]["jp_by_competency"]["teknis"] == 2.5
    assert years[2024]["state"] == years[2025]["state"] == "behind"
    assert [e["title"] for e in years[2025]["entries"]] == [
        "Etika Pelayanan di Kantor Kelurahan", "Bimtek Kurikulum Merdeka", "Etika Pelayanan di Kantor Kelurahan"]
    external = years[2025]["entries"][1]
    assert external == {
        "source": "external", "title": "Bimtek Kurikulum Merdeka", "organiser": "LPMP Sumatera Utara",
        "training_type": 8, "competency": "teknis", "jp": 2.5, "started_on": "2025-05-12",
        "completed_on": "2025-05-14", "year": 2025, "certificate_number": "421/LPMP/2025",
    }
    course_entry = years[2025]["entries"][0]
    assert course_entry["source"] == "course" and course_entry["training_type"] == 16
    assert course_entry["completed_on"] == "2025-02-10" and course_entry["certificate_number"]


def test_record_of_one_year(app, client, token, budi):
    body = api(client, f"/api/v1/people/{NIP}/record?year=2024", token).get_json()
    assert [year["year"] for year in body["years"]] == [2024]
    assert len(body["years"][0]["entries"]) == 1
    empty = api(client, f"/api/v1/people/{NIP}/record?year=2019", token).get_json()
    assert empty["years"] == [{"year": 2019, "jp": 0, "state": "behind", "entries": [],
                               "jp_by_competency": {"teknis": 0, "manajerial": 0, "sosial-kultural": 0}}]


def test_record_of_an_unknown_nip_is_404(client, token, budi):
    response = api(client, "/api/v1/people/199001012015011001/record", token)
    assert response.status_code == 404 and response.get_json() == {"error": "No person has this NIP"}


@pytest.mark.parametrize("year", ["99999", "1800", "abc", "-2025", "20 25", "3000"])
def test_record_of_a_year_that_cannot_be_is_400(client, token, budi, year):
    response = api(client, f"/api/v1/people/{NIP}/record?year={year}", token)
    assert response.status_code == 400 and response.get_json()["error"].startswith("year must be a year from 1950")


# Courses -------------------------------------------------------------------------------------

def test_courses_lists_published_courses(app, client, token, make_course):
    make_course()
    make_course("berakhlak", files=course_files("berakhlak", lessons=3, quiz=False))
    with app.app_context():
        draft = Course(slug="draf", title="Draf", summary="", jp=1, competency="teknis", organiser="BKPSDM",
                       passing_score=70, description_html="")
        db.session.add(draft)
        db.session.commit()
    items = api(client, "/api/v1/courses", token).get_json()["items"]
    assert [item["id"] for item in items] == ["berakhlak", "etika-pelayanan"]
    assert items[0]["lessons"] == 3 and items[0]["version"] == 1
    assert items[1] == {
        "id": "etika-pelayanan", "title": "Etika Pelayanan di Kantor Kelurahan",
        "summary": "Cara melayani warga dengan ramah, cepat, dan sesuai standar.", "jp": 1.0,
        "competency": "sosial-kultural", "tags": ["BerAKHLAK", "pelayanan-publik"], "passing_score": 70,
        "organiser": "BKPSDM Kota Pematangsiantar", "version": 1, "lessons": 2,
    }


def test_api_is_rate_limited_in_json(client):
    statuses = [api(client, "/api/v1/openapi.json").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    limited = api(client, "/api/v1/openapi.json")
    assert limited.status_code == 429 and limited.get_json()["error"].startswith("Too many requests")


# The OpenAPI document -------------------------------------------------------------------------

DOCUMENT_URI = "urn:elearn:api:openapi"


def check_against_document(document, path, response):
    """Validate one real answer against the schema the document gives for it."""
    answer = document["paths"][path]["get"]["responses"][str(response.status_code)]
    pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + f"/get/responses/{response.status_code}"
    if "$ref" in answer:
        pointer = answer["$ref"].removeprefix("#")
        answer = document["components"]["responses"][pointer.rsplit("/", 1)[1]]
    for header in answer.get("headers", {}):
        assert header in response.headers, (path, header)
    registry = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
    schema = {"$ref": f"{DOCUMENT_URI}#{pointer}/content/application~1json/schema"}
    validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(response.get_json())


def test_openapi_document_is_valid_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate_openapi(response.get_json())


def test_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {re.sub(r"<(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes == set(document["paths"])


def test_real_answers_match_the_openapi_document(app, client, token, budi, make_user):
    complete(app, make_user(name="Staf Tanpa NIP"), "berakhlak", MARCH)
    document = client.get("/api/v1/openapi.json").get_json()
    record = "/people/{nip}/record"
    answers = [
        ("/completions", "/api/v1/completions?limit=2", token),
        ("/completions", "/api/v1/completions?limit=2&since=2099-01-01T00:00:00Z", token),
        ("/completions", "/api/v1/completions?limit=0", token),
        ("/completions", "/api/v1/completions", None),
        ("/completions", "/api/v1/completions", "wrong"),
        (record, f"/api/v1/people/{NIP}/record", token),
        (record, f"/api/v1/people/{NIP}/record?year=2025", token),
        (record, f"/api/v1/people/{NIP}/record?year=99999", token),
        (record, "/api/v1/people/199001012015011001/record", token),
        ("/courses", "/api/v1/courses", token),
        ("/courses", "/api/v1/courses", None),
    ]
    statuses = set()
    for path, url, credential in answers:
        response = api(client, url, credential)
        statuses.add(response.status_code)
        check_against_document(document, path, response)
    assert statuses == {200, 400, 401, 404}
    page = api(client, "/api/v1/completions?limit=10", token).get_json()
    assert any(item["nip"] is None for item in page["items"])


def test_an_unknown_api_address_answers_in_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and "error" in response.get_json()


def test_a_completion_is_given_out_only_once_settled(make_app, make_user, make_course, admin):
    """A completion committed late must not land behind a cursor already passed: the API
    holds back completions younger than the settling time."""
    app = make_app(API_SETTLE_SECONDS=120)
    make_course(files=course_files(quiz=False))
    make_course("kursus-lama", files=course_files("kursus-lama", quiz=False))
    learner = make_user(name="Pegawai Baru", nip="198503122010011009")
    with app.app_context():
        _, secret = create_token(db.session.get(User, admin.id), "SIMPEG")
        db.session.commit()
    client = app.test_client()
    complete(app, learner, "etika-pelayanan", utcnow() - timedelta(seconds=30))
    assert api(client, "/api/v1/completions", secret).get_json()["items"] == []
    complete(app, learner, "kursus-lama", utcnow() - timedelta(minutes=5))
    items = api(client, "/api/v1/completions", secret).get_json()["items"]
    assert [item["course_id"] for item in items] == ["kursus-lama"]
