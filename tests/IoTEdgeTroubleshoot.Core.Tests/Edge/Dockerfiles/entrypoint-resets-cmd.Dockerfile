FROM node:20-alpine AS base
CMD npm start

FROM base
COPY . .
ENTRYPOINT ["node", "app.js"]
