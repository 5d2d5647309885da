#Requires -Version 7.0
<#
.SYNOPSIS
    Benchmark of Test-IoTEdge on a healthy fake IoT Edge 1.5 device: how long every local check takes at once.

.DESCRIPTION
    Builds the fake device root the Pester suite uses (tests/Pester/FakeEdgeDevice.ps1: config.toml, the
    applied config.d files and daemon.json in a temp folder; recorded systemctl, journalctl, iotedge and docker
    stand-ins alone on PATH; its parent a TLS listener on 127.0.0.1; an SNTP server on 127.0.0.1), then:
      1. runs Test-IoTEdge -Runs times in this process (the module imported once, as in an interactive shell)
         and prints the median, the fastest and the slowest run;
      2. runs it -Runs times in a fresh pwsh each (start, import, run), as a scheduled script does with -Quiet.
    Each stand-in is a shell script, so every tool call costs a process start, as the real tools do.
    Nothing is sent beyond 127.0.0.1. Not a test: figures depend on the machine. Needs the module built
    (./build.ps1).

.EXAMPLE
    ./bench/Measure-TestIoTEdge.ps1 -Runs 7
#>
[CmdletBinding()]
param(
    [int] $Runs = 5
)

$ErrorActionPreference = 'Stop'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$TestDrive = Join-Path ([IO.Path]::GetTempPath()) ('bench-testiotedge-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory $TestDrive | Out-Null
try {
    . (Join-Path $root 'tests/Pester/TestSetup.ps1')
    . (Join-Path $root 'tests/Pester/NativeStandIns.ps1')
    Import-Module $ManifestPath -Force
    Add-Type -Path (Join-Path $root 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Network/LoopbackServers.cs')
    . (Join-Path $root 'tests/Pester/FakeEdgeDevice.ps1')

    $device = New-FakeEdgeDevice
    $null = Invoke-FakeTestIoTEdge -Device $device   # warm-up: JIT and the first process starts

    $inProcess = foreach ($run in 1..$Runs) {
        $results = $null
        $time = Measure-Command { $results = @(Invoke-FakeTestIoTEdge -Device $device) }
        $errors = @($results | Where-Object { "$($_.Status)" -eq 'Error' }).Count
        if ($errors) { throw "The healthy fake device gave $errors Error result(s): the benchmark measures a healthy run." }
        [pscustomobject]@{ Seconds = $time.TotalSeconds; Results = $results.Count }
    }

    # A fresh pwsh per run, as cron or a scheduled task starts one: -Quiet, the runbook's form.
    $script = @"
`$env:PATH = '$($device.Bin)'
Import-Module '$ManifestPath'
Test-IoTEdge -Quiet -ConfigPath '$($device.ConfigPath)' -ContainerEngineConfigPath '$($device.DaemonJsonPath)' -Port $($device.ParentPort) -NtpServer '$((Get-FakeTimeServer).Address)' -TimeoutSeconds 5
"@
    $fresh = foreach ($run in 1..$Runs) {
        $said = $null
        $time = Measure-Command { $said = Invoke-ChildPwsh -ArgumentList @('-Command', $script) }
        if ("$said".Trim() -ne 'True') { throw "A fresh pwsh said '$said', not True." }
        $time.TotalSeconds
    }

    function Get-Median([double[]] $values) {
        $sorted = $values | Sort-Object
        $middle = [int][math]::Floor($sorted.Count / 2)
        if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
    }

    $seconds = [double[]]($inProcess.Seconds)
    [pscustomobject]@{
        Runs                  = $Runs
        Results               = $inProcess[0].Results
        'InProcess median s'  = [math]::Round((Get-Median $seconds), 2)
        'InProcess min-max s' = '{0:0.00}-{1:0.00}' -f ($seconds | Measure-Object -Minimum).Minimum, ($seconds | Measure-Object -Maximum).Maximum
        'FreshPwsh median s'  = [math]::Round((Get-Median ([double[]]$fresh)), 2)
        'FreshPwsh min-max s' = '{0:0.00}-{1:0.00}' -f ($fresh | Measure-Object -Minimum).Minimum, ($fresh | Measure-Object -Maximum).Maximum
    } | Format-List
}
finally {
    Remove-FakeTlsParent
    Remove-Item -Recurse -Force $TestDrive -ErrorAction SilentlyContinue
}
