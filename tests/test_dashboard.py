"""The HR dashboard: figures that agree with the data, charts drawn on the server."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.hr.charts import Bar, horizontal_bars
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Course, RecordEntry, User
from elearn.timeutil import utcnow
from tests.conftest import Auth


@pytest.fixture
def city(app, make_unit, make_user, make_course):
    """Two Dinas, one with a Puskesmas below; three people complete a course, one does not."""
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    puskesmas = make_unit("PKM", "Puskesmas <b>Barat</b>", parent=dinkes)
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    people = [
        make_user(name="Ani", nip="198503122010012002", unit_id=puskesmas.id),
        make_user(name="Budi", nip="198503122010011003", unit_id=dinkes.id),
        make_user(name="Citra", nip="198807072012012004", unit_id=disdik.id),
        make_user(name="Dedi", nip="198807072012011005", unit_id=disdik.id),
    ]
    hr = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id")
    slugs = [make_course("etika-pelayanan", quiz=False, minutes=450), make_course("kursus-dua", quiz=False)]
    with app.app_context():
        big, small = (db.session.scalar(select(Course).where(Course.slug == slug)) for slug in slugs)
        for person in people[:3]:
            enrolment = enrol(db.session.get(User, person.id), big)
            for lesson in big.active_lessons:
                complete_lesson(enrolment, lesson, utcnow())
            complete_if_done(enrolment, utcnow())
        enrol(db.session.get(User, people[3].id), small)
        # Completed long ago: outside the twelve months shown, and in an earlier year's record.
        old = db.session.scalar(select(RecordEntry).where(RecordEntry.user_id == people[2].id))
        old.completed_on = old.completed_on - timedelta(days=800)
        old.year = old.completed_on.year
        db.session.commit()
        return {"hr": hr, "big_jp": big.jp, "big": big.title, "small": small.title}


def page(app, city) -> str:
    client = app.test_client()
    Auth(client).login(city["hr"].email)
    response = client.get("/hr/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_dashboard_figures_agree_with_the_data(app, city):
    html = page(app, city)
    assert city["big_jp"] >= 20  # each completion alone meets the target
    # Dinkes (with its Puskesmas): Ani and Budi meet the target; Disdik: neither Citra (her
    # course counts in an earlier year) nor Dedi.
    table = html.split("<summary>", 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>Dinas Kesehatan</td><td>2</td><td>2</td><td>100%</td>", table)
    assert re.search(r"<td>Dinas Pendidikan</td><td>2</td><td>0</td><td>0%</td>", table)
    assert "<strong>2 / 4</strong>" in html
    completed = html.split("kursus diselesaikan pada tahun", 1)[0].rsplit("<strong>", 1)[1]
    assert completed.startswith("2</strong>")  # Citra's completion is from long ago
    assert f"{city['big']} — <strong>100%</strong>" in html
    assert "<svg" in html and "Puskesmas &lt;b&gt;Barat&lt;/b&gt;" not in html.split("<svg", 1)[0]


def test_chart_labels_are_escaped():
    svg = str(horizontal_bars("Judul <x>", [Bar("Unit <script>alert(1)</script>", 50, "50%")], 100, marker=80))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<title>Judul &lt;x&gt;</title>" in svg


def test_learners_do_not_see_the_dashboard(app, city):
    client = app.test_client()
    Auth(client).login("198503122010012002")
    assert client.get("/hr/").status_code == 403
