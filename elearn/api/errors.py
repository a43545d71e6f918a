"""Errors in the API's views answer in JSON, ``{"error": "..."}``, not with an HTML page.
(A URL under /api/ that matches no route is answered in JSON by the app's handler.)"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from elearn.api.params import ParamError


def json_error(status: int, message: str, headers: dict | None = None) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def init_blueprint(bp: Blueprint) -> None:
    bp.register_error_handler(ParamError, lambda error: json_error(400, str(error)))
    bp.register_error_handler(HTTPException, _http_error)
    # The app's own handler for 500 would win over the one for HTTPException: 500 needs its own.
    bp.register_error_handler(InternalServerError, _server_error)


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return json_error(error.code, error.description or error.name)


def _server_error(error: InternalServerError):
    # Flask has logged the exception before this handler runs.
    return json_error(500, "Internal error. It has been logged; try again later.")
