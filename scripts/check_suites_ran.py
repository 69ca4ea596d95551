"""Fail unless the PostgreSQL, Redis (Celery) and browser suites each passed some tests.

Reads a pytest JUnit report. A suite counts as run when at least one test of it passed
and none of it was skipped: CI must never go green on a machine where a service was
missing and its tests quietly stepped aside.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

SUITES = ("postgres", "redis", "browser")


def main(path: str) -> int:
    passed = dict.fromkeys(SUITES, 0)
    skipped: dict[str, list[str]] = {suite: [] for suite in SUITES}
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
        tags = {
            tag
            for prop in case.iter("property")
            if prop.get("name") == "suites"
            for tag in prop.get("value", "").split(",")
        }
        skip = case.find("skipped")
        failed = case.find("failure") is not None or case.find("error") is not None
        for suite in tags & set(SUITES):
            if skip is not None:
                skipped[suite].append(f"{case.get('name')}: {skip.get('message', '')}")
            elif not failed:
                passed[suite] += 1
    ok = True
    for suite in SUITES:
        print(f"{suite}: {passed[suite]} passed, {len(skipped[suite])} skipped")
        if passed[suite] == 0 or skipped[suite]:
            ok = False
            for line in skipped[suite]:
                print(f"  {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
