# syntax=docker/dockerfile:1
#
# Production image for the Ehrenamt platform: web (gunicorn), Celery worker and Celery beat all run
# from this one image; docker-compose.yml picks the command. Three stages:
#   frontend - installs the front-end packages from package-lock.json (KERN-UX only, no dev packages)
#   builder  - installs the Python project into /opt/venv and compiles the message catalogues
#   runtime  - the slim final image: venv + project + KERN-UX + collected static files, non-root

# --- Front-end packages -------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- Python project -----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
# gettext provides msgfmt for compilemessages; it stays in this stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# The pinned dependencies first, from pyproject.toml alone, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt
# Then the project itself (pip install . checks it against the same pins).
COPY . .
RUN pip install . \
 && rm -rf build ./*.egg-info \
 && DJANGO_SECRET_KEY=build-only-dummy DATABASE_URL=sqlite:////tmp/build.sqlite3 CACHE_URL=locmemcache:// \
    python manage.py compilemessages \
 && rm -f /tmp/build.sqlite3

# --- Runtime ------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
# NUMPY_MADVISE_HUGEPAGE=0: NumPy asks for no transparent huge pages. A batch assignment allocates a few
# hundred MB of short-lived arrays; on a VM whose host takes freed memory back, every huge page fault zeroes
# 2 MB the host must back anew (measured: 100,000 × 100,000 `assign` 1.46–1.54 s without, 1.41–1.74 s with
# huge pages; benchmarks/matching.py).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings \
    NUMPY_MADVISE_HUGEPAGE=0
# WeasyPrint (PDF letters) needs Pango/HarfBuzz at run time, and the letters name DejaVu and Liberation
# fonts: without them the PDFs would fall back to whatever font exists, or fail to render.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 app \
 && useradd --uid 1000 --gid 1000 --home-dir /app --no-create-home --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# Code and static files belong to root and are read-only for the app user; only var/ is writable.
COPY --from=builder /src /app
COPY --from=frontend /build/node_modules/@kern-ux /app/node_modules/@kern-ux
# collectstatic only needs settings that load; these dummy values never reach a running container.
RUN DJANGO_SECRET_KEY=build-only-dummy DATABASE_URL=sqlite:////tmp/build.sqlite3 CACHE_URL=locmemcache:// \
    python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3 \
 && python -m compileall -q /app/config /app/volunteering /app/cms /app/notifications \
 && mkdir -p /app/var/media \
 && chown 1000:1000 /app/var /app/var/media
# MEDIA_ROOT (/app/var/media) is a volume in docker-compose.yml; a new named volume takes over the
# ownership of this directory, so uploads are writable for uid 1000.
USER 1000:1000
EXPOSE 8000
# The access log leaves out query strings and referrers: they can carry email addresses.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)s"]
