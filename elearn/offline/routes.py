"""What a browser needs to install elearn and to keep working without a connection."""
from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from elearn.access import fully_signed_in, public
from elearn.i18n import get_locale
from elearn.i18n import gettext as _

bp = Blueprint("offline", __name__)

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
# What every page needs, kept by the service worker so that a downloaded lesson opens offline.
SHELL_STATIC = ("css/app.css", "js/offline.js", "js/app.js", "favicon.svg",
                "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-512.png")
THEME_COLOUR = "#0b5e8e"


@cache
def _version(paths: tuple[Path, ...]) -> str:
    """Changes whenever the shell does, so that browsers install the new worker and shell."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _shell_files() -> tuple[Path, ...]:
    static = Path(current_app.static_folder)
    translations = sorted((PACKAGE / "translations").glob("*/LC_MESSAGES/messages.mo"))
    return (HERE / "sw.js", PACKAGE / "templates" / "base.html", PACKAGE / "templates" / "offline" / "page.html",
            *(static / name for name in SHELL_STATIC), *translations)


@bp.get("/sw.js")
@public
def service_worker():
    """Served from the root so that it may answer for every page of the site."""
    settings = {
        "version": _version(_shell_files()),
        "shell": [url_for("static", filename=name) for name in SHELL_STATIC]
                 + [url_for("offline.manifest"), url_for("offline.page"), url_for("offline.quiz_page")],
        "static": url_for("static", filename=""),
        "offlinePage": url_for("offline.page"),
        "quizPage": url_for("offline.quiz_page"),
    }
    source = f"var SETTINGS = {json.dumps(settings)};\n" + (HERE / "sw.js").read_text(encoding="utf-8")
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@public
def manifest():
    data = {
        "name": _("elearn ASN %(city)s", city=current_app.config["CITY"]),
        "short_name": "elearn",
        "description": _("Competency development for the civil servants of %(city)s",
                         city=current_app.config["CITY"]),
        "lang": str(get_locale()),
        "start_url": url_for("home.index"),
        "scope": url_for("home.index"),
        "display": "standalone",
        "background_color": "#f3f5f7",
        "theme_color": THEME_COLOUR,
        "icons": [_icon("icon-192.png", 192), _icon("icon-512.png", 512), _icon("maskable-512.png", 512, "maskable")],
    }
    return Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")


def _icon(name: str, size: int, purpose: str = "any") -> dict:
    return {"src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}", "type": "image/png",
            "purpose": purpose}


@bp.get("/offline")
@public
def page():
    """Shown by the service worker for a page that needs the network when there is none."""
    return render_template("offline/page.html", shell=True, quiz=False)


@bp.get("/offline/quiz")
@public
def quiz_page():
    return render_template("offline/page.html", shell=True, quiz=True)


@bp.get("/offline/session")
@public
def session():
    """Who is signed in (nobody, when the session ended while the learner was offline), and a
    fresh form token: a page read offline may hold an old one."""
    signed_in = fully_signed_in()
    response = jsonify(user=current_user.id if signed_in else None, csrf_token=generate_csrf() if signed_in else None)
    response.headers["Cache-Control"] = "no-store"
    return response
