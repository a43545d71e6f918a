"""The audit log: every state-changing action open to HR and administrators (and not to learners)
writes an AuditEvent naming its actor and time, or is listed below as exempt with the reason;
no route edits or deletes an event."""
import io
import pathlib
import re
from datetime import timedelta

from flask import url_for
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from elearn.authoring.archive import write_course_zip
from elearn.extensions import db
from elearn.models import AuditEvent, Course, ExternalTraining, Unit, User
from elearn.timeutil import utcnow
from tests.coursefiles import course_files
from tests.security.conftest import signed_in, snapshot, token_of
from tests.test_access import ACCESS

# Changes made in an author's draft are the author's working copy: nothing reaches learners until
# it is published, and publishing (with draft creation and discarding) is audited.
DRAFT_WORK = "an edit of an unpublished draft; creating, discarding and publishing the draft are audited"
EXEMPT = {
    "authoring.settings": DRAFT_WORK,
    "authoring.edit_file": DRAFT_WORK,
    "authoring.add_lesson": DRAFT_WORK,
    "authoring.move_lesson": DRAFT_WORK,
    "authoring.remove_file": DRAFT_WORK,
    "authoring.upload_image": DRAFT_WORK,
    "authoring.preview_file": "changes nothing: renders the posted text",
}

ROSTER = "nip;nama;email;unit;jabatan;golongan;jenis;tempat_lahir;tanggal_lahir\r\n" \
         "198811052012122001;Maria Simanjuntak;;AUDIT;Perawat;III/b;PNS;Medan;1988-11-05\r\n"
UNITS = "kode;nama;induk\r\nAUDIT;Unit Audit;\r\n"


def _actions(w, app):
    """(endpoint, actor, url, form) in an order where each finds what it needs."""
    with app.app_context():
        training = ExternalTraining(
            user_id=w["user_id"], title="Bimtek Lain", training_type=8, organiser="BKN", competency="teknis",
            started_on=utcnow().date() - timedelta(days=10), ended_on=utcnow().date() - timedelta(days=9), jp=4,
            certificate_number="BKN/2/2026", evidence=b"%PDF-1.4", evidence_name="b.pdf",
            evidence_type="application/pdf", evidence_size=8)
        db.session.add(training)
        other = db.session.get(User, w["other"].id)
        other.unit_id, other.nip = w["unit_id"], "199001012015011001"  # in the matrix: it counts people with a NIP
        db.session.commit()
        reject_id = training.id
        course_id = db.session.scalar(select(Course.id).where(Course.slug == w["slug"]))
    user, unit = w["user_id"], w["unit_id"]
    zip_file = write_course_zip("kursus-zip", course_files("kursus-zip"))
    return [
        ("admin.new_user", "hr", "/admin/users/new",
         {"name": "Maria", "nip": "198811052012122009", "employment_type": "PNS", "unit_id": ""}),
        ("admin.edit_user", "admin", f"/admin/users/{user}",
         {"name": "Target Diganti", "email": "target@pemko.example.go.id", "employment_type": "PNS", "unit_id": "",
          "roles": "learner"}),
        ("admin.deactivate_user", "hr", f"/admin/users/{user}/deactivate", {}),
        ("admin.activate_user", "hr", f"/admin/users/{user}/activate", {}),
        ("admin.reset_password", "hr", f"/admin/users/{w['other'].id}/reset-password", {}),
        ("admin.unlock_user", "hr", f"/admin/users/{user}/unlock", {}),
        ("admin.new_unit", "hr", "/admin/units/new", {"code": "BARU", "name": "Unit Baru", "parent_id": "",
                                                       "head_id": ""}),
        ("admin.import_units", "hr", "/admin/import/units",
         {"file": FileStorage(io.BytesIO(UNITS.encode()), filename="units.csv")}),
        ("admin.import_roster", "hr", "/admin/import/roster",
         {"file": FileStorage(io.BytesIO(ROSTER.encode()), filename="roster.csv")}),
        ("admin.edit_unit", "hr", f"/admin/units/{unit}", {"code": "KOSONG", "name": "Unit Diganti", "parent_id": "",
                                                          "head_id": ""}),
        ("admin.create_api_token", "admin", "/admin/api-tokens", {"name": "SIMPEG 2"}),
        ("admin.revoke_api_token", "admin", f"/admin/api-tokens/{w['token_id']}/revoke", {}),
        ("certificates.revoke", "hr", f"/hr/certificates/{w['certificate_id']}/revoke", {"reason": "Salah nama"}),
        ("records.verify", "hr", f"/hr/trainings/{w['training_id']}/verify", {}),
        ("records.reject", "hr", f"/hr/trainings/{reject_id}/reject", {"reason": "Bukti tidak terbaca"}),
        ("assignments.new", "hr", "/hr/assignments/new",
         {"course_id": str(course_id), "due_on": (utcnow().date() + timedelta(days=30)).isoformat(), "unit_id": str(unit),
          "position": "", "nips": "", "note": "", "include_subunits": "y"}),
        ("needs.requirements", "hr", "/hr/needs/requirements", {"tag": "Digital", "unit_id": "", "position": ""}),
        ("needs.assign_from_matrix", "hr", "/hr/needs/matrix/assign",
         {"unit_id": str(unit), "course_id": str(course_id), "tag": "berakhlak"}),
        ("needs.remove_requirement", "hr", f"/hr/needs/requirements/{w['requirement_id']}/remove", {}),
        ("needs.review_plan", "hr", f"/plans/{w['plan_id']}/approve", {"note": "Setuju"}),
        ("coursestats.grade", "hr", f"/trainer/grading/{w['attempt_id']}/esai", {"score": "80", "comment": "Baik"}),
        ("authoring.discard_draft", "admin", f"/authoring/courses/{w['slug']}/discard", {}),
        ("authoring.start_draft", "admin", f"/authoring/courses/{w['essay_slug']}/draft", {}),
        ("authoring.publish", "admin", f"/authoring/courses/{w['essay_slug']}/publish", {}),
        ("authoring.new_course", "admin", "/authoring/new",
         {"id": "kursus-baru", "title": "Kursus Baru", "summary": "Ringkas", "jp": "1", "competency": "teknis",
          "organiser": "BKPSDM", "lesson_title": "Pembuka"}),
        ("authoring.upload", "admin", "/authoring/upload",
         {"archive": FileStorage(io.BytesIO(zip_file), filename="kursus-zip.zip")}),
        ("admin.remove_unit", "hr", "/admin/units/{new_unit}/delete", {}),
    ]


