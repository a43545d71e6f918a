"""All tables, one module per aggregate; importing this package registers them all."""
from elearn.models.audit import AuditEvent
from elearn.models.courses import Course, CourseFile, CourseVersion, Lesson
from elearn.models.units import Unit
from elearn.models.users import ROLES, User, UserRole

__all__ = [
    "AuditEvent", "Course", "CourseFile", "CourseVersion", "Lesson", "ROLES", "Unit", "User", "UserRole",
]
