"""Notifications: written with the event that causes them, shown in the app with a bell, sent by
e-mail through a real SMTP server on 127.0.0.1, retried and given up; reminders written once."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from elearn.extensions import db
from elearn.learn.completion import complete_if_done
from elearn.learn.progress import complete_lesson, enrol
from elearn.models import Assignment, Course, Enrolment, MailOptOut, Notification, Unit, User
from elearn.notifications import mail
from elearn.records import operations as external
from elearn.reminders import due as reminders
from elearn.timeutil import local_date, utcnow
from tests.conftest import Auth
from tests.evidence import PDF
from tests.html import csrf_token
from tests.smtp import free_port, smtp_server

TODAY = local_date(utcnow())
SENDER = "elearn BKPSDM <noreply@bkpsdm.example.go.id>"


def smtp_config(port: int) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_SECURITY": "none", "MAIL_FROM": SENDER,
            "BASE_URL": "https://elearn.pemko.example.go.id", "SMTP_TIMEOUT": 5}


@pytest.fixture
def server():
    with smtp_server() as (port, inbox):
        yield port, inbox


@pytest.fixture
def mail_app(make_app, server):
    return make_app(**smtp_config(server[0]))


@pytest.fixture
def office(mail_app, make_unit, make_user, make_course):
    """A unit whose head is Pak Kepala; Ani reads English and has an e-mail address, Butet has
    none; HR assigns courses."""
    unit = make_unit("DINKES", "Dinas Kesehatan")
    people = {
        "head": make_user(name="Pak Kepala", nip="197001011995031001", email="kepala@pemko.example.go.id",
                          unit_id=unit.id),
        "ani": make_user(name="Ani Perawat", nip="198503122010012002", email="ani@pemko.example.go.id",
                         unit_id=unit.id, locale="en"),
        "butet": make_user(name="Butet Bidan", nip="199002022015032003", unit_id=unit.id),
        "hr": make_user(roles=("hr",), email="bkpsdm@pemko.example.go.id", name="Petugas BKPSDM"),
    }
    with mail_app.app_context():
        db.session.execute(update(Unit).where(Unit.id == unit.id).values(head_id=people["head"].id))
        db.session.commit()
    slug = make_course(quiz=False)
    with mail_app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        return {**people, "unit": unit, "slug": slug, "course_id": course.id, "course_title": course.title}


def complete_course(office, person):
    """The person reads every lesson of the office's course; the certificate it earns."""
    course = db.session.get(Course, office["course_id"])
    enrolment = enrol(db.session.get(User, person.id), course)
    for lesson in course.active_lessons:
        complete_lesson(enrolment, lesson, utcnow())
    return complete_if_done(enrolment, utcnow())


def signed_in(app, name):
    client = app.test_client()
    Auth(client).login(name)
    return client


def assign(app, office, days: int = 30, nips=("198503122010012002", "199002022015032003")):
    client = signed_in(app, office["hr"].email)
    response = client.post("/hr/assignments/new", data={
        "course_id": office["course_id"], "due_on": (TODAY + timedelta(days=days)).isoformat(), "unit_id": "",
        "position": "", "nips": "\n".join(nips), "note": "Wajib bagi tenaga kesehatan",
        "csrf_token": csrf_token(client.get("/hr/assignments/new"))})
    assert response.status_code == 302, response.get_data(as_text=True)


def notifications_of(app, user) -> list[Notification]:
    with app.app_context():
        return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                  .order_by(Notification.id)).all()


def send(app, now=None, batch=mail.BATCH):
    with app.app_context():
        return mail.send_due(mail.Smtp.from_config(app.config), app.config["MAIL_MAX_ATTEMPTS"],
                             clock=(lambda: now) if now else utcnow, batch=batch)


# --- In the app --------------------------------------------------------------------------------


def test_an_assignment_shows_on_the_bell_and_in_the_list(mail_app, office):
    assign(mail_app, office)
    butet = signed_in(mail_app, office["butet"].nip)
    home = butet.get("/?lang=en").get_data(as_text=True)
    assert 'aria-label="Notifications: 1 unread"' in home and '<span class="bell-count">1</span>' in home
    page = butet.get("/me/notifications?lang=en").get_data(as_text=True)
    assert f"New assigned course: {office['course_title']}" in page
    assert "Kursus baru yang ditugaskan" in butet.get("/me/notifications?lang=id").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(mail_app, office):
    assign(mail_app, office)
    [notification] = notifications_of(mail_app, office["butet"])
    butet = signed_in(mail_app, office["butet"].nip)
    token = csrf_token(butet.get("/me/notifications"))
    response = butet.post(f"/me/notifications/{notification.id}/open", data={"csrf_token": token})
    assert response.headers["Location"] == f"/courses/{office['slug']}"
    assert "bell-count" not in butet.get("/").get_data(as_text=True)
    # Nobody opens another person's notification.
    ani = signed_in(mail_app, office["ani"].nip)
    assert ani.post(f"/me/notifications/{notification.id}/open",
                    data={"csrf_token": csrf_token(ani.get("/"))}).status_code == 404


