FROM node:20-alpine AS base
WORKDIR /app
ENTRYPOINT npm start

FROM base AS release
COPY . .
RUN npm ci --omit=dev
