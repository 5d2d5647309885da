FROM mcr.microsoft.com/dotnet/runtime:8.0
WORKDIR /app
COPY out/ ./
COPY scripts/start-exec.sh /app/
ENTRYPOINT ["/bin/sh", "/app/start-exec.sh"]
