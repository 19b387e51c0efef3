# wesaid as a container: compiled JavaScript under plain node, as the unprivileged
# "node" user. See docs/deploy.md.

# ---- build: all dependencies, the Prisma client, dist/
FROM node:20-slim AS build
WORKDIR /app
# What `npm ci` needs, and what its postinstall (prisma generate) reads.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
# `npm ci` installs exactly the lock file. The lock is written on linux/x64; if
# npm refuses it on another platform (it lists only this one's optional
# packages), `npm install` resolves those for the platform at hand.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- run: only what production needs
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database's folder, when DATABASE_URL is not set: mount a volume here.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
# /healthz answers 503 while wesaid starts or while its database does not answer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`, { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is process 1's only child of note: SIGTERM from `docker stop` reaches it directly.
CMD ["node", "dist/src/main.js"]
