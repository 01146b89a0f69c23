#!/usr/bin/env python3
"""Measures the CLI as a user runs it: whole processes, repeated (figures in the README).

  cli/measure.py startup [RUNS]        one record in, one document out: wall ms, peak RSS
  cli/measure.py rate DIR [ROUNDS]     per dataset file DIR/<dataset>.ndjson (bench --generate):
                                       the CLI's marginal rate with --jobs 1 and 2, against the
                                       native batch rate `bench` reports for the same file

Uses dist/cloudflare-ecs and target/release/bench (./build.sh bench builds both).
"""
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

CLI = "dist/cloudflare-ecs"
BENCH = "target/release/bench"


def run(args, stdin_path=None):
    """Wall seconds of one process, output discarded."""
    with open(stdin_path or os.devnull, "rb") as stdin, open(os.devnull, "wb") as null:
        start = time.perf_counter()
        pid = os.posix_spawn(args[0], args, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, stdin.fileno(), 0),
                                           (os.POSIX_SPAWN_DUP2, null.fileno(), 1),
                                           (os.POSIX_SPAWN_DUP2, null.fileno(), 2)])
        _, status = os.waitpid(pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed")
    return wall


def peak_rss_kib(args):
    """Peak RSS of one process, by GNU time: a spawned child's own figure would include this
    Python process, which it is a copy of until it executes the CLI."""
    report = subprocess.run(["/usr/bin/time", "-f", "%M", *args], capture_output=True, text=True, check=True)
    return int(report.stderr.split()[-1])


def spread(values, unit, scale=1.0):
    values = sorted(v * scale for v in values)
    return f"min {values[0]:.1f} {unit}, median {statistics.median(values):.1f} {unit}, max {values[-1]:.1f} {unit}"


def startup(runs):
    with gzip.open("examples/logpush-batch.ndjson.gz", "rb") as batch:
        record = batch.readline()
    with tempfile.NamedTemporaryFile(suffix=".json") as one:
        one.write(record)
        one.flush()
        document = subprocess.run([CLI, one.name], capture_output=True, check=True).stdout
        assert document.count(b"\n") == 1, "one document out"
        walls = [run([CLI, one.name]) for _ in range(runs)]
        rss = [peak_rss_kib([CLI, one.name]) for _ in range(runs)]
    print(f"start-up, {runs} runs of `{CLI} one-record.json`:")
    print(f"  wall      {spread(walls, 'ms', 1e3)}")
    print(f"  peak RSS  {spread(rss, 'MB', 1024 / 1e6)}")


def native_batch_rate(path):
    out = subprocess.run([BENCH, "--no-wasm", "--no-node", path], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\(a\) native normalize_batch\s+([\d,]+)", out)
    return float(match.group(1).replace(",", ""))


def rate(directory, rounds):
    files = sorted(f for f in os.listdir(directory) if f.endswith(".ndjson"))
    print(f"records/s; CLI marginal = (lines - 1) / (time of the file - time of its first line), median of {rounds}")
    print(f"{'dataset':<18} {'lines':>6} {'native batch':>13} {'CLI -j1':>10} {'ratio':>6} {'CLI -j2':>10} {'-j2/-j1':>8}")
    for name in files:
        path = os.path.join(directory, name)
        with open(path, "rb") as f:
            lines = f.read().splitlines()
        with tempfile.NamedTemporaryFile(suffix=".ndjson") as first:
            first.write(lines[0] + b"\n")
            first.flush()
            native = native_batch_rate(path)
            cli = {}
            for jobs in ("1", "2"):
                times = []
                for _ in range(rounds):
                    whole = run([CLI, "--jobs", jobs, path])
                    one = run([CLI, "--jobs", jobs, first.name])
                    times.append(whole - one)
                cli[jobs] = (len(lines) - 1) / statistics.median(times)
        print(f"{name[:-7]:<18} {len(lines):>6} {native:>13,.0f} {cli['1']:>10,.0f} {cli['1'] / native:>6.2f} "
              f"{cli['2']:>10,.0f} {cli['2'] / cli['1']:>8.2f}")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "startup":
        startup(int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    elif len(sys.argv) >= 3 and sys.argv[1] == "rate":
        rate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
    else:
        sys.exit(__doc__)
