"""elearn with four pages that do no work of their own, for the benchmark only: what every page
pays before it does anything, measured the same way as the real pages and hello-world.

- ``/bench/public``: a public page that returns a word (every hook, header and extension of the app);
- ``/bench/public-layout``: a public page with the site's layout (as an anonymous visitor sees it:
  header and language switch, no menu) around an empty content block;
- ``/bench/signed-in``: a word again, for signed-in learners only (the session cookie read, the
  account and its roles loaded, the log-in gate);
- ``/bench/layout``: a signed-in page with the site's layout (header, menu, language switch,
  log-out form) around an empty content block.

Served by gunicorn as ``floors:create()``, never by the application itself.
"""
from flask import Flask, render_template

from elearn import create_app
from elearn.access import public

EMPTY_PAGE = '{% extends "base.html" %}{% block title %}elearn{% endblock %}{% block content %}{% endblock %}'


def create(test_config: dict | None = None) -> Flask:
    app = create_app(test_config)
    empty_page = app.jinja_env.from_string(EMPTY_PAGE)

    @app.get("/bench/public")
    @public
    def bench_public() -> str:
        return "ok"

    @app.get("/bench/public-layout")
    @public
    def bench_public_layout() -> str:
        return render_template(empty_page)

    @app.get("/bench/signed-in")
    def bench_signed_in() -> str:
        return "ok"

    @app.get("/bench/layout")
    def bench_layout() -> str:
        return render_template(empty_page)

    return app
