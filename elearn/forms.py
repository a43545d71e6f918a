"""The base of every form: WTForms' own messages ("Not a valid choice.") in the user's
language, from our catalogue, since WTForms ships none in Indonesian."""
from pathlib import Path

from babel.support import Translations
from flask import g
from flask_babel import get_locale
from flask_wtf import FlaskForm

_TRANSLATIONS = Path(__file__).parent / "translations"


def wtforms_translations() -> Translations:
    if "wtforms_translations" not in g:
        g.wtforms_translations = Translations.load(str(_TRANSLATIONS), [get_locale()], domain="wtforms")
    return g.wtforms_translations


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_translations()
