"""Reads that must be audited are audited by the selector that reads (issue 9, ADR 0010): no
page or API handler writes an audit row by hand, so none can show a record and forget its
access row. The selectors named `*_read` (and `dashboard_figure_export`) return what is shown
and write the row themselves.

Pages and handlers are every module under `sightline/site` and `sightline/api`, and the
domain apps' view and API modules: all of them (the last moved in issue 9's final pass)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "sightline"
SHELLS = ("site", "api")
WRITERS = {"audit_record", "audit_record_many"}

# Modules that may still call the writer, each with its reason. None of them records a read.
ALLOWED = {
    # Backup and restore run from the command line, by the system, over the whole database:
    # the row records that operation (a write), not a user's read of a record.
    "site/backup.py",
}


def _is_page_or_handler(path: Path) -> bool:
    name = path.relative_to(ROOT)
    if name.parts[0] in SHELLS:
        return True
    stem = path.stem
    in_package = any(part in ("views", "api") for part in name.parts[1:-1])
    return in_package or stem.startswith(("views", "api")) or stem.endswith(("_views", "_api"))


def _shell_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations", "management"} & set(path.parts) and _is_page_or_handler(path)
    )


def _writer_uses(tree: ast.AST) -> list[str]:
    """Every way the module reaches the audit writer: an import of it, a call of it, or an
    attribute of the audit services module with its name."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sightline.audit.services":
            names = [a.name for a in node.names if a.name in WRITERS]
            found += [f"line {node.lineno}: imports {name}" for name in names]
        elif isinstance(node, ast.Attribute) and node.attr in WRITERS:
            found.append(f"line {node.lineno}: uses .{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in WRITERS:
            found.append(f"line {node.lineno}: calls {node.func.id}")  # type: ignore[attr-defined]
    return found


def test_no_page_or_handler_writes_its_own_audit_row() -> None:
    offenders = {
        str(path.relative_to(ROOT)): uses
        for path in _shell_modules()
        if str(path.relative_to(ROOT)) not in ALLOWED
        and (uses := _writer_uses(ast.parse(path.read_text())))
    }
    assert offenders == {}, (
        "Pages and API handlers read through a selector that audits the read "
        f"(e.g. referrals.selectors.referral_read), never audit_record by hand: {offenders}"
    )


def test_the_check_sees_a_hand_written_audit_row() -> None:
    """The scan would catch each way of calling the writer, so the test above can fail."""
    source = (
        "from sightline.audit.services import audit_record\n"
        "from sightline.audit import services\n"
        "def view(request):\n"
        "    audit_record(actor=request.user, action='record.view')\n"
        "    services.audit_record_many([])\n"
    )
    uses = _writer_uses(ast.parse(source))
    assert uses == [
        "line 1: imports audit_record",
        "line 4: calls audit_record",
        "line 5: uses .audit_record_many",
    ]


def test_every_exempt_module_still_writes() -> None:
    """An exemption for a module that is gone or no longer writes is dropped, not kept."""
    for name in ALLOWED:
        path = ROOT / name
        assert path.exists(), name
        assert _writer_uses(ast.parse(path.read_text())), f"{name} no longer writes: drop it"
