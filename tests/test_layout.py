"""The layout docs/architecture.md declares, checked on the source: the package order, one
blueprint convention, no borrowed private names, small modules and functions, no work at
import time."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from elearn.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "elearn"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def declared_order() -> list[str]:
    """The units, lowest first, from the fenced ``order`` block of docs/architecture.md."""
    document = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```order\n(.*?)```", document, re.S)
    assert block, "docs/architecture.md has no ```order block"
    return block[1].split()


def modules() -> list[tuple[str, Path]]:
    """Every module of elearn as (dotted name, path)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append((".".join(parts), path))
    return found


def unit_of(module: str) -> str | None:
    """The unit of the order a module belongs to: ``elearn.hr.reports.routes`` → ``hr``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imported(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import of elearn in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.startswith("elearn")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("elearn"):
                continue
            names = [alias.name for alias in node.names]
            if base == "elearn":
                found += [(f"elearn.{name}", [], node.lineno) for name in names if name != "create_app"]
            else:
                found.append((base, names, node.lineno))
    return found


def test_the_order_names_every_unit_once():
    order = declared_order()
    units = {unit_of(name) for name, _ in modules()} - {None}
    assert len(order) == len(set(order))
    assert sorted(units) == sorted(order)


def test_no_unit_imports_one_above_it():
    rank = {unit: position for position, unit in enumerate(declared_order())}
    upward = []
    for module, path in modules():
        source = unit_of(module)
        if source is None:
            continue
        for target, _, line in imported(module, path):
            target_unit = unit_of(target)
            if target_unit is not None and rank[target_unit] > rank[source]:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {source} imports {target}")
    assert not upward, "\n".join(upward)


def test_no_module_takes_a_private_name_of_another_package():
    borrowed = []
    for module, path in modules():
        for target, names, line in imported(module, path):
            if unit_of(target) == unit_of(module):
                continue
            private = [name for name in names if name.startswith("_") and name != "__version__"]
            private += [part for part in target.split(".") if part.startswith("_") and part != "__init__"]
            if private:
                borrowed.append(f"{path.relative_to(ROOT)}:{line}: {target} {private}")
    assert not borrowed, "\n".join(borrowed)


def test_blueprints_are_declared_with_their_views_in_routes_modules():
    misplaced = []
    for module, path in modules():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if path.name == "__init__.py" and (path.parent / "routes.py").exists():
            body = tree.body[1:] if tree.body and isinstance(tree.body[0], ast.Expr) else tree.body
            if body:
                misplaced.append(f"{path.relative_to(ROOT)}: more than a docstring")
        declares = "Blueprint(" in source
        views = re.search(r"^@bp\.", source, re.M)
        takes_bp = any("bp" in names for target, names, _ in imported(module, path))
        if path.name != "routes.py" and (declares or views):
            misplaced.append(f"{path.relative_to(ROOT)}: a blueprint or views outside routes.py")
        if path.name == "routes.py" and views and not declares:
            misplaced.append(f"{path.relative_to(ROOT)}: views of a blueprint declared elsewhere")
        if takes_bp and path != PACKAGE / "__init__.py":
            misplaced.append(f"{path.relative_to(ROOT)}: imports a blueprint")
    assert not misplaced, "\n".join(misplaced)


def test_imports_sit_at_the_top_of_every_module():
    late = []
    for module, path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen_code = False
        for node in tree.body:
            is_import = isinstance(node, (ast.Import, ast.ImportFrom))
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            if is_import and seen_code:
                late.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            seen_code = seen_code or not (is_import or is_docstring)
    assert not late, "\n".join(late)


def test_modules_and_functions_stay_small():
    too_long = []
    for module, path in modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") >= MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} is {length} lines")
    assert not too_long, "\n".join(too_long)


def test_importing_elearn_changes_nothing_outside_it():
    """Importing the package (and every feature) configures no logging and hooks no engine:
    that happens when an application is made, for that application."""
    probe = (
        "import logging, importlib, pkgutil, elearn\n"
        "from sqlalchemy import event\n"
        "from sqlalchemy.engine import Engine\n"
        "for info in pkgutil.walk_packages(elearn.__path__, 'elearn.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(len(logging.getLogger().handlers), event.contains(Engine, 'connect', elearn._configure_sqlite))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["0", "False"]


def test_a_sqlite_application_shares_its_file_safely(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("SQLite's settings")
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
