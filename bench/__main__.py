"""``make bench``: run every benchmark, print the table, write bench/results/."""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

from bench import table

Suite = Callable[[], list[table.Figure]]


def suites() -> dict[str, Suite]:
    from bench import frontdoor

    found: dict[str, Suite] = {"frontdoor": frontdoor.run}
    for name in ("queue", "speed", "rescore", "live", "memory", "result_page", "serve_pages"):
        try:
            module = __import__(f"bench.{name}", fromlist=["run"])
        except ImportError:
            continue
        found[name] = module.run
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("only", nargs="*", help="suites to run (default: all)")
    args = parser.parse_args()
    chosen = {k: v for k, v in suites().items() if not args.only or k in args.only}
    figures: list[table.Figure] = []
    started = time.monotonic()
    suite_seconds: dict[str, float] = {}  # the issue allows 15 minutes in all
    for name, run in chosen.items():
        print(f"running {name}…", flush=True)
        suite_started = time.monotonic()
        figures += run()
        suite_seconds[name] = round(time.monotonic() - suite_started, 1)
        print(f"{name} took {suite_seconds[name]} s", flush=True)
    meta = {
        "seconds": round(time.monotonic() - started, 1),
        "suite_seconds": suite_seconds,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "suites": list(chosen),
    }
    table.print_table(figures)
    table.write(figures, meta)
    print(f"wrote bench/results/latest.md and latest.json in {meta['seconds']} s")


if __name__ == "__main__":
    main()
