FROM contosoacr.azurecr.io/base-module:1.0
COPY out/ /app/