def test_mark_all_as_read(mail_app, office):
    assign(mail_app, office)
    assign(mail_app, office, days=40)
    butet = signed_in(mail_app, office["butet"].nip)
    assert '<span class="bell-count">2</span>' in butet.get("/").get_data(as_text=True)
    butet.post("/me/notifications/read", data={"csrf_token": csrf_token(butet.get("/me/notifications"))})
    assert all(n.read_at for n in notifications_of(mail_app, office["butet"]))


# --- By e-mail -------------------------------------------------------------------------------


def test_the_mail_is_in_the_readers_language_with_the_links_and_nothing_to_track(mail_app, office, server):
    _port, inbox = server
    assign(mail_app, office)
    report = send(mail_app)
    assert (report.sent, report.failed) == (1, 0)  # Butet has no e-mail address: in the app only
    [message] = inbox.to("ani@pemko.example.go.id")
    assert message["Subject"] == f"New assigned course: {office['course_title']}"
    assert message["From"] == SENDER and message["Content-Language"] == "en"
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert f"https://elearn.pemko.example.go.id/courses/{office['slug']}" in body
    assert "https://elearn.pemko.example.go.id/me/notifications/settings" in body
    assert "Wajib bagi tenaga kesehatan" in body
    assert "<img" not in body and "http" not in body.replace("https://elearn.pemko.example.go.id/", "")
    assert send(mail_app).sent == 0  # sent once


def test_the_default_language_is_indonesian(mail_app, office, server):
    _port, inbox = server
    assign(mail_app, office, nips=("197001011995031001",))
    send(mail_app)
    [message] = inbox.to("kepala@pemko.example.go.id")
    assert message["Subject"] == f"Kursus baru yang ditugaskan: {office['course_title']}"
    assert message["Content-Language"] == "id"


def test_a_person_chooses_what_comes_by_mail_and_the_app_still_shows_it(mail_app, office, server):
    _port, inbox = server
    ani = signed_in(mail_app, office["ani"].nip)
    page = ani.get("/me/notifications/settings?lang=en").get_data(as_text=True)
    assert "A course is assigned to me" in page and page.count('type="checkbox"') == 10
    wanted = ["certificate.issued", "assignment.reminder"]
    ani.post("/me/notifications/settings", data={"kind": wanted, "csrf_token": csrf_token(
        ani.get("/me/notifications/settings"))})
    assign(mail_app, office)
    assert send(mail_app).sent == 0 and inbox.to("ani@pemko.example.go.id") == []
    assert [n.kind for n in notifications_of(mail_app, office["ani"])] == ["assignment.new"]
    with mail_app.app_context():
        refused = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == office["ani"].id)))
    assert "assignment.new" in refused and not refused & set(wanted)


def test_without_smtp_nothing_is_queued_for_mail(make_app, make_user):
    app = make_app()
    person = make_user(email="p@pemko.example.go.id", nip="198503122010012002")
    with app.app_context():
        from elearn.notifications.operations import notify
        notify(db.session.get(User, person.id), "assignment.new", "/", utcnow(), course_title="X",
               due_on=TODAY.isoformat(), note="")
        db.session.commit()
    assert [n.mail_state for n in notifications_of(app, person)] == ["none"]
    result = app.test_cli_runner().invoke(args=["notify", "send"])
    assert result.exit_code == 0 and "ELEARN_SMTP_HOST" in result.output


def test_a_deployment_changes_the_words_with_its_own_template(make_app, office, server, tmp_path):
    port, inbox = server
    folder = tmp_path / "templates" / "notifications"
    folder.mkdir(parents=True)
    (folder / "assignment.new.txt").write_text(
        "{% block subject %}Tugas dari BKPSDM Kota: {{ course_title }}{% endblock %}\n"
        "{% block body %}Buka {{ link }}\nAtur e-mail: {{ settings_link }}{% endblock %}\n")
    app = make_app(**smtp_config(port), TEMPLATES_FOLDER=str(tmp_path / "templates"))
    assign(app, office, nips=("198503122010012002",))
    send(app)
    [message] = inbox.to("ani@pemko.example.go.id")
    assert message["Subject"] == f"Tugas dari BKPSDM Kota: {office['course_title']}"


