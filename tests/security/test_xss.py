"""Cross-site scripting: every payload of the corpus, put in every text people type (names, unit
names, course titles and summaries, survey comments, follow-ups, external trainings, evidence
names, training needs, plan items) and in every search or filter echoed back, is shown as text."""
import json
from datetime import date

import pytest
from sqlalchemy import select

from elearn.accounts import operations
from elearn.certificates.issuing import issue_certificate
from elearn.extensions import db
from elearn.models import (
    Course,
    DevelopmentPlan,
    Enrolment,
    ExternalTraining,
    FollowUp,
    PlanItem,
    SurveyResponse,
    TrainingNeed,
    Unit,
    User,
)
from elearn.timeutil import local_date, utcnow
from tests.conftest import PASSWORD
from tests.coursefiles import course_files
from tests.security.conftest import signed_in
from tests.security.xss_corpus import PAYLOADS, dangerous_markup, unescaped


def _course_with(slug: str, payload: str) -> dict[str, bytes]:
    files = course_files(slug, lessons=1, quiz=False)
    text = files["course.md"].decode()
    text = text.replace("title: Etika Pelayanan di Kantor Kelurahan", f"title: {json.dumps(payload)}")
    text = text.replace("summary: Cara melayani warga dengan ramah, cepat, dan sesuai standar.",
                        f"summary: {json.dumps(payload + ' ringkasan')}")
    files["course.md"] = text.encode()
    return files


@pytest.fixture
def typed(app, world, make_course):
    """Every payload typed once into every field: one person, unit, course and so on per payload."""
    for n, payload in enumerate(PAYLOADS):
        make_course(f"xss-{n}", files=_course_with(f"xss-{n}", payload))
    ids = {"users": [], "plans": [], "slugs": [f"xss-{n}" for n in range(len(PAYLOADS))]}
    year = local_date(utcnow()).year
    with app.app_context():
        admin = db.session.get(User, world["admin"].id)
        course = db.session.scalar(select(Course).where(Course.slug == world["slug"]))
        for n, payload in enumerate(PAYLOADS):
            unit = Unit(code=f"XSS{n}", name=payload)
            db.session.add(unit)
            db.session.flush()
            user = operations.create_user(admin, name=payload, email=f"xss{n}@pemko.example.go.id", password=PASSWORD,
                                          unit_id=unit.id)
            enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=utcnow())
            db.session.add(enrolment)
            db.session.flush()
            ids.setdefault("codes", []).append(issue_certificate(enrolment, course.current_version, utcnow()).code)
            db.session.add_all([
                SurveyResponse(enrolment_id=enrolment.id, relevance=4, material=4, applicability=4, comment=payload),
                FollowUp(enrolment_id=enrolment.id, applied=payload, changed=payload + " berubah"),
                ExternalTraining(user_id=user.id, title=payload, training_type=8, organiser=payload,
                                 competency="teknis", started_on=date(year, 1, 5), ended_on=date(year, 1, 6), jp=2,
                                 certificate_number=f"XSS/{n}", evidence=b"%PDF-1.4",
                                 evidence_name=payload + ".pdf", evidence_type="application/pdf", evidence_size=8),
                TrainingNeed(user_id=user.id, competency=payload, reason=payload, preferred_form="e-learning"),
            ])
            plan = DevelopmentPlan(user_id=user.id, year=year, status="submitted", items=[
                PlanItem(competency=payload[:64], activity=payload[:300], timing=payload[:100], indicator=payload)])
            db.session.add(plan)
            db.session.flush()
            ids["users"].append(user.id)
            ids["plans"].append(plan.id)
        db.session.commit()
    return ids


def _check(body: str, payloads, where: str, must_show: bool = True, limit: int | None = None) -> list[str]:
    problems = [f"{where}: {p}" for payload in payloads for p in unescaped(body, payload, must_show, limit)]
    return problems + [f"{where}: markup {found}" for found in dangerous_markup(body)]


