#Requires -Version 7.0
<#
.SYNOPSIS
    Whether the ReadyToRun image of Core pays: the built module against the same module without
    runtimes/ (the IL at the root), in fresh pwsh processes, in turn.

.DESCRIPTION
    Copies out/IoTEdgeTroubleshoot to a temp folder and removes runtimes/ from the copy, then runs a
    fresh pwsh -Runs times for each, alternating (image, IL, image, IL, ...) so that a change in the
    machine's speed touches both. Each process reports, from inside:
      - Import-Module's seconds;
      - the first Test-IoTEdgeConfig on a sample config.yaml (a short command: its first call is mostly JIT);
      - the first Get-IoTHubDisconnectDiagnosis -Path on -DataPath (default: the samples; give a
        folder of bench-data for the large shapes, see Measure-DisconnectDiagnosis.ps1);
      - the processor seconds of that diagnosis and of the whole process (user + system, all threads:
        the figure to trust on a busy machine, where wall seconds wait for other work);
      - the methods the runtime jitted in the whole process ([System.Runtime.JitInfo]).
    and the wall seconds of the whole process are taken from outside. Prints the medians and the
    image/IL ratio of each. Only PowerShell 7.6 (.NET 10) on linux-x64, linux-arm64 or win-x64 runs
    the image: elsewhere both columns are the IL. Not a test: figures depend on the machine.
    Needs the module built (./build.ps1).

.EXAMPLE
    ./bench/Measure-ReadyToRun.ps1 -Runs 7
    ./bench/Measure-ReadyToRun.ps1 -Runs 5 -DataPath ./bench-data/LongHistory/connections
#>
[CmdletBinding()]
param(
    [int] $Runs = 5,
    [string] $DataPath
)

$ErrorActionPreference = 'Stop'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$module = Join-Path $root 'out/IoTEdgeTroubleshoot'
if (-not (Test-Path (Join-Path $module 'runtimes'))) { throw 'Build the module with its images first: ./build.ps1' }
if (-not $DataPath) { $DataPath = Join-Path $root 'samples/connections' }
$config = Join-Path $root 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Configs/linux-1.1-manual.yaml'
. (Join-Path $root 'build/ChildPwsh.ps1')

$work = Join-Path ([IO.Path]::GetTempPath()) ('bench-readytorun-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory $work | Out-Null
try {
    $ilOnly = Join-Path $work 'IoTEdgeTroubleshoot'
    Copy-Item -Recurse $module $ilOnly
    Remove-Item -Recurse (Join-Path $ilOnly 'runtimes')

    $script = @'
param($Manifest, $Config, $DataPath)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$import = $clock.Elapsed.TotalSeconds
$clock.Restart()
$null = Test-IoTEdgeConfig -Path $Config
$short = $clock.Elapsed.TotalSeconds
$self = [System.Diagnostics.Process]::GetCurrentProcess()
$cpu = $self.TotalProcessorTime
$clock.Restart()
$null = Get-IoTHubDisconnectDiagnosis -Path $DataPath
$diagnosis = $clock.Elapsed.TotalSeconds
$self.Refresh()
[pscustomobject]@{
    Import = $import; FirstShort = $short; Diagnosis = $diagnosis
    DiagnosisCpu = ($self.TotalProcessorTime - $cpu).TotalSeconds; ProcessCpu = $self.TotalProcessorTime.TotalSeconds
    Jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount()
    Core = [IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly.Location
} | ConvertTo-Json -Compress
'@
    $scriptFile = Join-Path $work 'run.ps1'
    Set-Content $scriptFile $script

    $results = foreach ($run in 1..$Runs) {
        foreach ($variant in @(@{ Name = 'ReadyToRun'; Module = $module }, @{ Name = 'IL'; Module = $ilOnly })) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $said = Invoke-ChildPwsh -ArgumentList @('-File', $scriptFile, (Join-Path $variant.Module 'IoTEdgeTroubleshoot.psd1'), $config, $DataPath)
            $process = $clock.Elapsed.TotalSeconds
            $result = "$($said | Select-Object -Last 1)" | ConvertFrom-Json
            $result | Add-Member Variant $variant.Name
            $result | Add-Member Process $process
            $result
        }
    }

    function Get-Median([double[]] $Values) {
        $sorted = $Values | Sort-Object
        $middle = [int][math]::Floor($sorted.Count / 2)
        if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
    }

    $image = @($results | Where-Object Variant -EQ 'ReadyToRun')
    $il = @($results | Where-Object Variant -EQ 'IL')
    Write-Host "Core loaded from: $($image[0].Core) / $($il[0].Core)"
    foreach ($figure in 'Import', 'FirstShort', 'Diagnosis', 'DiagnosisCpu', 'Process', 'ProcessCpu', 'Jitted') {
        $a = Get-Median ([double[]]$image.$figure)
        $b = Get-Median ([double[]]$il.$figure)
        [pscustomobject]@{
            Figure             = $figure
            'ReadyToRun median' = [math]::Round($a, 3)
            'IL median'        = [math]::Round($b, 3)
            'ReadyToRun / IL'  = [math]::Round($a / $b, 3)
        }
    }
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
