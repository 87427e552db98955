#!/usr/bin/env bash
# `nginx -t` on deploy/nginx/portal.conf, without root and without touching
# /etc/nginx: the file is wrapped in a minimal nginx.conf in a temporary
# prefix, with the paths it names (cache, certificates, socket) replaced by
# temporary ones. Exit status is nginx's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nginx_bin="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
[ -x "$nginx_bin" ] || { echo "nginx not found (apt-get install nginx)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/cache" "$tmp/logs"
# A throwaway self-signed certificate so the TLS server block loads.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" >/dev/null 2>&1
sed -e "s#/var/cache/nginx/portal#$tmp/cache#" \
    -e "s#/etc/ssl/portal/#$tmp/#g" \
    -e "s#unix:/run/portal/gunicorn.sock#127.0.0.1:9#" \
    -e "s#listen 80;#listen 127.0.0.1:18080;#; s#listen \[::\]:80;##" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:18443 ssl http2;#; s#listen \[::\]:443 ssl http2;##" \
    "$here/nginx/portal.conf" > "$tmp/portal.conf"
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi; uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    include $tmp/portal.conf;
}
CONF
"$nginx_bin" -t -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/logs/error.log"