# --- Delivery that holds up --------------------------------------------------------------------


def test_a_failing_server_is_retried_with_back_off_and_given_up_with_the_reason(make_app, office):
    with smtp_server(refuse="451 4.3.0 Mailbox busy, try again later") as (port, _inbox):
        app = make_app(**smtp_config(port), MAIL_MAX_ATTEMPTS=3)
        assign(app, office, nips=("198503122010012002",))
        now = utcnow()
        first = send(app, now)
        assert (first.sent, first.failed, first.gave_up, first.waiting) == (0, 1, 0, 1)
        [notification] = notifications_of(app, office["ani"])
        assert notification.mail_state == "pending" and notification.mail_attempts == 1
        assert notification.mail_next_at == now + mail.pause_after(1)
        assert "451" in notification.mail_error
        assert send(app, now + timedelta(minutes=1)).failed == 0  # not due yet: nothing tried
        second = send(app, now + mail.pause_after(1))
        assert second.failed == 1
        third = send(app, now + mail.pause_after(1) + mail.pause_after(2))
        assert (third.gave_up, third.waiting) == (1, 0)
        [notification] = notifications_of(app, office["ani"])
        assert (notification.mail_state, notification.mail_attempts) == ("failed", 3)
        assert "Mailbox busy" in notification.mail_error


def test_a_server_that_cannot_be_reached_fails_the_batch_at_once(make_app, office):
    app = make_app(**smtp_config(free_port()))
    assign(app, office, nips=("198503122010012002", "197001011995031001"))
    report = send(app)
    assert (report.sent, report.failed) == (0, 2)
    assert all("cannot reach 127.0.0.1" in n.mail_error for n in notifications_of(app, office["ani"]))


def test_the_pause_doubles_up_to_six_hours():
    assert [mail.pause_after(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10),
                                                        timedelta(minutes=20)]
    assert mail.pause_after(30) == timedelta(hours=6)


