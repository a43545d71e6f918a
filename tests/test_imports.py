"""Roster and unit imports against the real database: every row or none.

Each test runs inside a request with ?lang=en, so messages are compared in English.
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from elearn.accounts.imports import import_roster, import_units
from elearn.extensions import db
from elearn.models import AuditEvent, Unit, User

HEADER = "nip;nama;email;unit;jabatan;golongan;jenis;tempat_lahir;tanggal_lahir"
BUDI = ("198503122010011002;Budi Santoso;budi.santoso@dinkes.go.id;DINKES;Perawat Ahli Pertama;III/b;PNS;"
        "Pematangsiantar;1985-03-12")
SITI = "199001152015032001;Siti Aminah Nasution;;DISDIK;Guru Ahli Muda;III/c;PNS;Medan;15/01/1990"
RINA = ("202301012345678901;Rina Hutapea;rina.hutapea@kec-sb.go.id;KEC-SIANTAR-BARAT;Penata Layanan Operasional;"
        "IX;PPPK;;")


def roster(*rows: str) -> bytes:
    return "\r\n".join((HEADER, *rows)).encode("utf-8-sig")


def units(*rows: str) -> bytes:
    return "\n".join(("kode,nama,induk", *rows)).encode()


@pytest.fixture
def hr(make_user):
    return make_user(roles=("hr",), email="kasubbid.data@bkpsdm.go.id", name="Hendra Siregar")


@pytest.fixture
def organisation(make_unit):
    return {code: make_unit(code, name) for code, name in (
        ("DINKES", "Dinas Kesehatan"),
        ("DISDIK", "Dinas Pendidikan"),
        ("KEC-SIANTAR-BARAT", "Kecamatan Siantar Barat"),
    )}


def person(nip: str) -> User | None:
    return db.session.scalar(select(User).where(User.nip == nip))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_good_roster_creates_active_learners_in_their_units(app, hr, organisation):
    with app.test_request_context("/?lang=en"):
        report = import_roster(hr, roster(BUDI, SITI, RINA))
        db.session.commit()
        assert (report.created, report.updated, report.errors) == (3, 0, [])
        budi = person("198503122010011002")
        assert budi.roles == {"learner"} and budi.active and budi.password_hash is None
        assert budi.unit.code == "DINKES" and budi.email == "budi.santoso@dinkes.go.id"
        assert (budi.position, budi.rank, budi.employment_type) == ("Perawat Ahli Pertama", "III/b", "PNS")
        assert (budi.birth_place, budi.birth_date) == ("Pematangsiantar", date(1985, 3, 12))
        assert person("199001152015032001").birth_date == date(1990, 1, 15)
        rina = person("202301012345678901")
        assert (rina.employment_type, rina.rank, rina.unit.code) == ("PPPK", "IX", "KEC-SIANTAR-BARAT")


def test_a_reimport_updates_by_nip_and_deletes_nobody(app, hr, organisation, make_user):
    trainer = make_user(roles=("learner", "trainer"), nip="198503122010011002", name="Budi", active=False)
    with app.test_request_context("/?lang=en"):
        import_roster(hr, roster(SITI))
        db.session.commit()
        moved = BUDI.replace("DINKES;Perawat Ahli Pertama;III/b", "DISDIK;Pengawas Sekolah;III/c")
        report = import_roster(hr, roster(moved, RINA))
        db.session.commit()
        assert (report.created, report.updated, report.errors) == (1, 1, [])
        budi = person("198503122010011002")
        assert (budi.name, budi.unit.code, budi.position, budi.rank) == (
            "Budi Santoso", "DISDIK", "Pengawas Sekolah", "III/c")
        assert budi.password_hash == trainer.password_hash
        assert budi.roles == {"learner", "trainer"} and not budi.active
        assert person("199001152015032001") is not None


def test_an_unchanged_row_is_not_counted_as_updated(app, hr, organisation):
    with app.test_request_context("/?lang=en"):
        import_roster(hr, roster(BUDI, SITI))
        report = import_roster(hr, roster(BUDI, SITI.replace("Guru Ahli Muda", "Guru Ahli Madya")))
        assert (report.created, report.updated) == (0, 1)


def test_an_empty_email_keeps_the_email_an_account_has(app, hr, organisation):
    with app.test_request_context("/?lang=en"):
        import_roster(hr, roster(BUDI))
        import_roster(hr, roster(BUDI.replace("budi.santoso@dinkes.go.id", "")))
        assert person("198503122010011002").email == "budi.santoso@dinkes.go.id"


def test_one_bad_row_imports_nothing(app, hr, organisation):
    with app.test_request_context("/?lang=en"):
        before = count(User)
        report = import_roster(hr, roster(BUDI, SITI.replace("DISDIK", "DINSOS"), RINA))
        assert (report.created, report.updated) == (0, 0)
        assert [(e.row, e.message) for e in report.errors] == [(3, "Unknown unit code DINSOS.")]
        db.session.rollback()
        assert count(User) == before
        assert db.session.scalar(select(func.count()).where(AuditEvent.target_type == "import")) == 0


def test_an_email_of_another_account_is_an_error(app, hr, organisation, make_user):
    make_user(email="budi.santoso@dinkes.go.id", name="Budi (akun lama)")
    with app.test_request_context("/?lang=en"):
        report = import_roster(hr, roster(SITI, BUDI))
        assert [(e.row, e.message) for e in report.errors] == [
            (3, "E-mail budi.santoso@dinkes.go.id already belongs to another account (Budi (akun lama))."),
        ]


def test_an_account_keeps_its_own_email(app, hr, organisation, make_user):
    make_user(nip="198503122010011002", email="budi.santoso@dinkes.go.id", name="Budi Santoso")
    with app.test_request_context("/?lang=en"):
        report = import_roster(hr, roster(BUDI))
        assert (report.created, report.updated, report.errors) == (0, 1, [])


def test_an_unreadable_file_is_an_error_on_row_zero(app, hr):
    with app.test_request_context("/?lang=en"):
        report = import_roster(hr, "nip;nama\r\nBudi – Santoso".encode("cp1252"))
        assert [e.row for e in report.errors] == [0] and "UTF-8" in report.errors[0].message


def test_each_import_writes_one_audit_event(app, hr, organisation):
    with app.test_request_context("/?lang=en"):
        import_roster(hr, roster(BUDI, SITI))
        import_units(hr, units("BKPSDM,Badan Kepegawaian dan Pengembangan SDM,"))
        db.session.commit()
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.target_type == "import").order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.target_type, e.actor_id, e.details) for e in events] == [
            ("roster.import", "import", hr.id, {"created": 2, "updated": 0}),
            ("units.import", "import", hr.id, {"created": 1, "updated": 0}),
        ]


def test_units_may_come_before_their_parents(app, hr):
    with app.test_request_context("/?lang=en"):
        report = import_units(hr, units(
            "PKM-SB,Puskesmas Siantar Barat,DINKES",
            "BID-P2P,Bidang Pencegahan dan Pengendalian Penyakit,DINKES",
            "DINKES,Dinas Kesehatan,",
        ))
        db.session.commit()
        assert (report.created, report.updated, report.errors) == (3, 0, [])
        db.session.expire_all()
        dinkes = db.session.scalar(select(Unit).where(Unit.code == "DINKES"))
        assert dinkes.parent is None
        assert [child.code for child in dinkes.children] == ["BID-P2P", "PKM-SB"]


def test_a_units_reimport_renames_and_moves(app, hr, make_unit):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    make_unit("PKM-SB", "Puskesmas Siantar Barat", parent=dinkes)
    make_unit("SETDA", "Sekretariat Daerah")
    with app.test_request_context("/?lang=en"):
        report = import_units(hr, units("PKM-SB,UPTD Puskesmas Siantar Barat,SETDA", "DINKES,Dinas Kesehatan,"))
        db.session.commit()
        assert (report.created, report.updated, report.errors) == (0, 1, [])
        pkm = db.session.scalar(select(Unit).where(Unit.code == "PKM-SB"))
        assert (pkm.name, pkm.parent.code) == ("UPTD Puskesmas Siantar Barat", "SETDA")


def test_a_units_cycle_in_the_file_imports_nothing(app, hr):
    with app.test_request_context("/?lang=en"):
        report = import_units(hr, units("DINKES,Dinas Kesehatan,BID-P2P", "BID-P2P,Bidang P2P,DINKES"))
        assert [e.row for e in report.errors] == [2, 3]
        assert count(Unit) == 0


def test_a_units_cycle_with_the_database_imports_nothing(app, hr, make_unit):
    dinkes = make_unit("DINKES", "Dinas Kesehatan")
    make_unit("BID-P2P", "Bidang P2P", parent=dinkes)
    with app.test_request_context("/?lang=en"):
        report = import_units(hr, units("DISDIK,Dinas Pendidikan,", "DINKES,Dinas Kesehatan,BID-P2P"))
        assert [(e.row, e.message) for e in report.errors] == [
            (3, "Unit DINKES would end up under itself: DINKES → BID-P2P → DINKES."),
        ]
        db.session.rollback()
        assert count(Unit) == 2


def _big_roster(size: int, position: str) -> bytes:
    born = date(1970, 1, 1)
    return roster(*(
        f"{born + timedelta(days=n):%Y%m%d}200501{1 + n % 2}{n % 1000:03d};Pegawai {n};"
        f"pegawai{n}@pematangsiantarkota.go.id;DISDIK;{position};III/a;PNS;Pematangsiantar;"
        for n in range(size)
    ))


def test_a_large_roster_is_read_from_the_database_in_a_few_queries(app, hr, organisation):
    """Inserts go row by row on SQLite; reads and updates must not."""
    statements = []

    def count_statement(conn, cursor, statement, *args):
        if not statement.startswith("INSERT"):
            statements.append(statement)

    with app.test_request_context("/?lang=en"):
        event.listen(db.engine, "before_cursor_execute", count_statement)
        try:
            created = import_roster(hr, _big_roster(2000, "Guru Ahli Pertama"))
            first = len(statements)
            updated = import_roster(hr, _big_roster(2000, "Guru Ahli Muda"))
        finally:
            event.remove(db.engine, "before_cursor_execute", count_statement)
    assert (created.created, updated.updated) == (2000, 2000)
    assert first <= 3 and len(statements) - first <= 4
