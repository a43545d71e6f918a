"""Evaluation after a course: the reaction survey and its certificate gate, the follow-up some
weeks later with the supervisor's confirmation, the figures for trainers and HR, and the
course settings behind them."""
import csv
import io
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from elearn.certificates.issuing import issue_certificate
from elearn.courses.loader import CourseError, load
from elearn.evaluation import aggregates, follow_up, operations
from elearn.extensions import db
from elearn.models import (
    AuditEvent,
    Course,
    CourseTrainer,
    Enrolment,
    FollowUp,
    SurveyResponse,
    Unit,
)
from elearn.timeutil import utcnow
from tests.conftest import Auth
from tests.coursefiles import course_files
from tests.html import csrf_token

SLUG = "etika-pelayanan"
ORGANISER = "organiser: BKPSDM Kota Pematangsiantar\n"
GOOD = {"relevance": "5", "material": "4", "applicability": "3", "comment": "Sangat berguna di loket."}
# The header of the course file, as documented in the README.
COURSE_HEADER = [
    "nip", "nama", "unit", "selesai", "relevansi", "materi", "penerapan", "komentar", "diterapkan", "perubahan",
    "tindak_lanjut_dikirim", "atasan", "status_konfirmasi", "dikonfirmasi", "catatan_atasan",
]
UNIT_HEADER = [
    "kode", "unit", "respons", "rata_relevansi", "rata_materi", "rata_penerapan", "tindak_lanjut_dikirim",
    "tindak_lanjut_dikonfirmasi",
]


def files_with(settings: str, slug: str = SLUG) -> dict[str, bytes]:
    """A valid course whose course.md carries these extra front-matter lines (lines 11 on)."""
    files = course_files(slug)
    text = files["course.md"].decode().replace(ORGANISER, ORGANISER + settings)
    return {**files, "course.md": text.encode()}


def signed_in(app, user):
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    client.get("/?lang=en")
    return client


def post(client, url, data=None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client.get("/"))})


