import mimetypes

from flask import Response, abort, request
from sqlalchemy import select

from elearn.extensions import db
from elearn.learn import bp
from elearn.models import Course, CourseFile

# Course files are written by trainers: even an SVG opened on its own runs no script.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@bp.get("/courses/<slug>/files/<path:path>")
def course_file(slug: str, path: str):
    """An image or document of a course, from the database, cached by its content hash."""
    file = db.session.scalar(
        select(CourseFile).join(Course).where(Course.slug == slug, CourseFile.path == path)
    )
    if file is None or "/" not in path:
        abort(404)
    if request.if_none_match.contains(file.sha256):
        response = Response(status=304)
    else:
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        response = Response(file.content, mimetype=mimetype)
    response.set_etag(file.sha256)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response