def _staff_posts(app) -> set[str]:
    """POST routes open to HR or admins and closed to learners."""
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    return {e for e in posts if ACCESS[e] & {"hr", "admin"} and "learner" not in ACCESS[e]}


def _events(app) -> list[tuple]:
    with app.app_context():
        db.session.remove()
        return [tuple(row) for row in db.session.execute(
            select(AuditEvent.id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.action, AuditEvent.target_type,
                   AuditEvent.target_id).order_by(AuditEvent.id))]


def test_every_staff_action_is_audited_or_exempt(app, world):
    actions = _actions(world, app)
    audited = {a[0] for a in actions}
    assert _staff_posts(app) - EXEMPT.keys() - audited == set(), "audit or exempt the new route"
    assert EXEMPT.keys() <= _staff_posts(app) and not EXEMPT.keys() & audited
    failures = []
    for endpoint, role, url, form in actions:
        actor = world[role]
        if "{new_unit}" in url:
            with app.app_context():
                url = url.format(new_unit=db.session.scalar(select(Unit.id).where(Unit.code == "BARU")))
        client = signed_in(app, actor)
        before, rows_before = _events(app), snapshot(app)
        started = utcnow() - timedelta(seconds=5)
        response = client.post(url, data={**form, "csrf_token": token_of(client)})
        after = _events(app)
        if response.status_code >= 400:
            failures.append(f"{endpoint}: {response.status_code}")
            continue
        # Nothing before is edited or removed, and the new events name the actor and a time.
        if after[:len(before)] != before:
            failures.append(f"{endpoint} changed earlier audit events")
        new = after[len(before):]
        if not new and snapshot(app) == rows_before:
            failures.append(f"{endpoint} ({url}) did nothing: the test's data needs fixing")
        elif not new:
            failures.append(f"{endpoint} ({url}) wrote no audit event")
        for _id, at, actor_id, action, _type, _target in new:
            if actor_id != actor.id or at is None or not started <= at <= utcnow() + timedelta(seconds=5):
                failures.append(f"{endpoint}: event {action} by {actor_id} at {at}")
    assert failures == []


def test_exemptions_really_are_draft_work(app, world):
    """The exempt routes change only the draft's own tables (or nothing)."""
    client = signed_in(app, world["owner"])
    slug = world["slug"]
    before = snapshot(app)
    token = token_of(client)
    client.post(f"/authoring/courses/{slug}/lessons", data={"title": "Baru", "csrf_token": token})
    client.post(f"/authoring/courses/{slug}/edit/course.md", data={"text": "x", "csrf_token": token})
    client.post(f"/authoring/courses/{slug}/preview", json={"path": "course.md", "text": "y"},
                headers={"X-CSRFToken": token})
    after = snapshot(app)
    changed = {name for name in before if before[name] != after[name]}
    assert changed and changed <= {"course_drafts", "course_draft_files"}, changed


def test_no_route_can_change_or_delete_audit_events(app):
    rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in rules] == [("/admin/audit", ["GET"])]
    source = pathlib.Path(__file__).resolve().parents[2] / "elearn"
    writers = []
    for path in source.rglob("*.py"):
        text = path.read_text()
        for pattern in (r"delete\(\s*AuditEvent", r"update\(\s*AuditEvent", r"AuditEvent\)\s*\.\s*(delete|update)",
                        r"audit_events.*(DELETE|UPDATE)", r"(DELETE|UPDATE).*audit_events"):
            if re.search(pattern, text):
                writers.append(f"{path.relative_to(source.parent)}: {pattern}")
    assert writers == []


def test_the_audit_page_shows_actor_and_time(app, world):
    client = signed_in(app, world["hr"])
    token = token_of(client)
    client.post(f"/admin/users/{world['user_id']}/deactivate", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.actor_id == world["hr"].id, AuditEvent.action == "user.deactivate")) == 1
    page = signed_in(app, world["admin"]).get("/admin/audit").get_data(as_text=True)
    assert "user.deactivate" in page or "deactivate" in page.lower()
    with app.test_request_context():
        assert url_for("admin.audit_log") == "/admin/audit"