def test_lists_show_every_payload_as_text(app, world, typed):
    client = signed_in(app, world["admin"])
    failures = []
    pages = [
        ("/admin/users?status=all", True),
        ("/admin/units", True),
        ("/hr/trainings", True),
        ("/hr/needs/proposals", True),
        (f"/evaluation/courses/{world['slug']}", True),
        ("/courses", True),
        ("/hr/reports/completions", False),
        ("/plans", True),
        ("/hr/", False),
        ("/hr/reports/units", False),
        ("/hr/reports/jp", False),
        ("/evaluation/units", False),
        ("/hr/needs/matrix", False),
        ("/hr/certificates?q=xss", False),
        ("/trainer/courses", False),
        ("/authoring/", False),
        ("/admin/audit", False),
    ]
    for url, must_show in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        failures += _check(response.get_data(as_text=True), PAYLOADS, url, must_show)
    assert failures == []


def test_each_persons_pages_show_the_payload_as_text(app, world, typed):
    client = signed_in(app, world["admin"])
    failures = []
    for payload, user_id, plan_id, slug in zip(PAYLOADS, typed["users"], typed["plans"], typed["slugs"], strict=True):
        for url, limit in ((f"/admin/users/{user_id}", None), (f"/hr/people/{user_id}/record", None),
                           (f"/plans/{plan_id}", 64), (f"/courses/{slug}", None)):
            response = client.get(url)
            assert response.status_code == 200, url
            failures += _check(response.get_data(as_text=True), [payload], url, limit=limit)
    assert failures == []


def test_the_public_verification_page_shows_the_name_as_text(app, world, typed):
    client = app.test_client()
    failures = []
    # The page allows 30 look-ups a minute from one address.
    for payload, code in list(zip(PAYLOADS, typed["codes"], strict=True))[:25]:
        response = client.get(f"/verify/{code}")
        assert response.status_code == 200
        failures += _check(response.get_data(as_text=True), [payload], "/verify", must_show=False)
    assert failures == []


def test_the_learners_own_pages_show_the_payload_as_text(app, world, typed):
    failures = []
    for n, payload in enumerate(PAYLOADS[:12]):
        client = signed_in(app, type("U", (), {"email": f"xss{n}@pemko.example.go.id", "nip": None}))
        for url, limit in (("/me/record", None), ("/me/needs", None), ("/me/plan", 64), ("/", None)):
            body = client.get(url).get_data(as_text=True)
            failures += _check(body, [payload], url, must_show=url != "/", limit=limit)
    assert failures == []


ECHOES = [
    ("/courses", "q"), ("/admin/users", "q"), ("/hr/certificates", "q"),
    ("/hr/reports/completions", "unit"), ("/hr/reports/completions", "course"), ("/hr/reports/jp", "unit"),
    ("/hr/reports/completions", "from"), ("/hr/reports/siasn", "unit"), ("/evaluation/units", "course"),
    ("/hr/reports/completions.csv", "unit"), ("/evaluation/units.csv", "course"),
]


@pytest.mark.parametrize("path, name", ECHOES)
def test_search_terms_and_filters_are_echoed_as_text(app, world, path, name):
    client = signed_in(app, world["admin"])
    failures = []
    for payload in PAYLOADS:
        body = client.get(path, query_string={name: payload}).get_data(as_text=True)
        # Echoed or not (an unknown filter may be named in the error), never as markup.
        failures += _check(body, [payload], f"{path}?{name}=", must_show=False)
    # Where a term is echoed, it is there, escaped.
    if name == "q":
        body = client.get(path, query_string={name: PAYLOADS[0]}).get_data(as_text=True)
        assert unescaped(body, PAYLOADS[0]) == []
    assert failures == []


def test_the_checks_catch_a_payload_shown_as_markup():
    """The checks above would fail if a template used ``|safe`` or ``Markup()`` on typed text."""
    assert len(PAYLOADS) >= 30
    for payload in PAYLOADS:
        raw_page = f"<p>{payload}</p>"
        if set("<>\"'&") & set(payload):
            assert unescaped(raw_page, payload), payload
    assert dangerous_markup('<img src=x onerror=alert(1)>') and dangerous_markup("<a href=' javascript:x'>a</a>")
    assert dangerous_markup("<script>alert(1)</script>") and dangerous_markup('<svg onload=alert(1)>')
    assert dangerous_markup('<script src="/static/app.js"></script>') == []
