# Image for every process of the threshold-ECDSA cluster (cluster-init, node1..3, coordinator).
# One image, different commands; see docker-compose.yml for how they are wired together.
#
#   docker build -t tecdsa-cluster .
#   docker run --rm tecdsa-cluster            # prints usage
#
# TypeScript is run directly with tsx (a regular dependency), so there is no build step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so the layer is cached while only sources change.
# --ignore-scripts: package.json's "allowScripts" blocks the only two install scripts in the
# lockfile (esbuild, classic-level); the npm bundled with Node 20 does not read that field, so
# the same policy is applied explicitly. Both packages use prebuilt binaries at runtime.
# --omit=dev: the runtime needs only "dependencies" (tsx included).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force

COPY tsconfig.json ./
COPY protocol/ ./protocol/
COPY proto/ ./proto/
COPY node/ ./node/
COPY coordinator/ ./coordinator/
COPY scripts/ ./scripts/

# /cluster is where docker-compose mounts the shared cluster volume and the per-process data
# volumes. Creating the mount points here, owned by the runtime user, makes Docker initialise
# fresh named volumes with that ownership, so the non-root processes can write to them.
# The per-process directories get mode 0700 here, because cluster-init's mkdir does not change
# the mode of a directory that already exists.
RUN mkdir -p /cluster/node1/data /cluster/node2/data /cluster/node3/data /cluster/coordinator/data \
 && chown -R node:node /cluster \
 && chmod 0700 /cluster/node1 /cluster/node2 /cluster/node3 /cluster/coordinator /cluster/*/data

# The official image's unprivileged "node" user (uid/gid 1000); sources stay root-owned/read-only.
USER node

CMD ["node", "-e", "console.log(['Usage (one image, one process per container):', '  node --import tsx scripts/cluster-init.ts --dir /cluster --hosts node1,node2,node3,coordinator', '  node --import tsx node/src/cli.ts start --dir /cluster/node<i>', '  node --import tsx coordinator/src/cli.ts start --dir /cluster/coordinator', '', 'See docker-compose.yml: docker compose up -d'].join('\\n'))"]
