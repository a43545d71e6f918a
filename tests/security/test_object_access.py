"""Object-level access: one learner's things (attempts, certificates, record, evidence, plan,
follow-up), a trainer's courses and essays, an administrator's tokens, are out of reach of
everyone else, by id, and a refused POST writes nothing."""
import pytest

from tests.security.conftest import changed_tables, signed_in, snapshot, token_of

ANSWER = "Saya melayani dengan ramah."


def _gets(w):
    """(who, url, statuses a refusal may answer with) for pages about someone else's thing."""
    learner_refusals = {403, 404}
    return [
        ("other", f"/courses/{w['essay_slug']}/quiz/attempts/1", {404}),
        ("other", f"/certificates/{w['ident']}.pdf", {404}),
        ("other", f"/certificates/{w['certificate_id']}.pdf", {404}),
        ("other", f"/hr/people/{w['user_id']}/record", {403}),
        ("other", f"/hr/people/{w['user_id']}/record.csv", {403}),
        ("other", f"/hr/people/{w['user_id']}/record.pdf", {403}),
        ("other", f"/trainings/{w['training_id']}/evidence", {404}),
        ("other", f"/plans/{w['plan_id']}", {404}),
        ("other", f"/trainer/grading/{w['attempt_id']}/esai", {403}),
        ("other", f"/authoring/courses/{w['slug']}", learner_refusals),
        ("stranger_trainer", f"/trainer/grading/{w['attempt_id']}/esai", {403}),
        ("stranger_trainer", f"/trainer/courses/{w['essay_slug']}", {403}),
        ("stranger_trainer", f"/trainer/courses/{w['essay_slug']}/grading", {403}),
        ("stranger_trainer", f"/evaluation/courses/{w['slug']}", {403}),
        ("stranger_trainer", f"/evaluation/courses/{w['slug']}.csv", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}/settings", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}/edit/course.md", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}/files/img/alur.png", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}/download", {403}),
        ("stranger_trainer", f"/authoring/courses/{w['slug']}/download?draft=1", {403}),
        ("stranger_trainer", f"/certificates/{w['ident']}.pdf", {404}),
        ("stranger_trainer", f"/plans/{w['plan_id']}", {404}),
        ("hr", "/admin/api-tokens", {403}),
    ]


def test_someone_elses_things_are_refused_by_id(app, world):
    failures = []
    for who, url, refusals in _gets(world):
        response = signed_in(app, world[who]).get(url)
        body = response.get_data()
        if response.status_code not in refusals:
            failures.append(f"GET {url} as {who}: {response.status_code}")
        if ANSWER.encode() in body or b"%PDF" in body or b"Target Pegawai" in body:
            failures.append(f"GET {url} as {who} shows the target's data")
    assert failures == []


def test_the_owners_reach_the_same_things(app, world):
    """The control: the refusals above are about who asks, not about broken URLs."""
    owner_pages = [f"/trainer/grading/{world['attempt_id']}/esai", f"/authoring/courses/{world['slug']}/settings",
                   f"/authoring/courses/{world['slug']}/files/img/alur.png"]
    for url in owner_pages:
        assert signed_in(app, world["owner"]).get(url).status_code == 200, url
    hr_pages = [f"/hr/people/{world['user_id']}/record", f"/trainings/{world['training_id']}/evidence",
                f"/certificates/{world['ident']}.pdf", f"/plans/{world['plan_id']}"]
    for url in hr_pages:
        assert signed_in(app, world["hr"]).get(url).status_code == 200, url


