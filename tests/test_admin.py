import io

import pytest
from sqlalchemy import func, select

from elearn.accounts import operations
from elearn.extensions import db
from elearn.models import AuditEvent, Unit, User
from tests.html import csrf_token


@pytest.fixture
def hr(auth, make_user):
    user = make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM")
    auth.login(user.email)
    return user


def _post(client, url, data=None, page="/"):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client.get(page))})


def test_search_users_by_name_nip_and_unit_with_sub_units(client, hr, make_user, make_unit):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    puskesmas = make_unit("PKM-SB", "Puskesmas Siantar Barat", parent=dinkes)
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    make_user(name="Rina Marpaung", nip="198707172010012003", unit_id=puskesmas.id)
    make_user(name="Joko Sitorus", nip="197912312005011001", unit_id=disdik.id)

    def names(query):
        html = client.get(f"/admin/users?{query}").get_data(as_text=True)
        return {n for n in ("Rina Marpaung", "Joko Sitorus") if n in html}

    assert names("q=rina") == {"Rina Marpaung"}
    assert names("q=197912") == {"Joko Sitorus"}
    assert names("unit=DINKES") == {"Rina Marpaung"}
    assert names("unit=DISDIK") == {"Joko Sitorus"}
    assert names("q=%25") == set()
    assert names("q=_") == set()


def test_user_list_survives_nonsense_filters(client, hr):
    for query in ("page=abc", "page=-1", "page=99999", "unit=%27%3B--", "status=<script>", "q=" + "x" * 5000,
                  "per_page=100000"):
        assert client.get(f"/admin/users?{query}").status_code in (200, 404), query


def test_create_and_edit_a_user(app, client, hr, make_unit):
    unit = make_unit("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    response = _post(client, "/admin/users/new", {
        "name": "Maria Simanjuntak", "nip": "198811052012122001", "employment_type": "PNS",
        "unit_id": str(unit.id), "position": "Analis Kependudukan", "rank": "III/c",
        "birth_date": "05/11/1988",
    }, page="/admin/users/new")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.nip == "198811052012122001"))
        assert user.unit_id == unit.id and user.roles == {"learner"}
        assert str(user.birth_date) == "1988-11-05"
        user_id = user.id

    response = _post(client, f"/admin/users/{user_id}", {
        "name": "Maria Simanjuntak, S.Kom.", "nip": "198811052012122001", "employment_type": "PNS",
        "unit_id": "", "email": "maria@pemko.example.go.id",
    }, page=f"/admin/users/{user_id}")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.name == "Maria Simanjuntak, S.Kom." and user.unit_id is None
        assert user.email == "maria@pemko.example.go.id"
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target_id == str(user_id)).order_by(AuditEvent.id)
        ).all()
        assert actions == ["user.create", "user.update"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "Enter the name"),
        ({"nip": "1234"}, "18 digits"),
        ({"nip": "198813052012122001"}, "birth date"),
        ({"email": "bukan-email"}, "valid e-mail"),
        ({"nip": "", "email": ""}, "NIP or an e-mail"),
        ({"unit_id": "999999"}, "Not a valid choice"),
        ({"birth_date": "31/02/1990"}, "Not a valid date"),
        ({"employment_type": "HONORER"}, "Not a valid choice"),
    ],
)
def test_bad_user_form_is_refused_and_changes_nothing(app, client, hr, fields, message):
    data = {"name": "Coba", "nip": "198811052012122001", "employment_type": "PNS", "unit_id": ""}
    data.update(fields)
    client.get("/?lang=en")
    response = _post(client, "/admin/users/new", data, page="/admin/users/new")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_duplicate_nip_is_refused(app, client, hr, make_user):
    make_user(nip="198811052012122001")
    client.get("/?lang=en")
    response = _post(client, "/admin/users/new",
                     {"name": "Kembar", "nip": "198811052012122001", "employment_type": "PNS", "unit_id": ""},
                     page="/admin/users/new")
    assert "already uses this NIP" in response.get_data(as_text=True)


