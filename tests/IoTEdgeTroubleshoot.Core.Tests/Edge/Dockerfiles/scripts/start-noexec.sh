#!/bin/sh
# prepare the module's folder, then start it
mkdir -p /app/data
dotnet FilterModule.dll
