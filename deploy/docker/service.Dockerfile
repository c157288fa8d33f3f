# syntax=docker/dockerfile:1
# The image of one Shopfloor service, built from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=auth \
#     --build-arg BUILD_COMMIT="$(git rev-parse HEAD)" \
#     --build-arg BUILD_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t shopfloor-auth .
# (deploy/compose.yaml builds every service this way, BUILD_COMMIT/BUILD_TIME from the
# environment.) They become the image's BUILD_COMMIT and BUILD_TIME, which catalog's
# /api/core/system/version/ reports; unset, it reports null.
#
# builder: uv installs shopfloor-$SERVICE and only its dependencies from uv.lock.
# runtime: python slim with the virtualenv and the source trees it points at
# (libs/ and services/$SERVICE/, which holds the Alembic migrations), run as a
# non-root user that cannot write to the code.

ARG PYTHON_IMAGE=python:3.11-slim
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name>" >&2; exit 1; }
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package "shopfloor-${SERVICE}"

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ENV SERVICE=${SERVICE} \
    PATH=/app/.venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 shopfloor \
 && useradd --system --uid 10001 --gid shopfloor --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin shopfloor \
 && install -d -o shopfloor -g shopfloor -m 0750 /var/lib/shopfloor/attachments
COPY --from=builder /app/.venv /app/.venv
COPY --from=builder /app/libs /app/libs
COPY --from=builder /app/services/${SERVICE} /app/services/${SERVICE}
WORKDIR /app/services/${SERVICE}
# Last, so that a new commit rebuilds this layer only.
ARG BUILD_COMMIT=""
ARG BUILD_TIME=""
ENV BUILD_COMMIT=${BUILD_COMMIT} \
    BUILD_TIME=${BUILD_TIME}
USER shopfloor:shopfloor
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# prestart waits for the database, migrates and bootstraps; then uvicorn replaces the shell.
CMD ["sh", "-c", "shopfloor-${SERVICE} prestart && exec shopfloor-${SERVICE} serve --host 0.0.0.0 --port 8000"]
