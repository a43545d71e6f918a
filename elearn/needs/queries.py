"""What the needs pages list: HR's requirements, the needs ASN proposed, the courses a plan
can name."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.models import CompetencyRequirement, Course, TrainingNeed, User


def requirements() -> list[CompetencyRequirement]:
    return db.session.scalars(select(CompetencyRequirement).options(joinedload(CompetencyRequirement.unit))
                              .order_by(CompetencyRequirement.tag)).all()


def needs_of(user: User) -> list[TrainingNeed]:
    return db.session.scalars(select(TrainingNeed).where(TrainingNeed.user_id == user.id)
                              .order_by(TrainingNeed.created_at.desc())).all()


def proposed_needs() -> list[TrainingNeed]:
    """Every proposal, newest first, with its proposer and their unit."""
    return db.session.scalars(select(TrainingNeed).options(joinedload(TrainingNeed.user).joinedload(User.unit))
                              .order_by(TrainingNeed.created_at.desc())).all()


def published_courses() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Course.id, Course.title).where(Course.status == "published").order_by(Course.title))]
