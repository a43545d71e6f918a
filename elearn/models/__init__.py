"""All tables, one module per aggregate; importing this package registers them all."""
from elearn.models.api import ApiToken
from elearn.models.assignments import AssignedPerson, Assignment
from elearn.models.audit import AuditEvent
from elearn.models.certificates import Certificate, CertificateCounter
from elearn.models.courses import (
    Course,
    CourseDraft,
    CourseDraftFile,
    CourseFile,
    CourseTrainer,
    CourseVersion,
    Lesson,
)
from elearn.models.evaluation import FollowUp, SurveyResponse
from elearn.models.learning import CheckAnswer, Enrolment, LessonProgress, QuizAttempt
from elearn.models.needs import (
    CompetencyRequirement,
    DevelopmentPlan,
    PlanItem,
    TrainingNeed,
)
from elearn.models.notifications import MailOptOut, Notification
from elearn.models.offline import OfflineAction
from elearn.models.outbox import OutboxMessage
from elearn.models.records import ExternalTraining, RecordEntry
from elearn.models.units import Unit
from elearn.models.users import ROLES, LoginSession, User, UserRole

__all__ = [
    "ApiToken", "AssignedPerson", "Assignment", "AuditEvent", "CompetencyRequirement", "CourseDraft",
    "CourseDraftFile", "CourseTrainer", "DevelopmentPlan", "FollowUp", "PlanItem", "SurveyResponse", "TrainingNeed", "Certificate", "CertificateCounter", "CheckAnswer", "Course", "CourseFile", "CourseVersion",
    "Enrolment", "ExternalTraining", "Lesson", "LessonProgress", "LoginSession", "MailOptOut", "Notification", "OfflineAction", "OutboxMessage", "QuizAttempt", "RecordEntry", "ROLES", "Unit",
    "User", "UserRole",
]
