"""The admin's journey, done with the keyboard alone: sign in, create an API token, let another
system call the API with it, revoke it."""
import json
import urllib.error
import urllib.request

from playwright import sync_api

from tests.conftest import PASSWORD

NIP = "197905152005011003"


def call_api(journey, path: str, token: str) -> tuple[int, dict]:
    """The API as another system calls it: no browser, no cookie, only the token."""
    request = urllib.request.Request(journey.url(path), headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def press_enter(journey) -> None:
    journey.follow(":focus", key="Enter")


def test_admin_journey(journey, make_user, make_course):
    make_course()
    make_user(roles=("admin",), nip=NIP, name="Rina Marpaung")
    page = journey.page

    journey.open("/login")
    journey.tab_to("input[name=username]")
    page.keyboard.type(NIP)
    journey.tab_to("input[name=password]")
    page.keyboard.type(PASSWORD)
    press_enter(journey)
    sync_api.expect(page.locator("main")).to_contain_text("Rina Marpaung")

    journey.tab_to("nav a[href$='/api-tokens']")
    press_enter(journey)
    sync_api.expect(page.locator("main")).to_contain_text("Belum ada token.")

    journey.tab_to("input[name=name]")
    page.keyboard.type("SIMPEG BKPSDM")
    press_enter(journey)
    sync_api.expect(page.locator("h1")).to_have_text("Token API baru")
    token = page.locator(".secret code").inner_text().strip()

    status, body = call_api(journey, "/api/v1/courses", token)
    assert status == 200
    assert [course["id"] for course in body["items"]] == ["etika-pelayanan"]
    assert call_api(journey, "/api/v1/courses", token + "x")[0] == 401

    journey.tab_to("main a.button")
    press_enter(journey)
    row = page.locator("tr", has_text="SIMPEG BKPSDM")
    sync_api.expect(row).to_contain_text("Aktif")
    sync_api.expect(row).to_contain_text(token[:12] + "…")

    journey.tab_to("form[action$='/revoke'] button")
    press_enter(journey)
    assert journey.dialogs == ["Cabut token SIMPEG BKPSDM? Sistem yang memakainya tidak bisa lagi membaca API."]
    sync_api.expect(page.locator(".flash")).to_have_text("Token SIMPEG BKPSDM telah dicabut.")
    sync_api.expect(row).to_contain_text("Dicabut")
    status, body = call_api(journey, "/api/v1/courses", token)
    assert status == 401
    assert body["error"] == "The API token is wrong or has been revoked"