def complete(app, user, slug=SLUG, at=None):
    """A completed enrolment with its certificate, as the completion path leaves them."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=at or utcnow())
        db.session.add(enrolment)
        db.session.flush()
        certificate = issue_certificate(enrolment, course.current_version, enrolment.completed_at)
        db.session.commit()
        return SimpleNamespace(id=enrolment.id, certificate_id=certificate.id)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def set_head(app, unit, user):
    with app.app_context():
        db.session.get(Unit, unit.id).head_id = user.id
        db.session.commit()


# Course settings -----------------------------------------------------------------------------

def test_the_loader_defaults_to_an_optional_survey_and_a_follow_up_after_30_days():
    meta = load(course_files(), SLUG, f"courses/{SLUG}").meta
    assert (meta["survey"], meta["follow_up_days"]) == ("optional", 30)
    meta = load(files_with("survey: required\nfollow_up_days: 0\n"), SLUG, f"courses/{SLUG}").meta
    assert (meta["survey"], meta["follow_up_days"]) == ("required", 0)


@pytest.mark.parametrize("settings, line, message", [
    ("survey: yes\n", 11, "survey: must be one of: required, optional."),
    ("survey: wajib\n", 11, "survey: must be one of: required, optional."),
    ("follow_up_days: 366\n", 11, "follow_up_days: must be between 0 and 365."),
    ("follow_up_days: -1\n", 11, "follow_up_days: must be between 0 and 365."),
    ("follow_up_days: 2.5\n", 11, "follow_up_days: a whole number is needed."),
    ("survey: optional\nfollow_up_days: tiga puluh\n", 12, "follow_up_days: a whole number is needed."),
])
def test_the_loader_rejects_bad_evaluation_settings_with_file_and_line(settings, line, message):
    with pytest.raises(CourseError) as caught:
        load(files_with(settings), SLUG, f"courses/{SLUG}")
    assert [str(p) for p in caught.value.problems] == [f"courses/{SLUG}/course.md:{line}: {message}"]


def test_the_importer_stores_the_settings_and_a_reimport_changes_them(app, make_course):
    make_course(files=files_with("survey: required\nfollow_up_days: 14\n"))
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert (course.survey_required, course.follow_up_days) == (True, 14)
    make_course(files=course_files(SLUG))
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert (course.survey_required, course.follow_up_days) == (False, 30)


# Reaction survey and the certificate gate ------------------------------------------------------

def test_a_required_survey_holds_the_owners_certificate_until_answered(app, make_course, make_user):
    make_course(files=files_with("survey: required\n"))
    learner = make_user()
    done = complete(app, learner)
    client = signed_in(app, learner)
    pdf = f"/certificates/{done.certificate_id}.pdf"

    held = client.get(pdf)
    assert held.status_code == 302 and held.headers["Location"] == f"/courses/{SLUG}/survey"
    page = client.get(held.headers["Location"]).get_data(as_text=True)
    assert "Please answer the short course survey first" in page
    assert "Your certificate can be downloaded once you have answered." in page

    assert post(client, f"/courses/{SLUG}/survey", GOOD).headers["Location"] == "/"
    released = client.get(pdf)
    assert released.status_code == 200 and released.mimetype == "application/pdf"


def test_hr_downloads_a_certificate_whose_survey_is_not_answered(app, make_course, make_user):
    make_course(files=files_with("survey: required\n"))
    done = complete(app, make_user())
    hr = make_user(roles=("hr",))
    response = signed_in(app, hr).get(f"/certificates/{done.certificate_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_an_optional_survey_is_offered_on_the_home_page_but_holds_nothing(app, make_course, make_user):
    make_course()
    learner = make_user()
    done = complete(app, learner)
    client = signed_in(app, learner)
    assert client.get(f"/certificates/{done.certificate_id}.pdf").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert "Fill in the survey" in home and f"/courses/{SLUG}/survey" in home
    post(client, f"/courses/{SLUG}/survey", GOOD)
    assert "Fill in the survey" not in client.get("/").get_data(as_text=True)


def test_one_response_per_enrolment_and_a_second_submit_changes_nothing(app, make_course, make_user):
    make_course()
    learner = make_user()
    done = complete(app, learner)
    client = signed_in(app, learner)
    post(client, f"/courses/{SLUG}/survey", GOOD)
    again = post(client, f"/courses/{SLUG}/survey", {**GOOD, "relevance": "1", "comment": "Lain"})
    assert again.status_code == 200
    assert "You have already answered this survey. Your first answers are kept." in again.get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(SurveyResponse))
        assert (response.enrolment_id, response.relevance, response.material, response.applicability) == (
            done.id, 5, 4, 3)
        assert response.comment == "Sangat berguna di loket."
        with pytest.raises(operations.SurveyError):
            operations.submit_survey(db.session.get(Enrolment, done.id), {"relevance": 2, "material": 2,
                                                                      "applicability": 2}, None)
    assert count(app, SurveyResponse) == 1


@pytest.mark.parametrize("changes", [
    {"relevance": "6"},
    {"material": "0"},
    {"applicability": "lima"},
    {"relevance": None},
    {"material": None, "applicability": None},
])
def test_a_missing_or_out_of_range_rating_is_refused_and_nothing_is_stored(app, make_course, make_user, changes):
    make_course()
    learner = make_user()
    complete(app, learner)
    client = signed_in(app, learner)
    data = {name: value for name, value in {**GOOD, **changes}.items() if value is not None}
    response = post(client, f"/courses/{SLUG}/survey", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("Choose a rating from 1 to 5.") == len(changes)
    assert "Sangat berguna di loket." in page
    assert count(app, SurveyResponse) == 0


def test_the_survey_operation_checks_ratings_itself(app, make_course, make_user):
    make_course()
    done = complete(app, make_user())
    with app.app_context():
        enrolment = db.session.get(Enrolment, done.id)
        for ratings in ({"relevance": 5, "material": 4}, {"relevance": 5, "material": 4, "applicability": 9},
                        {"relevance": True, "material": 4, "applicability": 3}):
            with pytest.raises(operations.SurveyError):
                operations.submit_survey(enrolment, ratings, None)
    assert count(app, SurveyResponse) == 0


def test_the_survey_waits_for_completion(app, client, auth, make_course, make_user):
    make_course()
    learner = make_user()
    auth.login(learner.email)
    assert client.get(f"/courses/{SLUG}/survey").headers["Location"] == f"/courses/{SLUG}"
    post(client, f"/courses/{SLUG}/enroll")
    refused = post(client, f"/courses/{SLUG}/survey", GOOD)
    assert refused.headers["Location"] == f"/courses/{SLUG}"
    assert count(app, SurveyResponse) == 0


# Follow-up and its timing ---------------------------------------------------------------------

def test_the_follow_up_falls_due_on_the_citys_date():
    course = Course(follow_up_days=30)
    # 20:00 UTC on 1 March is already 2 March in Jakarta.
    enrolment = Enrolment(course=course, completed_at=datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    assert follow_up.due_on(enrolment) == date(2026, 4, 1)
    assert not follow_up.is_due(enrolment, date(2026, 3, 31))
    assert follow_up.is_due(enrolment, date(2026, 4, 1))
    assert follow_up.due_on(Enrolment(course=course)) is None
    never = Enrolment(course=Course(follow_up_days=0), completed_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert follow_up.due_on(never) is None and not follow_up.is_due(never, date(2030, 1, 1))


def test_the_home_page_asks_only_once_the_days_have_passed(app, make_course, make_user):
    make_course(files=files_with("follow_up_days: 30\n"))
    make_course(files=files_with("follow_up_days: 0\n", slug="tanpa-tindak-lanjut"), slug="tanpa-tindak-lanjut")
    early, late = make_user(), make_user()
    complete(app, early, at=utcnow() - timedelta(days=28))
    complete(app, late, at=utcnow() - timedelta(days=31))
    complete(app, late, slug="tanpa-tindak-lanjut", at=utcnow() - timedelta(days=400))

    early_client = signed_in(app, early)
    assert "What have you applied?" not in early_client.get("/").get_data(as_text=True)
    too_soon = early_client.get(f"/courses/{SLUG}/follow-up")
    assert too_soon.headers["Location"] == "/"
    assert "We will ask you on" in early_client.get("/").get_data(as_text=True)

    late_client = signed_in(app, late)
    home = late_client.get("/").get_data(as_text=True)
    assert "What have you applied?" in home and f"/courses/{SLUG}/follow-up" in home
    assert "/courses/tanpa-tindak-lanjut/follow-up" not in home
    assert late_client.get("/courses/tanpa-tindak-lanjut/follow-up").headers["Location"] == "/"

    answered = post(late_client, f"/courses/{SLUG}/follow-up", {"applied": "Antrean dengan nomor",
                                                                "changed": "Warga menunggu lebih singkat"})
    assert answered.headers["Location"] == "/"
    assert "What have you applied?" not in late_client.get("/").get_data(as_text=True)
    again = post(late_client, f"/courses/{SLUG}/follow-up", {"applied": "Lain", "changed": "Lain"})
    assert "Your first answers are kept." in again.get_data(as_text=True)
    with app.app_context():
        given = db.session.scalar(select(FollowUp))
        assert (given.applied, given.changed) == ("Antrean dengan nomor", "Warga menunggu lebih singkat")
    assert count(app, FollowUp) == 1


def test_both_follow_up_answers_are_required(app, make_course, make_user):
    make_course()
    learner = make_user()
    complete(app, learner, at=utcnow() - timedelta(days=31))
    client = signed_in(app, learner)
    response = post(client, f"/courses/{SLUG}/follow-up", {"applied": "  ", "changed": "x" * 2001})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Describe what you applied." in page
    assert "Field cannot be longer than 2000 characters." in page
    assert count(app, FollowUp) == 0


# Supervisors and confirmation -------------------------------------------------------------------

@pytest.fixture
def office(app, make_unit, make_user, make_course):
    """Dinas Kesehatan with its head, a Puskesmas under it with its head and a nurse, and a
    unit without any head; everyone completed the course 31 days ago."""
    make_course()
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    puskesmas = make_unit("PKM-SB", "Puskesmas Siantar Barat", parent=dinkes)
    headless = make_unit("KEC-X", "Kecamatan X")
    people = SimpleNamespace(
        dinkes=dinkes, puskesmas=puskesmas,
        kadis=make_user(name="Kepala Dinas", unit_id=dinkes.id),
        kapus=make_user(name="Kepala Puskesmas", unit_id=puskesmas.id),
        nurse=make_user(name="Perawat", unit_id=puskesmas.id),
        clerk=make_user(name="Pengadministrasi", unit_id=headless.id),
    )
    set_head(app, dinkes, people.kadis)
    set_head(app, puskesmas, people.kapus)
    for person in (people.kapus, people.nurse, people.clerk):
        complete(app, person, at=utcnow() - timedelta(days=31))
    return people


def answer_follow_up(app, person):
    post(signed_in(app, person), f"/courses/{SLUG}/follow-up",
         {"applied": f"Yang diterapkan {person.name}", "changed": "Layanan lebih cepat"})
    with app.app_context():
        return db.session.scalar(select(FollowUp).join(Enrolment).where(Enrolment.user_id == person.id))


def test_the_supervisor_is_the_unit_head_or_for_the_head_the_parent_units_head(app, office):
    assert answer_follow_up(app, office.nurse).supervisor_id == office.kapus.id
    assert answer_follow_up(app, office.kapus).supervisor_id == office.kadis.id
    assert answer_follow_up(app, office.clerk).supervisor_id is None


def test_only_the_supervisor_confirms(app, office, make_user):
    given = answer_follow_up(app, office.nurse)
    kapus = signed_in(app, office.kapus)
    page = kapus.get("/evaluation/confirm").get_data(as_text=True)
    assert "Perawat" in page and "Yang diterapkan Perawat" in page
    home = kapus.get("/").get_data(as_text=True)
    assert "Follow-ups to confirm" in home and "One of your staff has reported what they applied" in home

    url = f"/evaluation/follow-ups/{given.id}/confirm"
    for other in (office.kadis, office.nurse, make_user(roles=("hr",)), make_user(roles=("admin",))):
        assert post(signed_in(app, other), url, {"note": "Bukan atasan"}).status_code == 404
        assert "Yang diterapkan Perawat" not in signed_in(app, other).get("/evaluation/confirm").get_data(
            as_text=True)
    assert post(kapus, "/evaluation/follow-ups/999999/confirm").status_code == 404
    assert count(app, FollowUp, FollowUp.confirmed_at.is_not(None)) == 0

    assert post(kapus, url, {"note": "Sudah saya lihat sendiri."}).headers["Location"] == "/evaluation/confirm"
    assert "Nothing to confirm." in kapus.get("/evaluation/confirm").get_data(as_text=True)
    again = post(kapus, url, {"note": "Lagi"})
    assert "already been confirmed" in kapus.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        confirmed = db.session.get(FollowUp, given.id)
        assert confirmed.confirmed_at is not None and confirmed.supervisor_note == "Sudah saya lihat sendiri."
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_type == "follow_up")) == (
            "follow_up.confirm")
    page = signed_in(app, office.nurse).get(f"/courses/{SLUG}/follow-up").get_data(as_text=True)
    assert "Confirmed by Kepala Puskesmas" in page and "Sudah saya lihat sendiri." in page


# Aggregates and files ---------------------------------------------------------------------------

@pytest.fixture
def answers(app, office):
    """Survey answers from the three learners, and the follow-ups: the nurse's confirmed."""
    ratings = {office.kapus: (5, 4, 4, "Bagus"), office.nurse: (3, 5, 2, "=HYPERLINK(\"x\")"),
               office.clerk: (4, 2, 1, None)}
    for person, (relevance, material, applicability, comment) in ratings.items():
        post(signed_in(app, person), f"/courses/{SLUG}/survey", {
            "relevance": relevance, "material": material, "applicability": applicability, "comment": comment or ""})
    given = answer_follow_up(app, office.nurse)
    answer_follow_up(app, office.clerk)
    post(signed_in(app, office.kapus), f"/evaluation/follow-ups/{given.id}/confirm", {"note": "Benar"})
    return ratings


