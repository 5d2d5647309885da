# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:\\app
COPY out/ .
ENTRYPOINT dotnet `
    FilterModule.dll
