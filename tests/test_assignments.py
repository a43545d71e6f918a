"""Assignments: HR assigns a course to a unit (with sub-units), a position or named people;
the learners see it on their home page; HR sees who has not started, who is late."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol, record_view
from elearn.models import AssignedPerson, Assignment, AuditEvent, Course, User
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.html import csrf_token

TODAY = local_date(utcnow())


@pytest.fixture
def office(app, make_unit, make_user, make_course):
    """A Dinas with a Puskesmas below it and a sibling Dinas; five people among them."""
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    puskesmas = make_unit("PKM-SB", "Puskesmas Siantar Barat", parent=dinkes)
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    people = {
        "kepala": make_user(name="Kepala Dinas", nip="197001011995031001", unit_id=dinkes.id, position="Kepala Dinas"),
        "perawat": make_user(name="Ani Perawat", nip="198503122010012002", unit_id=puskesmas.id,
                             position="Perawat Ahli Pertama"),
        "bidan": make_user(name="Butet Bidan", nip="199002022015032003", unit_id=puskesmas.id, position="Bidan"),
        "guru": make_user(name="Citra Guru", nip="198807072012012004", unit_id=disdik.id, position="Guru Kelas"),
    }
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    slug = make_course(quiz=False)
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == slug))
    return {"units": {"dinkes": dinkes, "puskesmas": puskesmas, "disdik": disdik}, "people": people,
            "hr": hr, "course_id": course_id, "slug": slug}


def hr_client(app, office):
    client = app.test_client()
    Auth(client).login(office["hr"].email)
    return client


def assign(client, **fields):
    token = csrf_token(client.get("/hr/assignments/new"))
    data = {"due_on": (TODAY + timedelta(days=30)).isoformat(), "unit_id": "", "position": "", "nips": "", "note": "",
            "csrf_token": token, **fields}
    return client.post("/hr/assignments/new", data=data)


def assigned_names(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(User.name).join(AssignedPerson, AssignedPerson.user_id == User.id)))


def test_a_unit_assignment_reaches_its_sub_units_and_not_its_siblings(app, office):
    client = hr_client(app, office)
    response = assign(client, course_id=office["course_id"], unit_id=office["units"]["dinkes"].id,
                      include_subunits="y")
    assert response.status_code == 302
    assert assigned_names(app) == {"Kepala Dinas", "Ani Perawat", "Butet Bidan"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "assignment.create")) == 1


def test_without_sub_units_only_the_unit_itself(app, office):
    assign(hr_client(app, office), course_id=office["course_id"], unit_id=office["units"]["dinkes"].id)
    assert assigned_names(app) == {"Kepala Dinas"}


def test_a_position_and_named_people_add_up(app, office):
    assign(hr_client(app, office), course_id=office["course_id"], position="perawat",
           nips=office["people"]["guru"].nip)
    assert assigned_names(app) == {"Ani Perawat", "Citra Guru"}


@pytest.mark.parametrize(("fields", "message"), [
    ({"nips": "199999999999999999"}, "Tidak ada pegawai aktif dengan NIP 199999999999999999"),
    ({"position": "astronaut"}, "Tidak ada yang cocok"),
    ({"due_on": "2000-01-01", "position": "guru"}, "Tanggal batas sudah lewat"),
    ({"due_on": "besok", "position": "guru"}, "Masukkan tanggal"),
    ({"unit_id": "999999"}, "Bukan pilihan yang sah"),
    ({"course_id": "999999", "position": "guru"}, "Bukan pilihan yang sah"),
])
def test_bad_assignments_are_refused_with_a_clear_message(app, office, fields, message):
    fields.setdefault("course_id", office["course_id"])
    response = assign(hr_client(app, office), **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_learners_see_their_assignment_and_hr_sees_where_each_stands(app, office):
    client = hr_client(app, office)
    assign(client, course_id=office["course_id"], unit_id=office["units"]["puskesmas"].id,
           note="Wajib bagi seluruh tenaga kesehatan")
    perawat, bidan = office["people"]["perawat"], office["people"]["bidan"]
    with app.app_context():
        course = db.session.get(Course, office["course_id"])
        enrolment = enrol(db.session.get(User, perawat.id), course)
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, utcnow())
        complete_if_done(enrolment, utcnow())
        started = enrol(db.session.get(User, bidan.id), course)
        record_view(started, course.active_lessons[0], utcnow())
        assignment = db.session.scalar(select(Assignment))
        assignment.due_on = TODAY - timedelta(days=1)
        db.session.commit()
        assignment_id = assignment.id

    learner = app.test_client()
    Auth(learner).login(bidan.nip)
    home = learner.get("/").get_data(as_text=True)
    assert "Ditugaskan kepada Anda" in home and "Etika Pelayanan di Kantor Kelurahan" in home
    assert "Terlambat" in home and "Wajib bagi seluruh tenaga kesehatan" in home

    page = client.get(f"/hr/assignments/{assignment_id}").get_data(as_text=True)
    rows = {name: page.split(name, 1)[1].split("</tr>", 1)[0] for name in ("Ani Perawat", "Butet Bidan")}
    assert "Selesai" in rows["Ani Perawat"] and "Terlambat" not in rows["Ani Perawat"]
    assert "Sedang berjalan" in rows["Butet Bidan"] and "Terlambat" in rows["Butet Bidan"]
    index = client.get("/hr/assignments/").get_data(as_text=True)
    assert "<td>2</td>\n    <td>0</td>\n    <td>1</td>\n    <td>1</td>" in index


def test_learners_cannot_assign(app, office):
    learner = app.test_client()
    Auth(learner).login(office["people"]["guru"].nip)
    assert learner.get("/hr/assignments/").status_code == 403
    assert learner.get("/hr/assignments/new").status_code == 403
