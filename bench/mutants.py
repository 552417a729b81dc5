"""Mutation testing figures per module, from mutmut's results (run by `./dev mutants`).

Prints, for each module mutmut mutated, the mutants killed, survived and the kill rate (target:
at least 85 % in each); the survivors are listed with `mutmut results` and shown one by one with
`mutmut show NAME`. Survivors that a review judged equivalent (no test could tell them from the
original) are listed with the reason in bench/mutants_equivalent.yaml: the table counts them, a
second rate leaves them out of the mutants that could be killed, and the list below the table
names them, any survivor nobody has reviewed, and any listed name that no longer survives (mutmut
numbers mutants per function: after an edit to a function, review its entries again).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

EQUIVALENT = Path(__file__).with_name("mutants_equivalent.yaml")

NAME = re.compile(r"^\s*([\w.]+?)\.x[_ǁ].*?__mutmut_\d+:\s*(\w[\w ]*)$")


def equivalent_mutants(path: Path = EQUIVALENT) -> dict[str, str]:
    """Reviewed survivors: mutant name -> why no test could kill it."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {entry["mutant"]: entry["reason"] for entry in entries}


def main() -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    listing = subprocess.run(
        [str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=False
    ).stdout
    reviewed = equivalent_mutants()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for line in listing.splitlines():
        found = NAME.match(line)
        if found:
            status = found.group(2).strip()
            counts[found.group(1)][status] += 1
            if status == "survived":
                name = line.split(":")[0].strip()
                survivors.append(name)
                if name in reviewed:
                    counts[found.group(1)]["equivalent"] += 1
    print(
        f"{'module':<26} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'no test':>7}"
        f" {'timeout':>7} {'not run':>7} {'killed % of run':>15} {'of killable':>11}"
    )
    for module, seen in sorted(counts.items()):
        total = sum(n for status, n in seen.items() if status != "equivalent")
        killed, survived, equivalent = seen["killed"], seen["survived"], seen["equivalent"]
        untested, timeout, not_run = seen["no tests"], seen["timeout"], seen["not checked"]
        run = killed + survived + untested + timeout
        rate = f"{(killed + timeout) / run:.1%}" if run else "-"
        killable = run - equivalent
        of_killable = f"{(killed + timeout) / killable:.1%}" if killable else "-"
        print(
            f"{module:<26} {total:>7} {killed:>6} {survived:>8} {equivalent:>6} {untested:>7}"
            f" {timeout:>7} {not_run:>7} {rate:>15} {of_killable:>11}"
        )
    print(f"\nSurvivors judged equivalent ({EQUIVALENT.name}):")
    for name in survivors:
        if name in reviewed:
            print(f"  {name}: {reviewed[name]}")
    unreviewed = [name for name in survivors if name not in reviewed]
    if unreviewed:
        print("\nSurvivors not reviewed (kill them with a test, or list them with a reason):")
        for name in unreviewed:
            print(f"  {name}")
    mutated = set(counts)
    stale = [
        name
        for name in reviewed
        if name not in survivors and any(name.startswith(f"{module}.") for module in mutated)
    ]
    if stale:
        print("\nListed as equivalent but no longer surviving (review the entry):")
        for name in stale:
            print(f"  {name}")


if __name__ == "__main__":
    main()
