"""Who may open which route. Every route of the app must have a row here: a new route
without a decision fails the first test."""
import pytest
from flask import url_for

from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

ANONYMOUS = "anonymous"
ROLES = ("learner", "trainer", "hr", "admin")
EVERYONE = {ANONYMOUS, *ROLES}
SIGNED_IN = set(ROLES)
STAFF = {"hr", "admin"}
ADMIN = {"admin"}

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
    "admin.units": STAFF,
    "admin.new_unit": STAFF,
    "admin.edit_unit": STAFF,
    "admin.remove_unit": STAFF,
    "admin.import_roster": STAFF,
    "admin.import_units": STAFF,
    "admin.import_template": STAFF,
    "admin.audit_log": ADMIN,
    "learn.course_file": SIGNED_IN,
}


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ACCESS.keys() == set(), "add the new routes to ACCESS"
    assert ACCESS.keys() - endpoints == set(), "remove routes that no longer exist"


@pytest.fixture
def sample(make_user, make_unit, make_course):
    """Objects for the URLs' ids: a learner to act on, an empty unit, a course."""
    return {
        "user_id": make_user(name="Target Pegawai").id,
        "unit_id": make_unit("KOSONG", "Unit Kosong").id,
        "kind": "roster",
        "filename": "css/app.css",
        "slug": make_course(),
        "path": "img/alur.png",
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
        if role in ACCESS[endpoint]:
            ok = status < 400
        elif user is None:
            ok = status == 302 and response.headers["Location"].startswith("/login")
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{method} {url} as {role}: {status}")
    assert failures == []
