"""Mutation testing figures per module, from mutmut's results (run by `./dev mutants`).

Prints, for each module mutmut mutated, the mutants killed, survived and the kill rate (target:
at least 85 % in each); the survivors are listed with `mutmut results` and shown one by one with
`mutmut show NAME`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

NAME = re.compile(r"^\s*([\w.]+?)\.x[_ǁ].*?__mutmut_\d+:\s*(\w[\w ]*)$")


def main() -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    listing = subprocess.run(
        [str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=False
    ).stdout
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in listing.splitlines():
        found = NAME.match(line)
        if found:
            counts[found.group(1)][found.group(2).strip()] += 1
    print(
        f"{'module':<26} {'mutants':>7} {'killed':>6} {'survived':>8} {'no test':>7}"
        f" {'timeout':>7} {'not run':>7} {'killed % of run':>15}"
    )
    for module, seen in sorted(counts.items()):
        total = sum(seen.values())
        killed, survived = seen["killed"], seen["survived"]
        untested, timeout, not_run = seen["no tests"], seen["timeout"], seen["not checked"]
        run = killed + survived + untested + timeout
        rate = f"{(killed + timeout) / run:.1%}" if run else "-"
        print(
            f"{module:<26} {total:>7} {killed:>6} {survived:>8} {untested:>7}"
            f" {timeout:>7} {not_run:>7} {rate:>15}"
        )


if __name__ == "__main__":
    main()
