# The image charts/modelgate runs: `modelgate serve` as an unprivileged user
# on a read-only root filesystem. Build from the repository root:
#   docker build -t modelgate/modelgate:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY admission admission
COPY cli cli
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY package.json ./
COPY bin bin
COPY policies/dist policies/dist
USER 65532:65532
ENTRYPOINT ["node", "/app/bin/modelgate.js"]
CMD ["serve", "--help"]
