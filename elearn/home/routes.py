from flask import render_template

from elearn.home import bp


@bp.get("/")
def index():
    return render_template("home/index.html")
