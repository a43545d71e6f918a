"""Who may open which route. Every route of the app must have a row here: a new route
without a decision fails the first test."""
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from elearn.api.tokens import create_token
from elearn.certificates.issuing import issue_certificate
from elearn.extensions import db
from elearn.models import (
    AssignedPerson,
    Assignment,
    CompetencyRequirement,
    Course,
    DevelopmentPlan,
    Enrolment,
    ExternalTraining,
    FollowUp,
    Notification,
    PlanItem,
    QuizAttempt,
    User,
)
from elearn.questions.grading import grade_attempt
from elearn.timeutil import utcnow
from tests.conftest import PASSWORD, Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

ESSAY_QUIZ = b"""---
title: Kuis Esai
passing_score: 70
---
```gift
::esai:: Ceritakan cara Anda melayani warga. {}
```
"""

ANONYMOUS = "anonymous"
ROLES = ("learner", "trainer", "hr", "admin")
EVERYONE = {ANONYMOUS, *ROLES}
SIGNED_IN = set(ROLES)
STAFF = {"hr", "admin"}
ADMIN = {"admin"}
AUTHORS = {"trainer", "admin"}

ACCESS = {
    "static": EVERYONE,
    "health.healthz": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.profile": SIGNED_IN,
    "home.index": SIGNED_IN,
    "admin.users": STAFF,
    "admin.new_user": STAFF,
    "admin.edit_user": STAFF,
    "admin.deactivate_user": STAFF,
    "admin.activate_user": STAFF,
    "admin.reset_password": STAFF,
    "admin.unlock_user": STAFF,
    "admin.units": STAFF,
    "admin.new_unit": STAFF,
    "admin.edit_unit": STAFF,
    "admin.remove_unit": STAFF,
    "admin.import_roster": STAFF,
    "admin.import_units": STAFF,
    "admin.import_template": STAFF,
    "admin.audit_log": ADMIN,
    "learn.course_file": SIGNED_IN,
    "learn.catalogue": SIGNED_IN,
    "learn.course": SIGNED_IN,
    "learn.enroll": SIGNED_IN,
    "learn.lesson": SIGNED_IN,
    "learn.complete": SIGNED_IN,
    "learn.answer_check": SIGNED_IN,
    "learn.quiz": SIGNED_IN,
    "learn.quiz_action": SIGNED_IN,
    "learn.quiz_result": set(),
    # Enrolled learners only (tests/test_offline.py); the sweep has enrolled each role by then.
    "learn.offline_package": SIGNED_IN,
    "learn.sync_actions": SIGNED_IN,
    "offline.service_worker": EVERYONE,
    "offline.manifest": EVERYONE,
    "offline.page": EVERYONE,
    "offline.quiz_page": EVERYONE,
    "offline.session": EVERYONE,
    "certificates.pdf": STAFF,
    "certificates.verify": EVERYONE,
    "certificates.manage": STAFF,
    "certificates.revoke": STAFF,
    "records.mine": SIGNED_IN,
    "records.my_file": SIGNED_IN,
    "records.person": STAFF,
    "records.person_file": STAFF,
    "records.report_training": SIGNED_IN,
    "records.evidence": STAFF,
    "records.review_queue": STAFF,
    "records.verify": STAFF,
    "records.reject": STAFF,
    "assignments.index": STAFF,
    "assignments.new": STAFF,
    "assignments.show": STAFF,
    "admin.api_tokens": ADMIN,
    "admin.create_api_token": ADMIN,
    "admin.revoke_api_token": ADMIN,
    "api.openapi": EVERYONE,
    "api.completions": set(),
    "api.person_record": set(),
    "api.courses": set(),
    "reports.index": STAFF,
    "reports.show": STAFF,
    "reports.download": STAFF,
    "reports.siasn_page": STAFF,
    "reports.siasn_file": STAFF,
    "dashboard.index": STAFF,
    "needs.requirements": STAFF,
    "needs.remove_requirement": STAFF,
    "needs.my_needs": SIGNED_IN,
    "needs.proposals": STAFF,
    "needs.matrix": STAFF,
    "needs.matrix_csv": STAFF,
    "needs.assign_from_matrix": STAFF,
    "needs.my_plan": SIGNED_IN,
    "notifications.index": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    # Only its owner opens a notification; the sample's belongs to someone else.
    "notifications.open_": set(),
    "notifications.settings": SIGNED_IN,
    "needs.add_plan_item": SIGNED_IN,
    "needs.remove_plan_item": set(),
    "needs.submit_plan": SIGNED_IN,
    "needs.review_list": SIGNED_IN,
    "needs.show_plan": STAFF,
    "needs.review_plan": STAFF,
    "evaluation.survey_page": SIGNED_IN,
    "evaluation.follow_up_page": SIGNED_IN,
    "evaluation.confirmations": SIGNED_IN,
    "evaluation.confirm": set(),
    "evaluation.course_report": STAFF,
    "evaluation.course_file": STAFF,
    "evaluation.unit_report": STAFF,
    "evaluation.unit_file": STAFF,
    "coursestats.courses": {"trainer", "hr", "admin"},
    "coursestats.grading": {"trainer", "hr", "admin"},
    "coursestats.course": STAFF,
    "coursestats.course_grading": STAFF,
    "coursestats.grade": STAFF,
    "authoring.index": AUTHORS,
    "authoring.new_course": AUTHORS,
    "authoring.upload": AUTHORS,
    "authoring.course": ADMIN,
    "authoring.start_draft": ADMIN,
    "authoring.discard_draft": ADMIN,
    "authoring.settings": ADMIN,
    "authoring.edit_file": ADMIN,
    "authoring.preview_file": ADMIN,
    "authoring.add_lesson": ADMIN,
    "authoring.move_lesson": ADMIN,
    "authoring.remove_file": ADMIN,
    "authoring.upload_image": ADMIN,
    "authoring.draft_file": ADMIN,
    "authoring.download": ADMIN,
    "authoring.publish": ADMIN,
}

