"""Run Sightline's benchmarks: `make bench`, or `.venv/bin/python bench/run.py [NAME ...]`.

Each `bench/bench_*.py` exposes `NAME` and `run(ctx) -> dict`; the dict carries a `rows` list
of {metric, value, unit, goal?, database}. The runner writes `bench/results/<NAME>.json` (with
facts about the machine) and rebuilds the table in `bench/README.md` between the markers from
every JSON file in `bench/results`, so a new benchmark appears there by itself.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from _common import RESULTS_DIR, Context, machine_facts, row  # noqa: E402

README = BENCH_DIR / "README.md"
START = "<!-- results:start -->"
END = "<!-- results:end -->"


def discover() -> dict[str, ModuleType]:
    """NAME -> module for every bench/bench_*.py and bench/fault_*.py."""
    found: dict[str, ModuleType] = {}
    for path in sorted([*BENCH_DIR.glob("bench_*.py"), *BENCH_DIR.glob("fault_*.py")]):
        module = importlib.import_module(path.stem)
        name = getattr(module, "NAME", None)
        if not isinstance(name, str) or not callable(getattr(module, "run", None)):
            print(f"skipping {path.name}: it needs NAME and run(ctx)", file=sys.stderr)
            continue
        if name in found:
            raise SystemExit(f"two benchmarks are called {name!r}")
        found[name] = module
    return found


def run_one(name: str, module: ModuleType, ctx: Context) -> dict[str, Any]:
    ctx.log(f"== {name} ==")
    facts = machine_facts()
    started = time.perf_counter()
    try:
        result: dict[str, Any] = dict(module.run(ctx))
        status = "ok"
    except Exception as exc:  # one broken benchmark must not hide the others' results
        traceback.print_exc()
        result = {
            "error": f"{type(exc).__name__}: {exc}",
            "rows": [row("benchmark", f"failed: {exc}")],
        }
        status = "failed"
    record: dict[str, Any] = {
        "name": name,
        "title": getattr(module, "TITLE", name),
        "status": status,
        "machine": facts,
        "duration_s": round(time.perf_counter() - started, 1),
        **result,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{name}.json"
    out.write_text(json.dumps(record, indent=1, sort_keys=False, default=str) + "\n")
    ctx.log(f"wrote {out.relative_to(BENCH_DIR.parent)} ({record['duration_s']} s)")
    return record


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:,.1f}"
        return f"{value:.3g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table() -> str:
    """The markdown table of every result file, benchmark by benchmark."""
    lines = [
        "| benchmark | database | metric | value | unit | goal | measured |",
        "|---|---|---|---:|---|---|---|",
    ]
    notes: list[str] = []
    for path in sorted(RESULTS_DIR.glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            notes.append(f"- `{path.name}` could not be read: {exc}")
            continue
        machine = record.get("machine", {})
        date = str(machine.get("date", ""))[:10]
        cpus = machine.get("cpus_usable") or machine.get("cpu_count")
        measured = f"{date}, {cpus} CPU" if cpus else date
        name = record.get("name", path.stem)
        for r in record.get("rows", []):
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"`{name}`",
                        _cell(r.get("database")),
                        _cell(r.get("metric")),
                        _cell(r.get("value")),
                        _cell(r.get("unit")),
                        _cell(r.get("goal")),
                        measured,
                    ]
                )
                + " |"
            )
        commit = machine.get("git_commit")
        if commit:
            notes.append(
                f"- `{name}`: commit `{str(commit)[:12]}`, details in `results/{path.name}`"
            )
    if len(lines) == 2:
        lines.append("| (no results yet: run `make bench`) | | | | | | |")
    return "\n".join(lines + (["", *notes] if notes else []))


def refresh_readme() -> None:
    text = README.read_text() if README.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Results\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table()}\n{END}{tail}")


def main(argv: Sequence[str] | None = None) -> int:
    available = discover()
    parser = argparse.ArgumentParser(description="Run Sightline's benchmarks.")
    parser.add_argument("names", nargs="*", help=f"which to run (default all: {sorted(available)})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument(
        "--table-only", action="store_true", help="only rebuild the README table from results/"
    )
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.list:
        for name, module in sorted(available.items()):
            print(f"{name}: {getattr(module, 'TITLE', '')}")
        return 0
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {sorted(available)}")
    failed: list[str] = []
    if not args.table_only:
        ctx = Context(verbose=not args.quiet)
        # A module with RUN_BY_DEFAULT = False (the fault harness) runs only when named.
        default = sorted(n for n, m in available.items() if getattr(m, "RUN_BY_DEFAULT", True))
        for name in args.names or default:
            if run_one(name, available[name], ctx)["status"] != "ok":
                failed.append(name)
    refresh_readme()
    print(f"refreshed {README.relative_to(BENCH_DIR.parent)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
