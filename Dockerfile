# Airbyte source for SAP Business One.
#
# Needs BuildKit (the default builder since Docker 23) for the optional CA certificate secret.
# There is deliberately no `# syntax=` line: it would make every build pull a frontend image from
# Docker Hub, which builds behind a firewall cannot reach.
#
# Build arguments:
#   BASE_IMAGE    Node image for both stages. Default: the official slim image of the current
#                 Node LTS line. Swap it for a mirror or a hardened image of the same Node major.
#   NPM_REGISTRY  npm registry for `npm ci` (default: the public registry), e.g. a corporate mirror.
# Secret:
#   ca_cert       PEM file with extra CA certificates, for builds behind a TLS-intercepting proxy:
#                 docker build --secret id=ca_cert,src=/path/to/proxy-ca.pem .
#                 It is only mounted while `npm ci` runs and never stored in the image.

ARG BASE_IMAGE=node:26-bookworm-slim

# Production dependencies only, in their own stage so that the final image never sees dev tooling.
# --workspaces=false: the simulators under integration_tests/ are npm workspaces of package.json
# but deliberately not in the build context; npm documents that this setting makes install
# commands ignore workspaces altogether, so neither they nor their dependencies reach the image.
FROM ${BASE_IMAGE} AS production-dependencies
ARG NPM_REGISTRY=
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=ca_cert \
    if [ -s /run/secrets/ca_cert ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca_cert; fi; \
    if [ -n "$NPM_REGISTRY" ]; then export npm_config_registry="$NPM_REGISTRY"; fi; \
    npm ci --workspaces=false --omit=dev --ignore-scripts --no-audit --no-fund --update-notifier=false

# Compiles the connector: type generation from schemas/, then tsc into dist/.
FROM ${BASE_IMAGE} AS build
ARG NPM_REGISTRY=
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=ca_cert \
    if [ -s /run/secrets/ca_cert ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca_cert; fi; \
    if [ -n "$NPM_REGISTRY" ]; then export npm_config_registry="$NPM_REGISTRY"; fi; \
    npm ci --workspaces=false --no-audit --no-fund --update-notifier=false
COPY tsconfig.json ./
COPY schemas ./schemas
COPY src ./src
RUN npm run build --update-notifier=false

FROM ${BASE_IMAGE}
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /build/schemas ./schemas
COPY --from=build /build/dist ./dist
COPY --chmod=0755 src/docker-entrypoint.sh ./entrypoint.sh

ENV NODE_ENV=production
# Airbyte starts connectors by evaluating AIRBYTE_ENTRYPOINT with /bin/sh; `docker run` uses
# ENTRYPOINT. Both must be the same command (Airbyte's acceptance suite checks it).
ENV AIRBYTE_ENTRYPOINT="/app/entrypoint.sh"
ENTRYPOINT ["/app/entrypoint.sh"]

# Must equal metadata.yaml's dockerRepository and dockerImageTag (a test checks it).
LABEL io.airbyte.name="sap-b1-airbyte/source-sap-business-one"
LABEL io.airbyte.version="0.1.0"

# The official Node images provide this unprivileged user (uid 1000).
USER node
