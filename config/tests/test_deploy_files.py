"""The deployment files in the repository: nginx accepts its config, the
systemd units parse, gunicorn's config loads, compose and nginx stay in step."""

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_nginx_accepts_the_production_config():
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed (apt-get install nginx): deploy/nginx/portal.conf not checked")
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed for the throwaway certificate of deploy/check_nginx.sh")
    result = subprocess.run(["bash", str(DEPLOY / "check_nginx.sh")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_loopback_nginx_config_is_the_production_one(tmp_path):
    """Tests and benchmarks run portal.conf itself, with only the host's paths and ports replaced."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("deploy_nginx_local", DEPLOY / "nginx" / "local.py")
    local = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(local)
    site = local.site_config(app_port=1, port=2, prefix=tmp_path, static_root=tmp_path, media_root=tmp_path)
    production = (DEPLOY / "nginx" / "portal.conf").read_text()
    location = production[production.index("    location / {\n") :]
    assert location.replace("unix:/run/portal/gunicorn.sock", "127.0.0.1:1") in site


def test_nginx_serves_stale_pages_only_within_the_bounds_the_app_sets():
    """``proxy_cache_use_stale updating`` or ``error`` would override the app's
    stale-while-revalidate and stale-if-error: a withdrawn essay stayed online
    for as long as someone kept asking for it."""
    for name in ("portal.conf", "compose.conf"):
        config = (DEPLOY / "nginx" / name).read_text()
        directives = [line.split("#")[0] for line in config.splitlines()]
        assert not [line for line in directives if "proxy_cache_use_stale" in line], name
        assert any("proxy_cache_background_update on;" in line for line in directives), name


def test_compose_nginx_config_is_the_production_one_with_the_app_upstream():
    production = (DEPLOY / "nginx" / "portal.conf").read_text()
    compose = (DEPLOY / "nginx" / "compose.conf").read_text()
    expected = production.replace(
        "server unix:/run/portal/gunicorn.sock fail_timeout=0;", "server app:8000 fail_timeout=0;"
    )
    expected = expected.replace("dangjian.example.gov.cn", "_")
    assert compose.endswith(expected)


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").iterdir()))
def test_systemd_units_parse(unit):
    path = DEPLOY / "systemd" / unit
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    assert "Unit" in parser
    kind = {"service": "Service", "socket": "Socket", "timer": "Timer"}[path.suffix[1:]]
    assert kind in parser
    if kind == "Service":
        command = parser["Service"]["ExecStart"].split()[0]
        assert command.startswith("/srv/portal/app/")
        assert (ROOT / command.removeprefix("/srv/portal/app/")).exists() or ".venv" in command
    verify = shutil.which("systemd-analyze")
    if verify and kind != "Service":
        # Services name paths of the installed host (/srv/portal); sockets and timers verify anywhere.
        result = subprocess.run([verify, "verify", "--man=no", str(path)], capture_output=True, text=True, timeout=60)
        assert "Unknown" not in result.stderr and "bad-setting" not in result.stderr, result.stderr


def test_gunicorn_config_loads(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    namespace = {}
    exec(compile((ROOT / "config" / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    assert namespace["workers"] == 3
    assert namespace["timeout"] == 30
    assert namespace["preload_app"] is True
    assert namespace["accesslog"] == "-"
    monkeypatch.delenv("GUNICORN_WORKERS")
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    exec(compile((ROOT / "config" / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    # One threaded worker per core, at least 2, at most 17; 8 threads each.
    assert namespace["workers"] == min(max(os.cpu_count(), 2), 17)
    assert namespace["threads"] == 8
    assert namespace["worker_connections"] == 40  # kept-alive connections spread over the workers
    assert namespace["worker_class"] == "gthread"
    assert namespace["max_requests"] == 0  # see the comment there: recycling unbalances kept-alive connections


def test_scripts_are_valid_shell():
    for script in ("backup.sh", "restore_check.sh", "check_nginx.sh", "postgres/primary-init.sh"):
        result = subprocess.run(["bash", "-n", str(DEPLOY / script)], capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)


def test_compose_file_names_the_whole_stack():
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed: docker-compose.yml only checked by reading")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"nginx", "app", "db", "db-replica", "redis", "backup"} <= set(compose["services"])
    app_env = compose["services"]["app"]["environment"]
    assert app_env["REDIS_URL"].startswith("redis://redis")
    assert "db-replica" in app_env["DATABASE_REPLICA_URL"]
