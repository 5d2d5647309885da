FROM mcr.microsoft.com/dotnet/runtime:8.0
COPY entrypoint.sh /
ENTRYPOINT ["/entrypoint.sh"]
