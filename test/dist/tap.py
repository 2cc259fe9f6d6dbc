# SPDX-License-Identifier: Apache-2.0
"""TAP output for the dist suite's Python checks: numbered points with
their problems as comments, and the plan with the exit status."""

_count = 0
_failed = 0


def tap(ok, name, problems=()):
    """One point; each problem is shown as comment lines."""
    global _count, _failed
    _count += 1
    print(f"{'ok' if ok else 'not ok'} {_count} - {name}")
    for p in problems:
        for line in str(p).splitlines():
            print(f"#   {line}")
    if not ok:
        _failed += 1


def check(name, problems):
    """A point that holds when there are no problems."""
    tap(not problems, name, problems)


def skip(name, why):
    global _count
    _count += 1
    print(f"ok {_count} - {name} # SKIP {why}")


def end():
    """Print the plan; the exit status: 1 when a point failed."""
    print(f"1..{_count}")
    return 1 if _failed else 0