# Other systems read these with a bearer token; no session, of any role, opens them.
BEARER = {"api.completions", "api.person_record", "api.courses"}

# One person's things: to any other signed-in user they answer 404, as if they did not exist.
OWN = {"learn.quiz_result", "certificates.pdf", "records.evidence", "needs.remove_plan_item", "needs.show_plan",
       "needs.review_plan", "evaluation.confirm", "notifications.open_"}

# A page's script calls these: to someone not signed in they answer 401, not the log-in page.
SCRIPT = {"learn.sync_actions"}


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ACCESS.keys() == set(), "add the new routes to ACCESS"
    assert ACCESS.keys() - endpoints == set(), "remove routes that no longer exist"


@pytest.fixture
def sample(app, make_user, make_unit, make_course):
    """Objects for the URLs' ids: a learner to act on, an empty unit, a course, and a
    certificate of that learner's."""
    target = make_user(name="Target Pegawai")
    slug = make_course()
    essay_course = course_files("kursus-esai")
    essay_course["quiz.md"] = ESSAY_QUIZ
    make_course("kursus-esai", files=essay_course)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = Enrolment(user_id=target.id, course_id=course.id)
        db.session.add(enrolment)
        db.session.flush()
        certificate = issue_certificate(enrolment, course.current_version, utcnow())
        training = ExternalTraining(
            user_id=target.id, title="Bimtek SIASN", training_type=8, organiser="BKN", competency="teknis",
            started_on=date(2026, 1, 5), ended_on=date(2026, 1, 6), jp=16, certificate_number="BKN/1/2026",
            evidence=b"%PDF-1.4", evidence_name="bukti.pdf", evidence_type="application/pdf", evidence_size=8,
        )
        db.session.add(training)
        assignment = Assignment(course_id=course.id, due_on=date(2026, 12, 31), created_by_id=target.id,
                                people=[AssignedPerson(user_id=target.id)])
        db.session.add(assignment)
        token, _ = create_token(db.session.get(User, target.id), "SIMPEG")
        requirement = CompetencyRequirement(tag="BerAKHLAK", created_by_id=target.id)
        plan = DevelopmentPlan(user_id=target.id, year=2026, status="submitted", items=[
            PlanItem(competency="BerAKHLAK", timing="Triwulan I", indicator="Lulus kuis")])
        follow_up = FollowUp(enrolment_id=enrolment.id, applied="Menerapkan standar layanan",
                             changed="Antrean lebih tertib", supervisor_id=target.id)
        db.session.add_all([requirement, plan, follow_up])
        essay = db.session.scalar(select(Course).where(Course.slug == "kursus-esai"))
        essay_enrolment = Enrolment(user_id=target.id, course_id=essay.id)
        db.session.add(essay_enrolment)
        db.session.flush()
        questions = essay.current_version.quiz_questions
        grades, _score = grade_attempt(questions, {"esai": "Saya melayani dengan ramah."})
        attempt = QuizAttempt(enrolment_id=essay_enrolment.id, version_id=essay.current_version_id, number=1,
                              layout={"keys": ["esai"], "orders": {}}, answers={"esai": "Saya melayani dengan ramah."},
                              grades={key: grade.as_data() for key, grade in grades.items()}, status="pending")
        db.session.add(attempt)
        notification = Notification(user_id=target.id, kind="assignment.new", link="/", created_at=utcnow(),
                                    params={"course_title": "X", "due_on": "2026-12-31", "note": ""})
        db.session.add(notification)
        db.session.commit()
        notification_id = notification.id
    return {
        "user_id": target.id,
        "unit_id": make_unit("KOSONG", "Unit Kosong").id,
        "kind": "roster",
        "filename": "css/app.css",
        "slug": slug,
        "path": "img/alur.png",
        "lesson_slug": "bagian-1",
        "key": "cek-1",
        "number": 1,
        "ident": certificate.number,
        "code": certificate.code,
        "certificate_id": certificate.id,
        "ext": "csv",
        "training_id": training.id,
        "assignment_id": assignment.id,
        "token_id": token.id,
        "nip": "198503122010011002",
        "report": "completions",
        "fmt": "csv",
        "requirement_id": requirement.id,
        "item_id": plan.items[0].id,
        "plan_id": plan.id,
        "decision": "approve",
        "follow_up_id": follow_up.id,
        "attempt_id": attempt.id,
        "question_key": "esai",
        "notification_id": notification_id,
    }


def _requests(app, sample):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        args = {name: sample[name] for name in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **args)
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule.endpoint, method, url


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_route_access_by_role(app, make_user, sample, role):
    user = make_user(roles=(role,), email=f"{role}@pemko.example.go.id") if role != ANONYMOUS else None
    failures = []
    for endpoint, method, url in _requests(app, sample):
        client = app.test_client()
        if user is not None:
            assert Auth(client).login(user.email, PASSWORD).status_code == 302
        if method == "GET":
            response = client.get(url)
        else:
            token = csrf_token(client.get("/" if user else "/login"))
            response = client.post(url, data={"csrf_token": token})
        response.close()
        status = response.status_code
        if endpoint in BEARER:
            ok = status == 401
        elif role in ACCESS[endpoint]:
            # An empty form posted to a POST-only route is let in and then refused as bad input.
            ok = status < 400 or (method == "POST" and status == 400)
        elif user is None and endpoint in SCRIPT:
            ok = status == 401
        elif user is None:
            ok = status == 302 and response.headers["Location"].startswith("/login")
        elif endpoint in OWN:
            ok = status == 404
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{method} {url} as {role}: {status}")
    assert failures == []
