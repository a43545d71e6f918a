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


def test_people_with_the_same_menu_keep_their_own_log_out_token(app, make_user):
    """The menu is shared by everyone with the same roles and language; the log-out form's CSRF
    token, which belongs to one session, stays outside it."""
    tokens = []
    for name in ("Peserta Satu", "Peserta Dua"):
        client = app.test_client()
        Auth(client).login(make_user(name=name).email)
        token = Auth(client).csrf_token("/")
        assert f'value="{token}"' in menu(client)
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_course_cards_follow_the_language(client, make_user, make_course):
    make_course()
    Auth(client).login(make_user().email)
    assert "sekitar 30 menit" in client.get("/courses").get_data(as_text=True)
    english = client.get("/courses?lang=en").get_data(as_text=True)
    assert "about 30 minutes" in english and "sekitar 30 menit" not in english


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
