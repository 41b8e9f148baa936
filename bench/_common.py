"""Shared pieces for the benchmark runner and the benchmark modules (no Django imports)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"


@dataclass
class Context:
    """What `run.py` hands to each benchmark's `run(ctx)`."""

    root: Path = ROOT
    python: Path = field(default_factory=lambda: Path(sys.executable))
    results_dir: Path = RESULTS_DIR
    verbose: bool = True

    @property
    def venv_bin(self) -> Path:
        return self.python.parent

    def log(self, message: str) -> None:
        if self.verbose:
            stamp = dt.datetime.now().astimezone().strftime("%H:%M:%S")
            print(f"[{stamp}] {message}", flush=True)


def row(
    metric: str,
    value: float | int | str | None,
    unit: str = "",
    *,
    database: str = "",
    goal: str | None = None,
) -> dict[str, Any]:
    """One line of the README table."""
    out: dict[str, Any] = {"metric": metric, "value": value, "unit": unit, "database": database}
    if goal is not None:
        out["goal"] = goal
    return out


def sqlite_env(db: Path) -> dict[str, str]:
    """The environment of a benchmark's child process on its own SQLite file."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{db}",
        "PYTHONPATH": str(ROOT),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def git_commit(root: Path = ROOT) -> str | None:
    """HEAD's commit, read from .git's files (no git process is started)."""
    git = root / ".git"
    if git.is_file():  # a worktree: "gitdir: <path>"
        text = git.read_text().strip()
        if not text.startswith("gitdir:"):
            return None
        git = (root / text.split(":", 1)[1].strip()).resolve()
    head_file = git / "HEAD"
    if not head_file.exists():
        return None
    head = head_file.read_text().strip()
    if not head.startswith("ref:"):
        return head or None
    ref = head.split(":", 1)[1].strip()
    common = git
    commondir = git / "commondir"
    if commondir.exists():
        common = (git / commondir.read_text().strip()).resolve()
    for base in (git, common):
        ref_file = base / ref
        if ref_file.exists():
            return ref_file.read_text().strip() or None
    packed = common / "packed-refs"
    if packed.exists():
        for line in packed.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1] == ref:
                return parts[0]
    return None


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_facts() -> dict[str, Any]:
    """Facts about where the numbers were taken; the database versions come from each run."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 0
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "load_average_at_start": load,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "git_commit": git_commit(),
    }
