"""Training-needs analysis: gaps from requirements, recommendations, the needs matrix and its
one-step assignment, proposals by ASN, and individual development plans."""
import csv
import io

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import AssignedPerson, Course, DevelopmentPlan, ExternalTraining, TrainingNeed, Unit, User
from elearn.needs import operations
from elearn.needs.gaps import gaps, needs_matrix, recommendations
from elearn.records import operations as external
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.evidence import PDF
from tests.html import csrf_token

NURSE, TREASURER, TEACHER = "198503122010012002", "197901012005011001", "198807072012012004"


@pytest.fixture
def city(app, make_unit, make_user, make_course):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    puskesmas = make_unit("PKM", "Puskesmas Barat", parent=dinkes)
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    nurse = make_user(name="Ani Perawat", nip=NURSE, unit_id=puskesmas.id, position="Perawat")
    treasurer = make_user(name="Budi Bendahara", nip=TREASURER, unit_id=dinkes.id, position="Bendahara Pengeluaran")
    teacher = make_user(name="Citra Guru", nip=TEACHER, unit_id=disdik.id, position="Guru")
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    slug = make_course(quiz=False)  # tagged BerAKHLAK and pelayanan-publik
    client = app.test_client()
    Auth(client).login(hr.email)
    for tag, unit, position in (("BerAKHLAK", "", ""), ("pelayanan-publik", dinkes.id, ""),
                                ("Pengadaan", "", "bendahara")):
        token = csrf_token(client.get("/hr/needs/requirements"))
        assert client.post("/hr/needs/requirements", data={"tag": tag, "unit_id": unit, "position": position,
                                                           "csrf_token": token}).status_code == 302
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = enrol(db.session.get(User, nurse.id), course)
        for lesson in course.active_lessons:
            complete_lesson(enrolment, lesson, utcnow())
        complete_if_done(enrolment, utcnow())
        today = local_date(utcnow())
        training = external.submit(db.session.get(User, treasurer.id), {
            "title": "Pengadaan Barang/Jasa", "training_type": 3, "organiser": "LKPP", "competency": "teknis",
            "started_on": today, "ended_on": today, "jp": 24.0, "certificate_number": "LKPP/1",
            "tags": ["pengadaan "]}, "bukti.pdf", PDF)
        external.verify(db.session.get(User, hr.id), training, utcnow())
        db.session.commit()
        return {"hr": hr, "hr_client": client, "course_id": course.id, "units": {
            "dinkes": dinkes.id, "puskesmas": puskesmas.id, "disdik": disdik.id},
            "people": {"nurse": nurse, "treasurer": treasurer, "teacher": teacher}}


def people(app, *nips):
    return db.session.scalars(select(User).where(User.nip.in_(nips))).all()


def test_gaps_are_requirements_less_completed_courses_and_verified_trainings(app, city):
    with app.app_context():
        everyone = people(app, NURSE, TREASURER, TEACHER)
        found = {person.nip: sorted(tag.label for tag in tags) for person, tags in
                 ((p, gaps(everyone)[p.id]) for p in everyone)}
    assert found == {NURSE: [], TREASURER: ["BerAKHLAK", "pelayanan-publik"], TEACHER: ["BerAKHLAK"]}


def test_recommendations_close_gaps_with_courses_not_yet_completed(app, city):
    with app.app_context():
        teacher, nurse = people(app, TEACHER)[0], people(app, NURSE)[0]
        assert [(course.title, [tag.label for tag in tags]) for course, tags in recommendations(teacher)] == [
            ("Etika Pelayanan di Kantor Kelurahan", ["BerAKHLAK"])]
        assert recommendations(nurse) == []


