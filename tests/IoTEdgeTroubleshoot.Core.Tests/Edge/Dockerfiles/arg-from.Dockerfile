ARG FINAL=runtime
FROM mcr.microsoft.com/dotnet/runtime:8.0 AS runtime
ENTRYPOINT ["dotnet", "FilterModule.dll"]

FROM mcr.microsoft.com/dotnet/runtime:8.0 AS debug
ENTRYPOINT dotnet FilterModule.dll --debug

FROM ${FINAL}
COPY out/ /app/
