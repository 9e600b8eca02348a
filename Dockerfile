# Marquee: build with the dev dependencies, run the compiled output on a slim Node 20 image as a non-root user.
#   docker build -t marquee .        (compose.yaml does this for you)

ARG NODE_IMAGE=node:20-bookworm-slim

# A compiler for native modules (sqlite3 builds from source when no prebuilt binary fits); only the build stages have it.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Every dependency, then TypeScript to dist/.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY migrations ./migrations
COPY scripts ./scripts
# The load benchmark (scripts/) drives the local fake Discord: compiled with it, never started by the bot.
COPY local-discord ./local-discord
RUN npm run build

# The production dependencies alone, native modules compiled here, in a fresh folder.
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS run
ENV NODE_ENV=production \
    HTTP_PORT=8080 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY package.json package-lock.json ./
# The default SQLite file lives here (mount a volume); with PostgreSQL nothing is written inside the container.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# /healthz answers 200 once every shard is ready and the database answers SELECT 1 within 1 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrates, then serves (as npm start does, without its build step); SIGTERM drains within Docker's 10 s.
# Several shards on this host: node dist/src/sharding-manager.js (npm run start:sharded without the build).
CMD ["node", "dist/src/index.js"]
