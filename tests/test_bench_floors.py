"""The benchmark's floors (bench/floors.py) are what their names say: a public page, the same
inside the layout a visitor sees, a page that needs a signed-in learner, and that page inside the
site's layout. A floor that let an anonymous request through, or that rendered less than the real
layout, would make the benchmark's comparison with the real pages meaningless."""
import pytest

from bench import floors
from elearn.extensions import db
from tests.conftest import Auth, _test_config


@pytest.fixture
def floors_app(database_url):
    app = floors.create(_test_config(database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_floors_answer_as_their_names_say(floors_app, make_user):
    learner = make_user(name="Pembaca Lantai")
    client = floors_app.test_client()

    assert client.get("/bench/public").get_data(as_text=True) == "ok"
    public_page = client.get("/bench/public-layout").get_data(as_text=True)
    assert "<main" in public_page and 'lang="en"' in public_page  # the language switch
    assert 'href="/courses"' not in public_page  # no menu for a visitor
    for path in ("/bench/signed-in", "/bench/layout"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location

    Auth(client).login(learner.email)
    assert client.get("/bench/signed-in").get_data(as_text=True) == "ok"
    page = client.get("/bench/layout").get_data(as_text=True)
    assert 'name="csrf_token"' in page  # the log-out form of the menu
    assert 'href="/courses"' in page and "<main" in page
