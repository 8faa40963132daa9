"""Under MEDCODE_NO_SKIP=1 (CI sets it) a skipped test fails the run.

`pytest.importorskip` turns a missing *or broken* pyarrow, numpy, pandas,
polars or pyspark into a skip, and pytest does not fail on skips; a machine
without a library may skip, CI may not. Collection-time skips (a module-level
`importorskip`) count too.
"""

import os

import pytest


def _no_skip() -> bool:
    return os.environ.get("MEDCODE_NO_SKIP") == "1"


def pytest_sessionfinish(session, exitstatus):
    if not _no_skip():
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if not skipped:
        return
    lines = []
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        lines.append(f"  {report.nodeid}: {reason}")
    print(f"\nMEDCODE_NO_SKIP=1: {len(skipped)} skipped test(s) fail this run:\n" + "\n".join(lines))
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