def test_lessons_and_quiz_of_a_course_one_is_not_enrolled_in_are_not_shown(app, world):
    client = signed_in(app, world["stranger_trainer"])
    for url in (f"/courses/{world['slug']}/lessons/bagian-1", f"/courses/{world['slug']}/quiz"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == f"/courses/{world['slug']}"
    # The learner's quiz page of the essay course does not show the target's attempt either.
    other = signed_in(app, world["other"])
    assert ANSWER.encode() not in other.get(f"/courses/{world['essay_slug']}/quiz").get_data()


def _posts(w):
    slug = w["slug"]
    return [
        ("other", f"/me/plan/items/{w['item_id']}/remove", {}, {404}),
        ("other", f"/plans/{w['plan_id']}/approve", {"note": "ok"}, {404}),
        ("other", f"/plans/{w['plan_id']}/return", {"note": "no"}, {404}),
        ("other", f"/evaluation/follow-ups/{w['follow_up_id']}/confirm", {"note": "ok"}, {404}),
        ("other", f"/trainer/grading/{w['attempt_id']}/esai", {"score": "100", "comment": "x"}, {403}),
        ("other", f"/hr/trainings/{w['training_id']}/verify", {}, {403}),
        ("other", f"/hr/trainings/{w['training_id']}/reject", {"reason": "palsu"}, {403}),
        ("other", f"/hr/certificates/{w['certificate_id']}/revoke", {"reason": "palsu"}, {403}),
        ("other", f"/admin/api-tokens/{w['token_id']}/revoke", {}, {403}),
        ("other", f"/admin/users/{w['user_id']}/deactivate", {}, {403}),
        ("other", f"/admin/users/{w['user_id']}/reset-password", {}, {403}),
        ("hr", f"/admin/api-tokens/{w['token_id']}/revoke", {}, {403}),
        ("hr", f"/admin/users/{w['admin'].id}/deactivate", {}, {403}),
        ("hr", f"/admin/users/{w['admin'].id}/reset-password", {}, {403}),
        ("hr", f"/admin/users/{w['admin'].id}", {"name": "Diganti", "roles": "learner"}, {403}),
        ("stranger_trainer", f"/trainer/grading/{w['attempt_id']}/esai", {"score": "100", "comment": "x"}, {403}),
        ("stranger_trainer", f"/plans/{w['plan_id']}/approve", {"note": "ok"}, {404}),
        ("stranger_trainer", f"/authoring/courses/{slug}/draft", {}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/discard", {}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/settings", {"title": "Diganti"}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/edit/course.md", {"text": "diganti"}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/lessons", {"title": "Baru"}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/move/01-bagian-1.md", {"direction": "down"}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/remove/quiz.md", {}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/images", {}, {403}),
        ("stranger_trainer", f"/authoring/courses/{slug}/publish", {}, {403}),
        # Not enrolled: sent back to the course page, nothing recorded.
        ("stranger_trainer", f"/courses/{slug}/lessons/bagian-1/complete", {}, {302}),
        ("stranger_trainer", f"/courses/{slug}/lessons/bagian-1/checks/cek-1", {"answer": "T"}, {302}),
        ("stranger_trainer", f"/courses/{slug}/quiz", {"action": "start"}, {302}),
        ("stranger_trainer", f"/courses/{w['essay_slug']}/survey", {"comment": "x"}, {302}),
        ("stranger_trainer", f"/courses/{w['essay_slug']}/follow-up", {"applied": "x", "changed": "y"}, {302}),
    ]


@pytest.mark.parametrize("who", ["other", "hr", "stranger_trainer"])
def test_refused_posts_on_someone_elses_things_change_nothing(app, world, who):
    failures = []
    for actor, url, data, refusals in _posts(world):
        if actor != who:
            continue
        client = signed_in(app, world[actor])
        token = token_of(client)
        before = snapshot(app)
        response = client.post(url, data={**data, "csrf_token": token})
        if response.status_code not in refusals:
            failures.append(f"POST {url} as {actor}: {response.status_code}")
        changed = changed_tables(before, snapshot(app))
        if changed:
            failures.append(f"POST {url} as {actor} changed {changed}")
    assert failures == []


def test_authoring_preview_of_someone_elses_course_is_refused(app, world):
    client = signed_in(app, world["stranger_trainer"])
    token = token_of(client)
    response = client.post(f"/authoring/courses/{world['slug']}/preview", json={"path": "course.md", "text": "x"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 403
