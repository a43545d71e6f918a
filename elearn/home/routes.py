from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.courses.outline import outlines
from elearn.evaluation import follow_up, survey
from elearn.extensions import db
from elearn.hr.assignments.standing import assigned_to
from elearn.learn.progress import course_progress
from elearn.models import Certificate, Enrolment
from elearn.needs.gaps import recommendations
from elearn.needs.plans import plans_for_review
from elearn.records.ledger import jp_in_year
from elearn.timeutil import local_date, utcnow

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == current_user.id)
        .options(selectinload(Enrolment.progress), selectinload(Enrolment.course))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    certificates = {
        c.enrolment_id: c for c in db.session.scalars(select(Certificate).where(Certificate.user_id == current_user.id))
    }
    today = local_date(utcnow())
    year = today.year
    target = current_app.config["JP_TARGET"]
    jp = jp_in_year(current_user.id, year)
    lessons = outlines(e.course for e in enrolments)
    return render_template(
        "home/index.html",
        in_progress=[(e, course_progress(e, lessons[e.course_id])) for e in enrolments if not e.completed_at],
        completed=[(e, certificates.get(e.id)) for e in enrolments if e.completed_at],
        assigned=[(a, status) for a, status in assigned_to(current_user, today) if status.status != "completed"],
        unsurveyed=survey.unanswered(current_user.id),
        follow_ups_due=follow_up.due_for([e for e in enrolments if e.completed_at], today),
        to_confirm=follow_up.pending_count(current_user),
        recommended=recommendations(current_user),
        plans_to_review=len(plans_for_review(current_user)),
        year=year, jp=jp, target=target, jp_percent=min(100, round(100 * jp / target)) if target else 100,
    )
