"""Who may write a course: admins every course, trainers the courses they are trainers of
(and the new courses they started); nobody else."""
from __future__ import annotations

from elearn.extensions import db
from elearn.models import Course, CourseDraft, CourseTrainer, User

AUTHOR_ROLES = ("trainer", "admin")


def may_edit(user: User, course: Course | None, draft: CourseDraft | None = None) -> bool:
    """An existing course is its trainers'; a draft of a course not yet published, its creator's."""
    if user.has_role("admin"):
        return True
    if not user.has_role("trainer"):
        return False
    if course is not None:
        return db.session.get(CourseTrainer, (course.id, user.id)) is not None
    return draft is not None and draft.created_by_id == user.id