def test_two_runs_at_once_send_each_mail_once(mail_app, office, server, make_user):
    _port, inbox = server
    nips = [f"19850312201001{n:04d}" for n in range(20)]
    for n, nip in enumerate(nips):
        make_user(name=f"Pegawai {n}", nip=nip, email=f"p{n}@pemko.example.go.id")
    assign(mail_app, office, nips=nips)
    reports = []
    # Small batches, so that the runs take turns claiming and race for the same rows.
    runs = [threading.Thread(target=lambda: reports.append(send(mail_app, batch=3))) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    assert len(reports) == 3 and not any(run.is_alive() for run in runs)
    assert sum(report.sent for report in reports) == 20
    assert sorted(address for rcpt in inbox.recipients for address in rcpt) == sorted(
        f"p{n}@pemko.example.go.id" for n in range(20))


def test_a_claim_left_by_a_run_that_died_is_taken_again_later(mail_app, office, server):
    _port, inbox = server
    assign(mail_app, office, nips=("198503122010012002",))
    now = utcnow()
    with mail_app.app_context():
        assert len(mail.claim(now, "a-run-that-dies")) == 1
    assert send(mail_app, now).sent == 0
    assert send(mail_app, now + mail.STALE_CLAIM + timedelta(seconds=1)).sent == 1
    assert len(inbox.to("ani@pemko.example.go.id")) == 1


# --- The events -------------------------------------------------------------------------------


def test_each_event_tells_the_person_it_concerns(mail_app, office, server):
    _port, inbox = server
    hr, ani = office["hr"], office["ani"]
    with mail_app.app_context():
        certificate = complete_course(office, ani)
        fields = {"title": "Pelatihan Kepemimpinan", "training_type": 3, "organiser": "LAN", "competency": "manajerial",
                  "started_on": TODAY, "ended_on": TODAY, "jp": 12.0, "certificate_number": "LAN/9", "tags": []}
        verified = external.submit(db.session.get(User, ani.id), fields, "bukti.pdf", PDF)
        rejected = external.submit(db.session.get(User, ani.id), {**fields, "certificate_number": "LAN/10"},
                                   "bukti.pdf", PDF)
        db.session.flush()
        external.verify(db.session.get(User, hr.id), verified, utcnow())
        external.reject(db.session.get(User, hr.id), rejected, "Nomor sertifikat tidak terbaca", utcnow())
        db.session.commit()
        certificate_id = certificate.id
    kinds = [(n.kind, n.link) for n in notifications_of(mail_app, ani)]
    assert kinds == [("certificate.issued", f"/certificates/{certificate_id}.pdf"),
                     ("training.verified", "/me/record"), ("training.rejected", "/me/record/trainings/new")]
    send(mail_app)
    subjects = [m["Subject"] for m in inbox.to("ani@pemko.example.go.id")]
    assert subjects == [f"Certificate issued: {office['course_title']}",
                        "External training verified: Pelatihan Kepemimpinan",
                        "External training not accepted: Pelatihan Kepemimpinan"]
    assert "Nomor sertifikat tidak terbaca" in inbox.to("ani@pemko.example.go.id")[2].get_content()


def test_an_event_rolled_back_leaves_no_notification(mail_app, office):
    hr, ani = office["hr"], office["ani"]
    with mail_app.app_context():
        fields = {"title": "Diklat", "training_type": 3, "organiser": "LAN", "competency": "teknis",
                  "started_on": TODAY, "ended_on": TODAY, "jp": 2.0, "certificate_number": "LAN/1", "tags": []}
        training = external.submit(db.session.get(User, ani.id), fields, "b.pdf", PDF)
        db.session.commit()
        external.verify(db.session.get(User, hr.id), training, utcnow())
        db.session.flush()
        assert db.session.scalar(select(Notification.kind).where(Notification.user_id == ani.id)) == "training.verified"
        db.session.rollback()
    assert notifications_of(mail_app, ani) == []


def test_a_keyed_reminder_stays_in_the_callers_transaction(mail_app, office):
    with mail_app.app_context():
        from elearn.notifications.operations import notify
        ani = db.session.get(User, office["ani"].id)
        assert notify(ani, "followup.due", "/", utcnow(), key="test:1", course_title="X")
        assert not notify(ani, "followup.due", "/", utcnow(), key="test:1", course_title="X")
        db.session.rollback()
    assert notifications_of(mail_app, office["ani"]) == []


def test_a_mail_queued_for_someone_deactivated_or_without_an_address_is_not_sent(mail_app, office, server):
    _port, inbox = server
    assign(mail_app, office, nips=("198503122010012002", "197001011995031001"))
    staff = signed_in(mail_app, office["hr"].email)
    staff.post(f"/admin/users/{office['ani'].id}/deactivate", data={"csrf_token": csrf_token(staff.get("/"))})
    with mail_app.app_context():
        db.session.execute(update(User).where(User.id == office["head"].id).values(email=None))
        db.session.commit()
    assert send(mail_app).sent == 0 and inbox.messages == []
    states = [n.mail_state for n in notifications_of(mail_app, office["ani"]) + notifications_of(mail_app, office["head"])]
    assert states == ["none", "none"]


def test_a_broken_template_uses_up_a_try_and_does_not_stop_the_others(make_app, office, server, tmp_path):
    port, inbox = server
    folder = tmp_path / "templates" / "notifications"
    folder.mkdir(parents=True)
    (folder / "certificate.issued.txt").write_text("{% block subject %}{{ no_such.value }}{% endblock %}")
    app = make_app(**smtp_config(port), TEMPLATES_FOLDER=str(tmp_path / "templates"))
    with app.app_context():
        complete_course(office, office["ani"])
        db.session.commit()
    assign(app, office, nips=("198503122010012002",))
    report = send(app)
    assert (report.sent, report.failed) == (1, 1)
    [broken] = [n for n in notifications_of(app, office["ani"]) if n.kind == "certificate.issued"]
    assert broken.mail_state == "pending" and "cannot write the mail" in broken.mail_error
    assert [m["Subject"] for m in inbox.messages] == [f"New assigned course: {office['course_title']}"]


def test_a_plan_goes_to_the_supervisor_and_the_decision_back(mail_app, office):
    ani = signed_in(mail_app, office["ani"].nip)
    year = TODAY.year
    added = ani.post(f"/me/plan/items?year={year}", data={
        "competency": "Pelayanan publik", "course_id": str(office["course_id"]), "activity": "",
        "timing": "Triwulan I", "indicator": "Lulus kuis", "csrf_token": csrf_token(ani.get(f"/me/plan?year={year}"))})
    assert added.status_code == 302
    ani.post(f"/me/plan/submit?year={year}", data={"csrf_token": csrf_token(ani.get(f"/me/plan?year={year}"))})
    [asked] = notifications_of(mail_app, office["head"])
    assert asked.kind == "plan.submitted" and asked.params["person"] == "Ani Perawat"
    head = signed_in(mail_app, office["head"].nip)
    head.post(f"{asked.link}/approve", data={"note": "Setuju", "csrf_token": csrf_token(head.get(asked.link))})
    [decided] = [n for n in notifications_of(mail_app, office["ani"]) if n.kind == "plan.decided"]
    assert decided.params["approved"] is True and decided.params["note"] == "Setuju"
    page = ani.get("/me/notifications?lang=en").get_data(as_text=True)
    assert f"Your development plan {year} is approved" in page


# --- Reminders ---------------------------------------------------------------------------------


def set_assignment(app, **values):
    with app.app_context():
        db.session.execute(update(Assignment).values(**values))
        db.session.commit()


def remind(app, now):
    with app.app_context():
        written = reminders.remind(now)
        db.session.commit()
        return dict(written)


def assignment_reminders(app, now) -> dict:
    """What a run wrote about assignments (the unit head's digest aside)."""
    return {kind: n for kind, n in remind(app, now).items() if kind.startswith("assignment.")}


def test_reminders_seven_days_and_one_day_before_then_overdue_each_once(mail_app, office):
    now = utcnow()
    assign(mail_app, office, days=30, nips=("198503122010012002",))
    set_assignment(mail_app, created_at=now - timedelta(days=20), due_on=TODAY + timedelta(days=7))
    assert assignment_reminders(mail_app, now) == {"assignment.reminder": 1}
    assert assignment_reminders(mail_app, now) == {}
    set_assignment(mail_app, due_on=TODAY + timedelta(days=1))
    assert assignment_reminders(mail_app, now) == {"assignment.reminder": 1}
    set_assignment(mail_app, due_on=TODAY - timedelta(days=1))
    assert assignment_reminders(mail_app, now) == {"assignment.overdue": 1}
    assert assignment_reminders(mail_app, now) == {}
    kinds = [(n.kind, n.params.get("days_left")) for n in notifications_of(mail_app, office["ani"])]
    assert kinds == [("assignment.new", None), ("assignment.reminder", 7), ("assignment.reminder", 1),
                     ("assignment.overdue", -1)]


def test_no_seven_day_reminder_for_a_course_assigned_within_the_week(mail_app, office):
    assign(mail_app, office, days=5, nips=("198503122010012002",))
    assert assignment_reminders(mail_app, utcnow()) == {}


def test_a_completed_course_is_not_reminded(mail_app, office):
    assign(mail_app, office, days=1, nips=("198503122010012002",))
    with mail_app.app_context():
        complete_course(office, office["ani"])
        db.session.commit()
    assert remind(mail_app, utcnow()).get("assignment.reminder") is None


def test_the_follow_up_question_is_reminded_once_when_due(mail_app, office):
    with mail_app.app_context():
        certificate = complete_course(office, office["ani"])
        course = db.session.get(Course, office["course_id"])
        db.session.execute(update(Enrolment).where(Enrolment.id == certificate.enrolment_id)
                           .values(completed_at=utcnow() - timedelta(days=course.follow_up_days + 1)))
        db.session.commit()
    assert remind(mail_app, utcnow()).get("followup.due") == 1
    assert remind(mail_app, utcnow()).get("followup.due") is None
    [due] = [n for n in notifications_of(mail_app, office["ani"]) if n.kind == "followup.due"]
    assert due.link == f"/courses/{office['slug']}/follow-up"


def test_the_unit_head_gets_one_digest_a_week_naming_who_is_behind_or_overdue(mail_app, office, server):
    _port, inbox = server
    assign(mail_app, office, days=30, nips=("199002022015032003",))
    set_assignment(mail_app, due_on=TODAY - timedelta(days=2))
    # With no JP yet, every one of them is behind the 20 JP target, whatever day of the year.
    now = utcnow()
    assert remind(mail_app, now).get("digest.weekly") == 1
    assert remind(mail_app, now).get("digest.weekly") is None
    assert remind(mail_app, now + timedelta(days=7)).get("digest.weekly") == 1
    send(mail_app)
    [digest, _next_week] = [m for m in inbox.to("kepala@pemko.example.go.id") if "Ringkasan" in m["Subject"]]
    body = digest.get_content()
    assert "- Ani Perawat: 0 JP" in body and "Butet Bidan" in body and "198503122010012002" not in body
    assert office["course_title"] in body and "Pak Kepala (" not in body


def test_the_commands(mail_app, office, server):
    assign(mail_app, office, nips=("198503122010012002",))
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["notify", "remind"])
    assert result.exit_code == 0
    result = runner.invoke(args=["notify", "send"])
    assert result.exit_code == 0 and "0 gagal" in result.output and "0 menunggu" in result.output
