# Measurement helpers: run a child process recording wall time and its own peak RSS (via GNU time),
# time short commands, percentiles, and on-disk (allocated) sizes of files and folders.
import os
import subprocess
import time
from dataclasses import dataclass
from typing import Dict, Optional, Sequence


GNU_TIME = "/usr/bin/time"


@dataclass
class ChildRun:
    wall_s: float
    peak_rss_bytes: int
    returncode: int
    stderr: str


def run_measured(argv: Sequence[str], stdout_path: str = os.devnull, env: Optional[Dict[str, str]] = None,
                 cwd: Optional[str] = None) -> ChildRun:
    """Runs argv to completion, recording wall time and the child's peak RSS.

    Peak RSS comes from GNU time (`/usr/bin/time -f %M`): a child forked straight from this process would
    inherit the bench's own high-water RSS across exec (Linux keeps signal->maxrss), so the small `time`
    process in between keeps the measurement to the child. Without /usr/bin/time, wait4's rusage is used
    and may include the bench's memory."""
    stderr_path = stdout_path + ".stderr" if stdout_path != os.devnull else None
    rss_path = stdout_path + ".rss" if stdout_path != os.devnull else "/tmp/bench-rss-%d" % os.getpid()
    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    command = [GNU_TIME, "-f", "%M", "-o", rss_path] + list(argv) if use_gnu_time else list(argv)
    with open(stdout_path, "wb") as stdout, open(stderr_path or os.devnull, "wb") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_kib = _gnu_time_peak_kib(rss_path) if use_gnu_time else usage.ru_maxrss
    error_text = _tail(stderr_path) if stderr_path else ""
    return ChildRun(wall, peak_kib * 1024, child.returncode, error_text)


def _gnu_time_peak_kib(path: str) -> int:
    """Last line of GNU time's -o file (earlier lines may say 'Command exited with non-zero status')."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return int(lines[-1]) if lines and lines[-1].isdigit() else 0


def _tail(path: str, limit: int = 4000) -> str:
    with open(path, "r", encoding="utf-8", errors="replace") as handle:
        return handle.read()[-limit:]


@dataclass
class TimedCommand:
    elapsed_ms: float
    returncode: int
    stdout: str
    stderr: str


def time_command(argv: Sequence[str], cwd: Optional[str] = None) -> TimedCommand:
    started = time.perf_counter_ns()
    done = subprocess.run(list(argv), stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd)
    elapsed_ms = (time.perf_counter_ns() - started) / 1e6
    return TimedCommand(elapsed_ms, done.returncode,
                        done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def percentile(values: Sequence[float], fraction: float) -> Optional[float]:
    """Nearest-rank percentile (p50 of 100 values is the 50th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    per_mille = int(round(fraction * 1000))
    rank = max(1, (per_mille * len(ordered) + 999) // 1000)  # ceil(fraction * n) in integers
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary(values: Sequence[float]) -> Dict[str, Optional[float]]:
    return {"n": len(values), "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99)}


def allocated_bytes(path: str) -> int:
    """Disk space actually used (like du), so sparse files such as an LMDB map count only written pages."""
    if os.path.isfile(path):
        return os.stat(path).st_blocks * 512
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, name)).st_blocks * 512 for name in files)
    return total


def file_sizes(path: str) -> Dict[str, int]:
    """Allocated bytes per file of a folder (relative names)."""
    sizes = {}
    for folder, _, files in os.walk(path):
        for name in files:
            full = os.path.join(folder, name)
            sizes[os.path.relpath(full, path)] = os.lstat(full).st_blocks * 512
    return sizes
