# syntax=docker/dockerfile:1
# One image per service: docker-compose.yml builds it six times with SERVICE=auth, gateway, ...
# The first two stages do not depend on SERVICE, so they are built once and shared by all six,
# and by the console's image (target `console`).
ARG NODE_VERSION=24.21.0

# Only the package manifests, so the install layer below is rebuilt only when a dependency changes.
FROM node:${NODE_VERSION}-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# The same install and build as the native run: `npm ci` from the lockfile, then `npx tsc -b`.
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b
# The console's page, bundled by Vite into console/dist/web (its size is printed, and capped).
RUN npm run build:console
# Dev dependencies (TypeScript, type packages, Vite and what it bundled) are not needed at run time.
RUN npm prune --omit=dev --no-audit --no-fund

# The console: its server and the built page. No telemetry preload (its own calls are not shop
# traffic); the same command as console/package.json's `start` script.
FROM node:${NODE_VERSION}-slim AS console
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/console ./console
# The Quests tab runs the quest runner: the quest files are its data, the progress goes to a volume.
COPY --from=build /app/docs/quests ./docs/quests
RUN mkdir -p /var/lib/tracequest-lab && chown node:node /var/lib/tracequest-lab
WORKDIR /app/console
USER node
CMD ["node", "dist/src/main.js"]

# The learner's command line, for a machine with Docker and no Node: `docker compose run --rm quest
# <command>` and `docker compose run --rm fault <command>` (docker-compose.yml). The quest files are
# the runner's data; the progress goes to a volume.
FROM node:${NODE_VERSION}-slim AS lab
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/docs/quests ./docs/quests
RUN mkdir -p /var/lib/tracequest-lab && chown node:node /var/lib/tracequest-lab
USER node
ENTRYPOINT ["node", "packages/lab/dist/src/quest.js"]

# The six services (the default target: the last stage).
FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
# The fault flags file lives on a volume shared by the six services (only the gateway writes it);
# a new volume takes this directory's owner, so the non-root user can write there.
RUN mkdir -p /var/lib/tracequest && chown node:node /var/lib/tracequest
ARG SERVICE
WORKDIR /app/services/${SERVICE}
RUN test -f dist/src/main.js || { echo "SERVICE must name a folder of services/ (got '${SERVICE}')" >&2; exit 1; }
USER node
# Identical to the services' package.json `start` script: telemetry is preloaded before the app.
CMD ["node", "--require", "@tracequest/telemetry/register", "dist/src/main.js"]
