"""One copy of each script: no two of the project's own static scripts (the apps' and the
site's, not vendored ones) share most of their code. A chart script copied into a second
app drifts from the first; a shared one lives in the site's `static/js/`."""

from __future__ import annotations

import difflib
import itertools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_AT_MOST = 0.6  # share of the longer script's code lines the two may have in common


def _scripts() -> list[Path]:
    found = [*ROOT.glob("sightline/*/static/**/*.js"), *ROOT.glob("static/js/**/*.js")]
    found += [*ROOT.glob("static/js/**/*.mjs")]
    return sorted(p for p in found if "vendor" not in p.parts)


def _code(path: Path) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = (re.sub(r"\s+", " ", line.split("//")[0]).strip() for line in text.splitlines())
    return [line for line in lines if len(line) > 3]


def test_no_two_scripts_are_copies_of_each_other() -> None:
    scripts = _scripts()
    assert (ROOT / "static/js/charts.js") in scripts
    copies = []
    for a, b in itertools.combinations(scripts, 2):
        code_a, code_b = _code(a), _code(b)
        matcher = difflib.SequenceMatcher(None, code_a, code_b, autojunk=False)
        shared = sum(block.size for block in matcher.get_matching_blocks())
        if shared / max(1, len(code_a), len(code_b)) > SHARED_AT_MOST:
            copies.append(f"{a.relative_to(ROOT)} ~ {b.relative_to(ROOT)} ({shared} lines)")
    assert not copies, "Scripts copied between apps (keep one in static/js/):\n" + "\n".join(copies)
