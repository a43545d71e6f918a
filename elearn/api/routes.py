"""The API's views: read the parameters, call one query, answer in JSON."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request

from elearn.access import public
from elearn.api import errors, params
from elearn.api.bearer import token_required
from elearn.api.completions import completions_page, decode_cursor, encode_cursor
from elearn.api.courses import course_list
from elearn.api.errors import json_error
from elearn.api.openapi import DOCUMENT
from elearn.api.people import development_record, person_by_nip, record_years
from elearn.extensions import csrf, limiter
from elearn.timeutil import local_date, utcnow

RATE_LIMIT = "120 per minute"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with a header, never a cookie, so no other site can send a request as them.
csrf.exempt(bp)
limiter.limit(RATE_LIMIT, error_message=f"Too many requests from this address: at most {RATE_LIMIT}")(bp)
errors.init_blueprint(bp)


@bp.after_request
def no_store(response):
    # Answers carry names and NIPs: no shared cache or browser history may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(DOCUMENT)


@bp.get("/completions")
@public
@token_required
def completions():
    secret_key = current_app.config["SECRET_KEY"]
    since = params.timestamp(request.args.get("since"), "since")
    after = decode_cursor(request.args.get("cursor"), secret_key)
    settled = utcnow() - timedelta(seconds=current_app.config["API_SETTLE_SECONDS"])
    items, last = completions_page(since, after, params.limit(request.args.get("limit")), settled)
    return jsonify(items=items, next_cursor=encode_cursor(last, secret_key) if last else None)


@bp.get("/people/<nip>/record")
@public
@token_required
def person_record(nip: str):
    today = local_date(utcnow())
    year = params.year(request.args.get("year"), last=today.year + 1)
    person = person_by_nip(nip)
    if person is None:
        return json_error(404, "No person has this NIP")
    target = current_app.config["JP_TARGET"]
    return jsonify(development_record(person, record_years(person, year, today), target, today))


@bp.get("/courses")
@public
@token_required
def courses():
    return jsonify(items=course_list())
