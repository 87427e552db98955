"""Browser tests: a screenshot of the page in test-artifacts/ when a test fails."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # Fixtures read this in their teardown to know whether the test failed.
    setattr(item, "report_" + report.when, report)
