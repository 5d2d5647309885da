FROM mcr.microsoft.com/dotnet/runtime:8.0
WORKDIR /app
COPY out/ ./
COPY scripts/start-noexec.sh /app/
RUN chmod +x /app/start-noexec.sh
ENTRYPOINT ["/app/start-noexec.sh"]
