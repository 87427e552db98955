"""The shipped nginx configuration (deploy/nginx/portal.conf), run on loopback.

The tests that check the portal behind nginx and the benchmarks that measure
it must run the configuration that is deployed, not a copy that drifts from
it. This module rewrites only what names the production host -- the
gunicorn socket, the cache directory, the ports, the certificate lines, the
static and media folders -- and wraps the result in a minimal nginx.conf
for a temporary prefix, run as a foreground process without root.

    python deploy/nginx/local.py PREFIX APP_PORT PORT   # writes PREFIX/nginx.conf

Tests and benchmarks load this file by path (``deploy/`` is not a package).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORTAL_CONF = HERE / "portal.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# What names the production host in portal.conf, and what replaces it.
_SOCKET = "server unix:/run/portal/gunicorn.sock fail_timeout=0;"
_CACHE_DIR = "/var/cache/nginx/portal"


def available() -> bool:
    return Path(NGINX).exists()


_STAFF_GEO = "geo $portal_staff_network {\n    default 1;\n}"


def staff_networks_block(networks) -> str:
    """The ``geo`` block that lets only ``networks`` reach the admin and the preview (empty: everyone)."""
    if not networks:
        return _STAFF_GEO
    lines = "".join(f"    {network} 1;\n" for network in networks)
    return "geo $portal_staff_network {\n    default 0;\n" + lines + "}"


def site_config(
    *,
    app_port: int,
    port: int,
    prefix: Path,
    static_root: Path,
    media_root: Path,
    rate_limits: bool = True,
    staff_networks=(),
) -> str:
    """portal.conf with its host-specific lines replaced: plain HTTP on ``port``,
    the app on ``app_port``, the cache and temporary files under ``prefix``;
    ``staff_networks`` as ADMIN_ALLOWED_NETWORKS would be written into it.

    ``rate_limits=False`` drops the per-client limit on query strings (``limit_req``): for a
    benchmark whose one load generator stands for many readers, never for the tests."""
    text = PORTAL_CONF.read_text()
    if _STAFF_GEO not in text:
        raise ValueError("deploy/nginx/portal.conf no longer contains the staff networks' geo block")
    text = text.replace(_STAFF_GEO, staff_networks_block(staff_networks))
    for needle in (
        _SOCKET,
        _CACHE_DIR,
        "listen 443 ssl http2;",
        "listen 80;",
        "/srv/portal/static/",
        "/srv/portal/media/",
    ):
        if needle not in text:
            raise ValueError(f"deploy/nginx/portal.conf no longer contains {needle!r}: update deploy/nginx/local.py")
    text = text.replace(_SOCKET, f"server 127.0.0.1:{app_port} fail_timeout=0;")
    text = text.replace(_CACHE_DIR, str(prefix / "cache"))
    # The HTTPS server becomes plain HTTP on loopback (no certificate needed);
    # the port-80 server, a redirect to HTTPS, gets a port of its own.
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port + 1};")
    text = re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*ssl_[a-z_]+ [^;]*;\n", "", text, flags=re.MULTILINE)
    text = text.replace("/srv/portal/static/", f"{static_root}/").replace("/srv/portal/media/", f"{media_root}/")
    if not rate_limits:
        text = re.sub(r"^\s*limit_req [^;]*;\n", "", text, flags=re.MULTILINE)
    return text


def write(
    prefix: Path,
    *,
    app_port: int,
    port: int,
    static_root: Path | None = None,
    media_root: Path | None = None,
    extra_http: str = "",
    workers: str = "1",
    rate_limits: bool = True,
    staff_networks=(),
) -> Path:
    """Write ``prefix/nginx.conf`` (and the site file it includes); returns its path."""
    prefix = Path(prefix)
    for name in ("cache", "logs", "static", "media"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    site = site_config(
        app_port=app_port,
        port=port,
        prefix=prefix,
        static_root=static_root or prefix / "static",
        media_root=media_root or prefix / "media",
        rate_limits=rate_limits,
        staff_networks=staff_networks,
    )
    (prefix / "portal.conf").write_text(site)
    # Started by root, nginx's workers would run as an unprivileged user that
    # cannot reach a private temporary prefix: they keep the starter's user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""\
{user}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy_temp;
    fastcgi_temp_path {prefix}/fastcgi_temp;
    uwsgi_temp_path {prefix}/uwsgi_temp;
    scgi_temp_path {prefix}/scgi_temp;
{extra_http}
    include {prefix}/portal.conf;
}}
""")
    return prefix / "nginx.conf"


def start(prefix: Path, **kwargs) -> subprocess.Popen:
    """Write the configuration, check it with ``nginx -t`` and start nginx in the foreground."""
    conf = write(prefix, **kwargs)
    args = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(Path(prefix) / "logs" / "error.log")]
    subprocess.run([*args, "-t", "-q"], check=True, capture_output=True)
    return subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(write(Path(sys.argv[1]), app_port=int(sys.argv[2]), port=int(sys.argv[3])))
