from datetime import UTC, datetime

from flask_babel import format_datetime, format_decimal

from tests.html import csrf_token


def test_indonesian_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk" in html and "Kata sandi" in html


def test_lang_parameter_switches_to_english_and_is_remembered(client):
    assert "Password" in client.get("/login?lang=en").get_data(as_text=True)
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_unknown_language_falls_back_to_indonesian(client):
    assert '<html lang="id">' in client.get("/login?lang=xx").get_data(as_text=True)


def test_account_language_preference_applies_at_log_in(app, auth, make_user):
    make_user(email="en@pemko.example.go.id", locale="en")
    client = auth.client
    auth.login("en@pemko.example.go.id")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_saving_the_language_preference(client, auth, make_user):
    make_user(email="pref@pemko.example.go.id")
    auth.login("pref@pemko.example.go.id")
    token = csrf_token(client.get("/account"))
    client.post("/account", data={"locale": "en", "csrf_token": token})
    auth.logout()
    client.get("/login?lang=id")
    auth.login("pref@pemko.example.go.id")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_dates_and_numbers_in_indonesian_and_jakarta_time(app):
    with app.test_request_context("/"):
        moment = datetime(2026, 8, 17, 3, 0, tzinfo=UTC)
        assert format_datetime(moment, "EEEE, d MMMM yyyy HH:mm") == "Senin, 17 Agustus 2026 10:00"
        assert format_decimal(1234567.5) == "1.234.567,5"
