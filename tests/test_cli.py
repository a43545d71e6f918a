from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent, User
from tests.conftest import Auth


def test_init_creates_the_first_admin_once(app, runner):
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0
    assert "admin@elearn.local" in first.output
    assert "Administrator pertama telah dibuat" in first.output
    password = first.output.split("kata sandi: ")[1].split()[0]

    second = runner.invoke(args=["init"])
    assert second.exit_code == 0
    assert second.output == ""

    client = app.test_client()
    assert Auth(client).login("admin@elearn.local", password).status_code == 302
    assert client.get("/").headers["Location"] == "/account/password"
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@elearn.local"))
        assert admin.roles == {"admin"}


def test_users_create(app, runner, make_unit):
    make_unit("DINKES", "Dinas Kesehatan")
    result = runner.invoke(
        args=["users", "create", "--role", "trainer", "--role", "learner", "--name", "Dewi Lestari",
              "--nip", "199001152015032001", "--unit", "DINKES", "--password", "widyaiswara-2026"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.nip == "199001152015032001"))
        assert user.roles == {"trainer", "learner"}
        assert user.unit.code == "DINKES"
        assert db.session.scalar(select(AuditEvent.action)) == "user.create"
    assert Auth(app.test_client()).login("199001152015032001", "widyaiswara-2026").status_code == 302


def test_users_create_refuses_bad_input(app, runner):
    cases = [
        (["--nip", "12345"], "tepat 18 digit"),
        (["--nip", "199013152015032001"], "bukan tanggal lahir"),
        (["--email", "x@pemko.example.go.id", "--unit", "NOPE"], "Kode unit NOPE tidak dikenal"),
        (["--email", "x@pemko.example.go.id", "--password", "pendek"], "minimal 10 karakter"),
    ]
    for extra, message in cases:
        args = ["users", "create", "--role", "learner", "--name", "Coba"]
        if "--password" not in extra:
            extra = [*extra, "--password", "cukup-panjang-sekali"]
        result = runner.invoke(args=args + extra)
        assert result.exit_code != 0, extra
        assert message in result.output, (extra, result.output)
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None
