"""elearn: e-learning and development records for the civil servants of a city government."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import config
from elearn.extensions import csrf, db, limiter, login_manager, migrate
from elearn.inputs import IdConverter

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("ELEARN_INSTANCE_PATH") or None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    _init_logging()

    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)
    if app.config["TEMPLATES_FOLDER"]:
        app.jinja_env.loader = ChoiceLoader([FileSystemLoader(app.config["TEMPLATES_FOLDER"]), app.jinja_env.loader])

    from elearn import cli, errors, fragments, security

    errors.init_app(app)
    fragments.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app


def _init_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # WeasyPrint logs every step of every certificate at INFO: noise, not news.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    from elearn import i18n, models  # noqa: F401  (registers the tables)
    from elearn.accounts import cache as account_cache

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _configure_sqlite)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    account_cache.init_app(app)


def _register_blueprints(app: Flask) -> None:
    # Imported here rather than at the top, so that importing one module of elearn (a model, the
    # GIFT parser) does not load every feature.
    from elearn.admin.routes import bp as admin_bp
    from elearn.api.routes import bp as api_bp
    from elearn.auth.routes import bp as auth_bp
    from elearn.authoring.routes import bp as authoring_bp
    from elearn.certificates.routes import bp as certificates_bp
    from elearn.coursestats.routes import bp as coursestats_bp
    from elearn.evaluation.routes import bp as evaluation_bp
    from elearn.health.routes import bp as health_bp
    from elearn.home.routes import bp as home_bp
    from elearn.hr.assignments.routes import bp as assignments_bp
    from elearn.hr.dashboard.routes import bp as dashboard_bp
    from elearn.hr.reports.routes import bp as reports_bp
    from elearn.learn.routes import bp as learn_bp
    from elearn.needs.routes import bp as needs_bp
    from elearn.notifications.routes import bp as notifications_bp
    from elearn.offline.routes import bp as offline_bp
    from elearn.records.routes import bp as records_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(records_bp)
    app.register_blueprint(assignments_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(coursestats_bp)
    app.register_blueprint(needs_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(api_bp)


def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """WAL and a busy timeout let several workers share one SQLite file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
