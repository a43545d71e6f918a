"""The benchmark's signed-in requests are a browser's: after signing in, they do not make the app
rewrite the session cookie, which no browser that keeps its User-Agent would cause either. A
benchmark that did would measure a cookie signed on every request, not the pages."""
from bench import serving
from tests.html import csrf_token


def test_replayed_requests_keep_the_session_cookie_of_the_sign_in(app, make_user):
    learner = make_user(name="Pembaca Bench", password=serving.PASSWORD)
    cookie, token = serving.sign_in(app, learner.email, csrf_token)
    replay = app.test_client(use_cookies=False)

    same_browser = replay.get("/", headers=serving.headers(cookie))
    assert same_browser.status_code == 200 and token in same_browser.get_data(as_text=True)
    assert "Set-Cookie" not in same_browser.headers

    other_agent = replay.get("/", headers={"Cookie": cookie, "User-Agent": "another browser"})
    assert other_agent.status_code == 200
    assert other_agent.headers["Set-Cookie"].startswith("session=")
