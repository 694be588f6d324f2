# Epoch Voice: build with the dev dependencies, run with the production ones only.
# docker build -t epoch-voice . && docker run --env-file .env -p 3000:3000 -v epoch-data:/data epoch-voice

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-server.mjs scripts/lazy-router-prefixes.mjs scripts/warm-code-cache.mjs ./scripts/
COPY src ./src
COPY web ./web
RUN npm run build
# V8's code cache for the bundle, written here: the image's dist/ is not writable by the server.
RUN node scripts/warm-code-cache.mjs

FROM node:20-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read from src at run time: the migrations (each instance migrates at start, under a lock)
# and the widget's browser assets.
COPY src/db/migrations ./src/db/migrations
COPY src/modules/widget/widget.js src/modules/widget/widget-demo.html ./src/modules/widget/
COPY package.json ./
# The PGlite database (when DATABASE_URL is unset) lives in the volume, owned by the app user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains (SHUTDOWN_DRAIN_MS) then closes; give it longer than drain + SHUTDOWN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
