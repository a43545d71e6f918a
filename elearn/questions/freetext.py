"""What the types answered by typing share: one value, bounded in length, blank meaning no
answer."""
from __future__ import annotations

from typing import ClassVar

from flask_babel import gettext as _

from elearn.questions.answers import Answer, AnswerError, TextInput
from elearn.questions.question import Question, Stored

TEXT_LIMIT = 2_000


class FreeText(Question):
    """A typed answer, in a text field (or a text area, as the ``widget`` says)."""

    template: ClassVar[str | None] = "questions/text.html"
    widget: ClassVar[TextInput] = TextInput(TEXT_LIMIT)

    @classmethod
    def options(cls, question: Stored, order: list[int] | None = None) -> TextInput:
        return cls.widget

    @classmethod
    def read(cls, question: Stored, raw: list[str]) -> Answer:
        if len(raw) > 1:
            raise AnswerError(_("Only one answer can be given here."))
        # Browsers send a text area's line breaks as CRLF; count them as one character.
        text = (raw[0] if raw else "").replace("\r\n", "\n").strip()
        limit = cls.widget.max_length
        if len(text) > limit:
            raise AnswerError(
                _("The answer is too long: at most %(limit)s characters.", limit=limit)
            )
        return cls._parse(text) if text else None

    @classmethod
    def _parse(cls, text: str) -> Answer:
        return text
