"""CSRF: every route that takes a POST refuses one without a valid token, for the role that may
use it; JSON posts need the X-CSRFToken header. Only the API is exempt, and it takes no POST."""
import pytest
from flask import url_for

from tests.security.conftest import changed_tables, signed_in, snapshot, token_of
from tests.test_access import ACCESS

# Routes exempt from CSRF, with the reason. The API is read with bearer tokens and is GET-only
# (checked below), so it has nothing to exempt.
EXEMPT: dict[str, str] = {}

# The app's answer to a missing or bad token (in Indonesian, the default language).
CSRF_MESSAGE = "Formulir sudah kedaluwarsa atau dikirim dari situs lain."

# The role whose session each POST is tried with: one the route is open to.
ROLE_ORDER = ("learner", "trainer", "hr", "admin", "anonymous")


def _post_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda r: r.rule)


def _url(app, rule, values):
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_the_api_takes_no_post(app):
    assert [rule.rule for rule in _post_rules(app) if rule.rule.startswith("/api/")] == []


def test_csrf_protection_is_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


@pytest.mark.parametrize("bad_token", ["missing", "forged", "other_session"])
def test_every_post_without_a_valid_token_is_refused(app, world, make_user, bad_token):
    values = {**world, "path": "01-bagian-1.md", "item_id": world["item_id"], "lesson_slug": "bagian-1",
              "key": "cek-1", "decision": "approve", "question_key": "esai", "attempt_id": world["attempt_id"],
              "notification_id": 1}
    clients = {"learner": signed_in(app, world["other"]), "trainer": signed_in(app, world["owner"]),
               "hr": signed_in(app, world["hr"]), "admin": signed_in(app, world["admin"]),
               "anonymous": app.test_client()}
    elsewhere = signed_in(app, world["other"])
    foreign_token = token_of(elsewhere)
    failures = []
    for rule in _post_rules(app):
        if rule.endpoint in EXEMPT:
            continue
        role = next((r for r in ROLE_ORDER if r in ACCESS[rule.endpoint] or r == "anonymous"), "anonymous")
        if rule.endpoint == "auth.login":
            role = "anonymous"
        client = clients[role]
        url = _url(app, rule, values)
        data = {"action": "start", "name": "x", "title": "x", "note": "x"}
        if bad_token == "forged":
            data["csrf_token"] = "IjAwMDAi.ZZZZZZ.forged-token"
        elif bad_token == "other_session":
            data["csrf_token"] = foreign_token
        before = snapshot(app)
        response = client.post(url, data=data)
        if response.status_code != 400:
            failures.append(f"POST {url} as {role} with {bad_token} token: {response.status_code}")
        elif CSRF_MESSAGE not in response.get_data(as_text=True):
            failures.append(f"POST {url}: 400, but not the CSRF refusal")
        if changed_tables(before, snapshot(app)):
            failures.append(f"POST {url} wrote without a token")
    assert failures == []


def test_json_posts_need_the_header_or_the_form_token(app, world):
    """The page scripts post with Accept: application/json; without X-CSRFToken they are refused."""
    learner = world["other"]
    client = signed_in(app, learner)
    token = token_of(client)
    # Enrol the learner in the first course the normal way, so the knowledge check is theirs to answer.
    assert client.post(f"/courses/{world['slug']}/enroll", data={"csrf_token": token}).status_code == 302
    check = f"/courses/{world['slug']}/lessons/bagian-1/checks/cek-1"
    json_accept = {"Accept": "application/json"}
    for headers in (json_accept, {**json_accept, "X-CSRFToken": "nope"}):
        refused = client.post(check, data={"answer": "true"}, headers=headers)
        assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_data(as_text=True)
    answered = client.post(check, data={"answer": "true"}, headers={**json_accept, "X-CSRFToken": token})
    assert answered.is_json, answered.get_data(as_text=True)[:300]

    quiz = f"/courses/{world['essay_slug']}/quiz"
    assert client.post(quiz, data={"action": "start", "csrf_token": token}).status_code == 302
    save = {"action": "save"}
    refused = client.post(quiz, data=save, headers=json_accept)
    assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_data(as_text=True)
    response = client.post(quiz, data=save, headers={**json_accept, "X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["saved"] is True

    owner = signed_in(app, world["owner"])
    preview = f"/authoring/courses/{world['slug']}/preview"
    body = {"path": "course.md", "text": "x"}
    assert owner.post(preview, json=body).status_code == 400
    assert owner.post(preview, json=body, headers={"X-CSRFToken": token}).status_code == 400  # another session's
    assert owner.post(preview, json=body, headers={"X-CSRFToken": token_of(owner)}).status_code == 200
