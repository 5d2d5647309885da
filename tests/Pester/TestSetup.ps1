# Dot-sourced by every test file: finds the assembled module (build.ps1 passes its manifest) and the samples.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ManifestPath = if ($env:IOTEDGETROUBLESHOOT_MANIFEST) { $env:IOTEDGETROUBLESHOOT_MANIFEST } else { Join-Path $RepoRoot 'out/IoTEdgeTroubleshoot/IoTEdgeTroubleshoot.psd1' }
if (-not (Test-Path $ManifestPath)) { throw "The module is not built: run ./build.ps1 first (looked for $ManifestPath)." }
$script:Samples = Join-Path $RepoRoot 'samples'
$script:ConnectionsSample = Join-Path $Samples 'connections'
# Invoke-ChildPwsh: a fresh pwsh like this one, whether installed or run as the .NET tool.
. (Join-Path $RepoRoot 'build/ChildPwsh.ps1')
