# syntax=docker/dockerfile:1.7
FROM node:20-alpine
RUN <<EOT
echo "building"
CMD node broken.js
EOT
CMD ["node", "app.js"]
