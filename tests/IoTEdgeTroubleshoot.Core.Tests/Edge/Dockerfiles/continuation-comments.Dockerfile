# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/runtime:8.0
WORKDIR /app
COPY out/ ./
# The module itself is the main process.
ENTRYPOINT ["dotnet", \
# its assembly
    "FilterModule.dll"]
