"""Parts of pages kept by each worker (elearn/fragments.py): the menu and the catalogue's course
cards. Each must follow what it depends on, at once, in the same worker that showed it before."""
from elearn import fragments
from elearn.accounts import operations
from elearn.extensions import db
from elearn.models import User
from tests.conftest import Auth
from tests.coursefiles import course_files

HR_LINK = 'href="/hr/reports/"'


def menu(client, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    start = page.index('class="main-nav"')
    return page[start:page.index("</nav>", start)]


def test_the_menu_follows_the_roles_and_the_language(app, client, make_user):
    person = make_user(name="Sari Lestari")
    Auth(client).login(person.email)
    assert ">Kursus</a>" in menu(client) and HR_LINK not in menu(client)

    with app.app_context():
        operations.set_roles(None, db.session.get(User, person.id), ["learner", "hr"])
        db.session.commit()
    assert HR_LINK in menu(client) and ">Laporan</a>" in menu(client)

    english = menu(client, "/?lang=en")
    assert ">Courses</a>" in english and ">Reports</a>" in english and ">Kursus</a>" not in english


def test_another_person_gets_their_own_menu_and_log_out_token(app, make_user):
    officer, learner = make_user(name="Petugas", roles=["hr"]), make_user(name="Peserta")
    pages = {}
    for person in (officer, learner):
        client = app.test_client()
        Auth(client).login(person.email)
        pages[person.name] = menu(client)
        assert Auth(client).csrf_token("/") in pages[person.name]
    assert HR_LINK in pages["Petugas"] and HR_LINK not in pages["Peserta"]


def test_a_full_store_starts_over_and_the_page_stays_whole(app, client, make_user, make_course, monkeypatch):
    for slug in ("etika-pelayanan", "arsip-digital", "rapat-efektif"):
        make_course(slug, files=course_files(slug))
    monkeypatch.setattr(fragments, "CAPACITY", 2)
    Auth(client).login(make_user().email)

    for _ in range(2):
        page = client.get("/courses").get_data(as_text=True)
        assert all(f'href="/courses/{slug}"' in page for slug in ("etika-pelayanan", "arsip-digital", "rapat-efektif"))
        assert page.count("sekitar 30 menit") == 3
        assert len(app.extensions["elearn.fragments"]) <= 2
