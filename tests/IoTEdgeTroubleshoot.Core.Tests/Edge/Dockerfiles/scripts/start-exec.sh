#!/bin/sh
set -e
mkdir -p /app/data
exec dotnet FilterModule.dll "$@"
