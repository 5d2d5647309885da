FROM mcr.microsoft.com/dotnet/runtime:8.0
ENV APP_DLL=FilterModule.dll
ENTRYPOINT dotnet $APP_DLL