def test_course_figures_match_the_answers(app, office, answers):
    with app.app_context():
        course = db.session.scalar(select(Course))
        figures = aggregates.course_evaluation(course, limit=100)
    values = list(answers.values())
    assert figures.ratings == aggregates.Ratings(
        3, *(round(mean(v[i] for v in values), 2) for i in range(3)))
    assert sorted(c.text for c in figures.comments) == sorted(["Bagus", "=HYPERLINK(\"x\")"])
    assert (figures.follow_up_count, figures.confirmed_count) == (2, 1)
    assert {(row.learner, row.state) for row in figures.follow_ups} == {
        ("Perawat", "confirmed"), ("Pengadministrasi", "no_supervisor")}


def test_unit_figures_include_sub_units(app, office, answers):
    with app.app_context():
        rows = {row.code: row for row in aggregates.unit_rows()}
    dinkes = [answers[office.kapus], answers[office.nurse]]
    assert rows["DINKES"].depth == 0 and rows["PKM-SB"].depth == 1
    assert rows["DINKES"].ratings == rows["PKM-SB"].ratings == aggregates.Ratings(
        2, *(round(mean(v[i] for v in dinkes), 2) for i in range(3)))
    assert (rows["DINKES"].follow_ups, rows["DINKES"].confirmed) == (1, 1)
    assert rows["KEC-X"].ratings == aggregates.Ratings(1, 4.0, 2.0, 1.0)
    assert (rows["KEC-X"].follow_ups, rows["KEC-X"].confirmed) == (1, 0)


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=evaluasi-")
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_course_file_has_one_row_per_learner_who_answered(app, office, answers, make_user):
    hr = signed_in(app, make_user(roles=("hr",)))
    rows = read_csv(hr.get(f"/evaluation/courses/{SLUG}.csv"))
    assert rows[0] == COURSE_HEADER
    by_name = {row[1]: dict(zip(COURSE_HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Kepala Puskesmas", "Perawat", "Pengadministrasi"}
    nurse = by_name["Perawat"]
    assert (nurse["unit"], nurse["relevansi"], nurse["materi"], nurse["penerapan"]) == (
        "Puskesmas Siantar Barat", "3", "5", "2")
    # A formula typed by a learner stays text in a spreadsheet.
    assert nurse["komentar"] == "'=HYPERLINK(\"x\")"
    assert (nurse["atasan"], nurse["status_konfirmasi"], nurse["catatan_atasan"]) == (
        "Kepala Puskesmas", "dikonfirmasi", "Benar")
    assert date.fromisoformat(nurse["dikonfirmasi"]) and date.fromisoformat(nurse["selesai"])
    assert by_name["Pengadministrasi"]["status_konfirmasi"] == "tanpa atasan"
    assert by_name["Kepala Puskesmas"]["diterapkan"] == "" and by_name["Kepala Puskesmas"]["komentar"] == "Bagus"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evaluation.export"))
        assert event.target_type == "evaluation_course" and event.details["course"] == SLUG


def test_the_unit_file_matches_the_unit_figures(app, office, answers, make_user):
    hr = signed_in(app, make_user(roles=("hr",)))
    rows = read_csv(hr.get(f"/evaluation/units.csv?course={SLUG}"))
    assert rows[0] == UNIT_HEADER
    with app.app_context():
        expected = aggregates.unit_rows()
    assert [row[0] for row in rows[1:]] == [row.code for row in expected] == ["DINKES", "PKM-SB", "KEC-X"]
    dinkes = dict(zip(UNIT_HEADER, rows[1], strict=True))
    assert (int(dinkes["respons"]), float(dinkes["rata_relevansi"]), int(dinkes["tindak_lanjut_dikirim"]),
            int(dinkes["tindak_lanjut_dikonfirmasi"])) == (2, expected[0].ratings.relevance, 1, 1)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "evaluation.export")) == {
            "format": "csv", "course": SLUG}
    assert hr.get("/evaluation/units?course=tidak-ada").status_code == 400


def test_course_figures_are_for_its_trainers_hr_and_admins(app, office, answers, make_user):
    trainer, other_trainer = make_user(roles=("trainer",)), make_user(roles=("trainer",))
    with app.app_context():
        course = db.session.scalar(select(Course))
        db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
        db.session.commit()
    page = signed_in(app, trainer).get(f"/evaluation/courses/{SLUG}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Yang diterapkan Perawat" in text and "Bagus" in text
    assert signed_in(app, trainer).get(f"/evaluation/courses/{SLUG}.csv").status_code == 200
    for role, status in ((other_trainer, 403), (office.nurse, 403), (make_user(roles=("hr",)), 200),
                         (make_user(roles=("admin",)), 200)):
        client = signed_in(app, role)
        assert client.get(f"/evaluation/courses/{SLUG}").status_code == status
        assert client.get(f"/evaluation/courses/{SLUG}.csv").status_code == status
    assert signed_in(app, trainer).get("/evaluation/units").status_code == 403
    assert signed_in(app, trainer).get("/evaluation/courses/tidak-ada").status_code == 404
    html = signed_in(app, make_user(roles=("hr",))).get("/evaluation/units").get_data(as_text=True)
    assert "Dinas Kesehatan" in html and "Kecamatan X" in html


# Setting the unit head ----------------------------------------------------------------------------

def test_hr_sets_the_head_of_a_unit_from_its_people(app, make_unit, make_user):
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    other = make_unit("DINSOS", "Dinas Sosial")
    teacher = make_user(name="Guru Senior", unit_id=unit.id)
    outsider = make_user(name="Orang Lain", unit_id=other.id)
    hr = signed_in(app, make_user(roles=("hr",)))
    form = hr.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert "Head of unit" in form and "Guru Senior" in form and "Orang Lain" not in form

    base = {"code": "DISDIK", "name": "Dinas Pendidikan", "parent_id": ""}
    refused = post(hr, f"/admin/units/{unit.id}", {**base, "head_id": str(outsider.id)})
    assert refused.status_code == 200 and "Not a valid choice." in refused.get_data(as_text=True)
    assert post(hr, f"/admin/units/{unit.id}", {**base, "head_id": str(teacher.id)}).status_code == 302
    with app.app_context():
        assert db.session.get(Unit, unit.id).head_id == teacher.id
        assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "unit.head")) == {
            "code": "DISDIK", "head_id": teacher.id}
    post(hr, f"/admin/units/{unit.id}", {**base, "head_id": ""})
    with app.app_context():
        assert db.session.get(Unit, unit.id).head_id is None
