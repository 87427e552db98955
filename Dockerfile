# The portal's application image: gunicorn serving Django (config/gunicorn.conf.py).
# Used by docker-compose.yml. Not built on the development machines (no Docker
# there): kept correct by reading; see docs/deploy.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump/pg_restore for deploy/backup.sh and restore_check.sh; no compiler
# is needed (psycopg2-binary, rjieba and Pillow ship wheels).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/portal portal

WORKDIR /srv/portal/app
COPY requirements.txt .
RUN python -m venv .venv && .venv/bin/pip install -r requirements.txt
COPY . .

# Static files are collected into the image (WhiteNoise's hashed, compressed
# files); nginx serves them from the shared volume the entrypoint fills.
# The project's translations (locale/) are compiled here too (.mo files are not committed).
RUN .venv/bin/python -m config.messages \
    && DEBUG=0 SECRET_KEY=collectstatic-only STATIC_ROOT=/srv/portal/static-build \
    .venv/bin/python manage.py collectstatic --noinput -v0 \
    && mkdir -p /srv/portal/media /srv/portal/static var \
    && chown -R portal:portal /srv/portal

USER portal
ENV PATH=/srv/portal/app/.venv/bin:$PATH \
    STATIC_ROOT=/srv/portal/static \
    MEDIA_ROOT=/srv/portal/media \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_FORWARDED_ALLOW_IPS=*
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz/live', timeout=2).status != 200)"
# Copy the collected static files to the shared volume, migrate, then serve.
CMD ["sh", "-c", "cp -a /srv/portal/static-build/. /srv/portal/static/ && python manage.py migrate --noinput && exec gunicorn -c config/gunicorn.conf.py config.wsgi"]
