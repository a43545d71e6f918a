"""Open redirects: the log-in ``next`` parameter (the only redirect target read from the request)
never sends the browser to another site."""
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, Auth
from tests.html import csrf_token

EXTERNAL = [
    "//evil.example", "//evil.example/path", "https://evil.example", "http://evil.example/login",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "https:evil.example", "/%09/evil.example", "/\t/evil.example",
    "%2F%2Fevil.example", "///evil.example", "ftp://evil.example", " //evil.example", "\x01//evil.example",
    "https://localhost@evil.example", "/login?x=1#@evil.example".replace("/login", "//evil.example"),
]


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return (not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith("//")
            and "\\" not in location and not any(ord(c) < 33 for c in location))


@pytest.mark.parametrize("target", EXTERNAL)
def test_login_next_never_leaves_the_site(client, make_user, target):
    user = make_user(email="asn@pemko.example.go.id")
    token = csrf_token(client.get("/login"))
    response = client.post("/login", query_string={"next": target},
                           data={"username": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert _stays_here(response.headers["Location"]), response.headers["Location"]
    # Already signed in, the log-in page redirects again at once: the same rule.
    again = client.get("/login", query_string={"next": target})
    assert again.status_code == 302 and _stays_here(again.headers["Location"]), again.headers["Location"]


def test_login_next_keeps_a_path_of_this_site(client, make_user):
    """The control: a local target is followed, so the refusals above are the rule at work."""
    user = make_user(email="asn@pemko.example.go.id")
    response = Auth(client).login(user.email, next_url="/me/record")
    assert response.headers["Location"] == "/me/record"