def test_the_matrix_counts_who_lacks_what_per_unit_with_its_sub_units(app, city):
    with app.app_context():
        matrix = needs_matrix()
        rows = {row.unit.code: (row.headcount, {key: len(v) for key, v in row.lacking.items()}) for row in matrix.rows}
        assert rows == {"DINKES": (2, {"berakhlak": 1, "pelayanan-publik": 1}), "DISDIK": (1, {"berakhlak": 1})}
        assert [tag.key for tag in matrix.tags] == ["berakhlak", "pelayanan-publik", "pengadaan"]
        assert matrix.courses.get("pengadaan") is None
    page = city["hr_client"].get("/hr/needs/matrix").get_data(as_text=True)
    assert "belum ada kursus" in page
    body = city["hr_client"].get("/hr/needs/matrix.csv").data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert header == ["kode_unit", "unit", "pegawai", "BerAKHLAK", "pelayanan-publik", "Pengadaan"]
    assert rows[0] == ["DINKES", "Dinas Kesehatan", "2", "1", "1", "0"]
    assert rows[-1][3:] == ["etika-pelayanan", "etika-pelayanan", "(belum ada)"]


def test_one_step_assigns_the_course_to_exactly_those_who_lack_it(app, city):
    client = city["hr_client"]
    token = csrf_token(client.get("/hr/needs/matrix"))
    response = client.post("/hr/needs/matrix/assign", data={
        "unit_id": city["units"]["dinkes"], "course_id": city["course_id"], "tag": "berakhlak", "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assigned = db.session.scalars(select(User.nip).join(AssignedPerson, AssignedPerson.user_id == User.id)).all()
    assert assigned == [TREASURER]


def test_asn_propose_needs_and_hr_sees_them_by_unit_and_competency(app, city):
    for nip in (NURSE, TEACHER):
        client = app.test_client()
        Auth(client).login(nip)
        token = csrf_token(client.get("/me/needs"))
        bad = client.post("/me/needs", data={"competency": "", "reason": "", "preferred_form": "e-learning",
                                             "csrf_token": token})
        assert bad.status_code == 400 and "Masukkan kompetensi" in bad.get_data(as_text=True)
        client.post("/me/needs", data={"competency": "Analisis  Data", "reason": "Laporan bulanan",
                                       "preferred_form": "e-learning", "csrf_token": token})
    page = city["hr_client"].get("/hr/needs/proposals").get_data(as_text=True)
    assert "<td>Puskesmas Barat</td><td>analisis data</td><td>1</td>" in page
    assert "<td>Dinas Pendidikan</td><td>analisis data</td><td>1</td>" in page
    with app.app_context():
        assert db.session.query(TrainingNeed).count() == 2


def test_a_plan_is_drawn_up_by_the_asn_and_approved_by_their_supervisor(app, city, make_user):
    head = make_user(name="Kepala Dinas", nip="197001011995031001")
    with app.app_context():
        db.session.get(Unit, city["units"]["dinkes"]).head_id = head.id
        db.session.commit()
    learner = app.test_client()
    Auth(learner).login(TREASURER)
    page = learner.get("/me/plan").get_data(as_text=True)
    assert "BerAKHLAK" in page and "Etika Pelayanan di Kantor Kelurahan" in page
    token = csrf_token(learner.get("/me/plan"))
    learner.post("/me/plan/items", data={"competency": "BerAKHLAK", "course_id": str(city["course_id"]),
                                         "activity": "", "timing": "Triwulan I", "indicator": "Lulus kuis",
                                         "csrf_token": token})
    missing = learner.post("/me/plan/items", data={"competency": "Pengadaan", "course_id": "", "activity": "",
                                                   "timing": "", "indicator": "", "csrf_token": token})
    assert missing.status_code == 400
    learner.post("/me/plan/submit", data={"csrf_token": token})
    with app.app_context():
        plan = db.session.scalar(select(DevelopmentPlan))
        assert (plan.status, len(plan.items)) == ("submitted", 1)
        plan_id = plan.id

    stranger = app.test_client()
    Auth(stranger).login(TEACHER)
    assert stranger.get(f"/plans/{plan_id}").status_code == 404
    supervisor = app.test_client()
    Auth(supervisor).login(head.nip)
    assert "Budi Bendahara" in supervisor.get("/plans").get_data(as_text=True)
    token = csrf_token(supervisor.get(f"/plans/{plan_id}"))
    supervisor.post(f"/plans/{plan_id}/approve", data={"note": "Setuju", "csrf_token": token})
    with app.app_context():
        plan = db.session.get(DevelopmentPlan, plan_id)
        assert (plan.status, plan.approved_by_id, plan.note) == ("approved", head.id, "Setuju")
    # An approved plan is no longer changed by its owner.
    token = csrf_token(learner.get("/me/plan"))
    learner.post("/me/plan/items", data={"competency": "X", "course_id": "", "activity": "Magang",
                                         "timing": "Q4", "indicator": "Laporan", "csrf_token": token})
    with app.app_context():
        assert len(db.session.get(DevelopmentPlan, plan_id).items) == 1


def test_a_plan_item_is_done_once_its_course_is_completed(app, city):
    learner = app.test_client()
    Auth(learner).login(NURSE)
    token = csrf_token(learner.get("/me/plan"))
    learner.post("/me/plan/items", data={"competency": "BerAKHLAK", "course_id": str(city["course_id"]),
                                         "activity": "", "timing": "Triwulan I", "indicator": "Lulus",
                                         "csrf_token": token})
    assert '<span class="badge met">Selesai</span>' in learner.get("/me/plan").get_data(as_text=True)


def test_learners_cannot_open_the_needs_pages_of_hr(app, city):
    learner = app.test_client()
    Auth(learner).login(TEACHER)
    for url in ("/hr/needs/requirements", "/hr/needs/matrix", "/hr/needs/matrix.csv", "/hr/needs/proposals"):
        assert learner.get(url).status_code == 403, url
    with app.app_context():
        assert db.session.query(ExternalTraining).count() == 1


def test_the_home_page_recommends_what_closes_the_gaps_before_anything_else(app, city):
    client = app.test_client()
    Auth(client).login(TEACHER)
    home = client.get("/?lang=en").get_data(as_text=True)
    recommended = home.index("Recommended for you")
    assert recommended < home.index("Learning hours in")
    assert "Etika Pelayanan di Kantor Kelurahan" in home[recommended:home.index("Learning hours in")]
    nurse = app.test_client()
    Auth(nurse).login(NURSE)
    assert "Recommended for you" not in nurse.get("/?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("unit_id", ["99999999999999999999", "abc", ""])
def test_a_forged_unit_in_the_one_step_assignment_is_a_400(app, city, unit_id):
    client = city["hr_client"]
    token = csrf_token(client.get("/hr/needs/matrix"))
    response = client.post("/hr/needs/matrix/assign", data={
        "unit_id": unit_id, "course_id": city["course_id"], "tag": "berakhlak", "csrf_token": token})
    assert response.status_code == 400


def test_the_plan_operations_keep_a_sent_plan_as_it_was_sent(app, city):
    """The rules live in the operations: called directly, a sent plan takes no item, loses none,
    is not sent twice, and only a sent plan can be reviewed."""
    with app.test_request_context("/?lang=en"):
        nurse = people(app, NURSE)[0]
        hr = db.session.scalar(select(User).where(User.email == "bkpsdm@pemko.example.go.id"))
        year = local_date(utcnow()).year
        with pytest.raises(operations.NeedsError, match="at least one"):
            operations.submit_plan(nurse, None, year, utcnow())
        item = {"competency": "  Pengadaan   barang ", "course_id": None, "activity": "Bimtek", "timing": "Maret",
                "indicator": "Paket tepat waktu"}
        plan = operations.add_plan_item(nurse, year, None, utcnow(), **item)
        db.session.flush()
        assert [i.competency for i in plan.items] == ["Pengadaan barang"]
        with pytest.raises(operations.NeedsError, match="sent for approval"):
            operations.review_plan(hr, plan, True, None, utcnow())
        assert operations.submit_plan(nurse, plan, year, utcnow()) is True
        assert operations.submit_plan(nurse, plan, year, utcnow()) is False
        with pytest.raises(operations.NeedsError, match="can no longer be changed"):
            operations.add_plan_item(nurse, year, plan, utcnow(), **item)
        with pytest.raises(operations.NeedsError, match="can no longer be changed"):
            operations.remove_plan_item(plan.items[0])
        db.session.flush()
        assert (plan.status, len(plan.items)) == ("submitted", 1)
        operations.review_plan(hr, plan, False, "  Tambahkan target  ", utcnow())
        assert (plan.status, plan.note, plan.approved_by_id) == ("returned", "Tambahkan target", None)
