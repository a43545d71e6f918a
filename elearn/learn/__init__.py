"""What learners use: the catalogue, course pages, lessons, knowledge checks and course files."""
from flask import Blueprint

from elearn.i18n import format_decimal
from elearn.courses.competencies import COMPETENCY_LABELS

bp = Blueprint("learn", __name__)


def posted_values(answer) -> set[str]:
    """A stored answer as the form values that would post it, to check the right inputs again."""
    if answer is None:
        return set()
    if isinstance(answer, bool):
        return {"true" if answer else "false"}
    if isinstance(answer, dict):
        return {f"{left}:{right}" for left, right in answer.items()}
    if isinstance(answer, list):
        return {str(value) for value in answer}
    return {str(answer)}


def size_label(size: int) -> str:
    """A download's size as a person reads it: 850 kB, 1.2 MB (in the reader's number format)."""
    if size < 1_000_000:
        return f"{format_decimal(max(1, round(size / 1000)))} kB"
    return f"{format_decimal(round(size / 1_000_000, 1))} MB"


@bp.app_context_processor
def template_helpers():
    return {"competency_label": lambda code: COMPETENCY_LABELS.get(code, code), "posted_values": posted_values,
            "size_label": size_label}


from elearn.learn import routes  # noqa: E402,F401
