"""Browser tests: a screenshot of the page in test-artifacts/ when a test fails.
And the real Redis some cache tests run against."""

import pytest
from django.test import override_settings

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    """The default cache on a real Redis (database 15, emptied before and after); skips without one."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379 (.ci/run starts one)")
    from django.core.cache import caches

    from config.cache import caches_from

    with override_settings(CACHES=caches_from(REDIS_TEST_URL, key_prefix="portal-test")):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # Fixtures read this in their teardown to know whether the test failed.
    setattr(item, "report_" + report.when, report)
