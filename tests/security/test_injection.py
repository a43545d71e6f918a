"""SQL injection probes in every search and filter: never a server error, and wildcards or quotes
typed by the user match only themselves."""
import pytest

from elearn.api.tokens import create_token
from elearn.extensions import db
from elearn.models import User
from tests.security.conftest import signed_in

PROBES = [
    "' OR 1=1 --", "' OR '1'='1", "\" OR \"\"=\"", "1; DROP TABLE users; --", "') OR ('a'='a", "%", "%%", "_",
    "__", "\\", "\\%", "%' --", "' UNION SELECT NULL, NULL --", "1' AND SLEEP(5) --", "'; SELECT pg_sleep(5); --",
    "[a-z]*", ".*", "ñ̃ 測試 🙂", "ａｄｍｉｎ", "\u202e", "'" * 300, "x" * 5000, "%" * 200, "0x27", "NULL", "-1",
    "99999999999999999999999999", "2026-02-30", "../../etc/passwd",
]

# The page and the parameters it reads, with a harmless value for the others.
PAGES = [
    ("/courses", ("q", "competency")),
    ("/admin/users", ("q", "unit", "status", "page")),
    ("/hr/certificates", ("q",)),
    ("/hr/reports/completions", ("unit", "course", "from", "to", "competency", "status", "employment", "sort",
                                 "order", "page")),
    ("/hr/reports/jp", ("year", "unit", "status", "employment", "sort", "page")),
    ("/hr/reports/units", ("year", "unit", "sort")),
    ("/hr/reports/courses", ("from", "to", "competency", "sort")),
    ("/hr/reports/completions.csv", ("unit", "course", "from", "to", "sort")),
    ("/hr/reports/jp.xlsx", ("year", "unit")),
    ("/hr/reports/siasn", ("unit", "from", "to")),
    ("/hr/reports/siasn.csv", ("unit", "from", "to")),
    ("/evaluation/units", ("course",)),
    ("/evaluation/units.csv", ("course",)),
    ("/trainer/courses/etika-pelayanan", ("page",)),
    ("/admin/audit", ("page",)),
    ("/trainer/grading", ("page",)),
    ("/me/record", ("year",)),
    ("/me/plan", ("year",)),
]


def test_probes_in_searches_and_filters_never_fail(app, world):
    client = signed_in(app, world["admin"])
    failures = []
    for path, params in PAGES:
        for name in params:
            for probe in PROBES:
                response = client.get(path, query_string={name: probe})
                if response.status_code >= 500:
                    failures.append(f"{path}?{name}={probe[:30]!r}: {response.status_code}")
                response.close()
    assert failures == []


def test_probes_in_the_api_never_fail(app, world):
    with app.app_context():
        _, secret = create_token(db.session.get(User, world["admin"].id), "probe")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    failures = []
    for probe in PROBES:
        for path, query in (("/api/v1/completions", {"since": probe}), ("/api/v1/completions", {"cursor": probe}),
                            ("/api/v1/completions", {"limit": probe}), ("/api/v1/courses", {"x": probe}),
                            ("/api/v1/people/198503122010011002/record", {"year": probe})):
            status = client.get(path, query_string=query, headers=headers).status_code
            if status >= 500:
                failures.append(f"{path} {query}: {status}")
        status = client.get(f"/api/v1/people/{probe[:200]}/record", headers=headers).status_code
        if status not in (400, 404):
            failures.append(f"person {probe[:30]!r}: {status}")
        status = client.get("/api/v1/courses", headers={"Authorization": f"Bearer {probe[:500]}"}).status_code
        if status != 401:
            failures.append(f"bearer {probe[:30]!r}: {status}")
    assert failures == []


def test_probes_in_public_lookups_never_fail(app, world):
    client = app.test_client()
    signed = signed_in(app, world["other"])
    for probe in PROBES[:20]:
        assert client.get(f"/verify/{probe[:200]}").status_code in (404, 429), probe
        assert signed.get(f"/certificates/{probe[:200]}.pdf").status_code == 404, probe


@pytest.mark.parametrize("probe", ["%", "_", "%%", "' OR 1=1 --", "' OR '1'='1", "\\", "*"])
def test_wildcards_and_quotes_widen_no_search(app, world, probe):
    """Each search finds its row for a real term (the control) and nothing for a probe."""
    client = signed_in(app, world["admin"])
    title = "Etika Pelayanan di Kantor Kelurahan"
    assert title in client.get("/courses", query_string={"q": "Etika"}).get_data(as_text=True)
    assert title not in client.get("/courses", query_string={"q": probe}).get_data(as_text=True)

    assert "Target Pegawai" in client.get("/admin/users", query_string={"q": "Target"}).get_data(as_text=True)
    assert "Target Pegawai" not in client.get("/admin/users", query_string={"q": probe}).get_data(as_text=True)

    assert world["ident"] in client.get("/hr/certificates", query_string={"q": "Target"}).get_data(as_text=True)
    assert world["ident"] not in client.get("/hr/certificates", query_string={"q": probe}).get_data(as_text=True)


def test_an_unknown_unit_filter_is_refused_not_ignored(app, world):
    """A unit code that matches no unit must not fall back to 'all units'."""
    client = signed_in(app, world["admin"])
    for probe in ("' OR 1=1 --", "%", "_"):
        assert client.get("/hr/reports/completions", query_string={"unit": probe}).status_code == 400
        assert client.get("/hr/reports/siasn.csv", query_string={"unit": probe}).status_code == 400
        assert client.get("/evaluation/units.csv", query_string={"course": probe}).status_code == 400