def test_deactivate_keeps_history_and_blocks_login(app, client, hr, make_user):
    learner = make_user(email="pindah@pemko.example.go.id")
    _post(client, f"/admin/users/{learner.id}/deactivate")
    with app.app_context():
        user = db.session.get(User, learner.id)
        assert user is not None and not user.active and user.deactivated_at is not None
    assert "pindah@pemko.example.go.id" not in client.get("/admin/users").get_data(as_text=True)
    assert "pindah@pemko.example.go.id" in client.get("/admin/users?status=inactive").get_data(as_text=True)

    from tests.conftest import Auth

    assert Auth(app.test_client()).login("pindah@pemko.example.go.id").status_code == 200
    _post(client, f"/admin/users/{learner.id}/activate")
    assert Auth(app.test_client()).login("pindah@pemko.example.go.id").status_code == 302


def test_hr_cannot_manage_an_administrator(client, hr, make_user):
    admin = make_user(roles=("admin",), email="admin2@pemko.example.go.id")
    assert client.get(f"/admin/users/{admin.id}").status_code == 403
    assert _post(client, f"/admin/users/{admin.id}/reset-password").status_code == 403
    assert _post(client, f"/admin/users/{admin.id}/deactivate").status_code == 403


def test_hr_cannot_grant_roles_but_admin_can(app, client, auth, hr, make_user):
    learner = make_user(nip="198811052012122001", name="Calon Pelatih")
    form = {"name": "Calon Pelatih", "nip": "198811052012122001", "employment_type": "PNS", "unit_id": "",
            "roles": ["trainer", "admin"]}
    _post(client, f"/admin/users/{learner.id}", form, page=f"/admin/users/{learner.id}")
    with app.app_context():
        assert db.session.get(User, learner.id).roles == {"learner"}

    auth.logout()
    admin = make_user(roles=("admin",), email="admin3@pemko.example.go.id")
    auth.login(admin.email)
    _post(client, f"/admin/users/{learner.id}", {**form, "roles": ["learner", "trainer"]},
          page=f"/admin/users/{learner.id}")
    with app.app_context():
        assert db.session.get(User, learner.id).roles == {"learner", "trainer"}


def test_admin_cannot_lock_themselves_out(app, client, auth, make_user):
    admin = make_user(roles=("admin",), email="admin4@pemko.example.go.id", name="Admin")
    auth.login(admin.email)
    _post(client, f"/admin/users/{admin.id}/deactivate")
    _post(client, f"/admin/users/{admin.id}",
          {"name": "Admin", "email": admin.email, "employment_type": "PNS", "unit_id": "", "roles": ["learner"]},
          page=f"/admin/users/{admin.id}")
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert user.active and user.roles == {"admin"}


def test_units_create_edit_and_delete_rules(app, client, hr, make_user):
    _post(client, "/admin/units/new", {"code": "BAPPEDA", "name": "Badan Perencanaan", "parent_id": ""},
          page="/admin/units/new")
    with app.app_context():
        parent = db.session.scalar(select(Unit).where(Unit.code == "BAPPEDA"))
    _post(client, "/admin/units/new", {"code": "BAPPEDA-EK", "name": "Bidang Ekonomi", "parent_id": str(parent.id)},
          page="/admin/units/new")
    with app.app_context():
        child = db.session.scalar(select(Unit).where(Unit.code == "BAPPEDA-EK"))
        assert child.parent_id == parent.id

    client.get("/?lang=en")
    cycle = _post(client, f"/admin/units/{parent.id}", {"code": "BAPPEDA", "name": "Badan Perencanaan",
                                                         "parent_id": str(child.id)},
                  page=f"/admin/units/{parent.id}")
    assert "cannot be placed under itself" in cycle.get_data(as_text=True)
    duplicate = _post(client, "/admin/units/new", {"code": "BAPPEDA", "name": "Lagi", "parent_id": ""},
                      page="/admin/units/new")
    assert "already has the code" in duplicate.get_data(as_text=True)

    make_user(email="staf@pemko.example.go.id", unit_id=child.id)
    _post(client, f"/admin/units/{parent.id}/delete")
    _post(client, f"/admin/units/{child.id}/delete")
    with app.app_context():
        assert db.session.scalar(select(func.count(Unit.id))) == 2


def test_roster_upload_on_the_web(app, client, hr, make_unit):
    make_unit("DINKES", "Dinas Kesehatan")
    good = ("nip;nama;email;unit;jabatan;golongan;jenis;tempat_lahir;tanggal_lahir\r\n"
            "198503122010011002;Budi Santoso;;DINKES;Perawat;III/b;PNS;Pematangsiantar;12/03/1985\r\n")
    bad = good + "123;Salah NIP;;DINKES;;;PNS;;\r\n"
    client.get("/?lang=en")
    response = client.post("/admin/import/roster", data={
        "file": (io.BytesIO(bad.encode("utf-8-sig")), "roster.csv"),
        "csrf_token": csrf_token(client.get("/admin/import/roster")),
    }, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was imported" in html and "18 digits" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1

    response = client.post("/admin/import/roster", data={
        "file": (io.BytesIO(good.encode("utf-8")), "roster.csv"),
        "csrf_token": csrf_token(client.get("/admin/import/roster")),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.nip == "198503122010011002")) == "Budi Santoso"


def test_upload_without_a_file_or_with_a_wrong_type(client, hr):
    client.get("/?lang=en")
    empty = client.post("/admin/import/units", data={"csrf_token": csrf_token(client.get("/admin/import/units"))},
                        content_type="multipart/form-data")
    assert "Choose a CSV file" in empty.get_data(as_text=True)
    wrong = client.post("/admin/import/units", data={
        "file": (io.BytesIO(b"MZ\x90\x00"), "units.exe"),
        "csrf_token": csrf_token(client.get("/admin/import/units")),
    }, content_type="multipart/form-data")
    assert "ends in .csv" in wrong.get_data(as_text=True)


def test_templates_download_and_parse(client, hr):
    for kind, header in (("roster", "nip;nama;email;unit"), ("units", "kode;nama;induk")):
        response = client.get(f"/admin/import/{kind}-template.csv")
        assert response.mimetype == "text/csv"
        assert response.get_data(as_text=True).lstrip("\ufeff").startswith(header)


def test_audit_log_is_for_admins_and_lists_actions(app, client, auth, make_user):
    admin = make_user(roles=("admin",), email="admin5@pemko.example.go.id", name="Admin Kota")
    auth.login(admin.email)
    learner = make_user(email="m@pemko.example.go.id")
    _post(client, f"/admin/users/{learner.id}/reset-password")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "user.reset_password" in html and "Admin Kota" in html


def test_the_account_rules_hold_for_every_caller_not_only_the_pages(app, make_user):
    """The rules are the operations': a caller other than the admin pages (a command, a future
    page) cannot take an administrator's own role, give roles as HR, or manage an admin as HR."""
    admin = make_user(roles=("admin",), email="admin2@pemko.example.go.id")
    hr = make_user(roles=("hr",), email="hr2@pemko.example.go.id")
    with app.test_request_context("/?lang=en"):
        admin, hr = db.session.get(User, admin.id), db.session.get(User, hr.id)
        with pytest.raises(operations.AccountError, match="your own administrator role"):
            operations.edit_account(admin, admin, ["learner", "hr"], name=admin.name)
        db.session.rollback()
        assert db.session.get(User, admin.id).roles == {"admin"}
        made = operations.create_user(hr, name="Dewi Lestari", email="dewi@pemko.example.go.id", roles=["admin"])
        assert made.roles == {"learner"}
        operations.edit_account(hr, made, ["admin"], name="Dewi Lestari, S.Kom.")
        assert (made.name, made.roles) == ("Dewi Lestari, S.Kom.", {"learner"})
        assert not operations.may_manage(hr, admin)
        assert operations.may_manage(admin, hr) and operations.may_manage(hr, made)
