#Requires -Version 7.0
<#
.SYNOPSIS
    Benchmark of Find-IoTEdgeKnownIssue -Path over a large generated IoT Edge log, against grep.

.DESCRIPTION
    1. Generates (once) a day of logs of a busy healthy device, written the way the runtime writes them:
       edgeHub_log.txt and edgeAgent_log.txt ('iotedge logs' lines with the <6> prefix, categories and a
       stack trace every few hundred entries) and journal.json ('journalctl -o json' records of the five
       aziot services), -Lines lines in all (2,000,000 by default, about 300 MB), seed 42. One line of each
       known issue's corpus (tests/.../Edge/KnownIssues/Corpus) is planted -Planted times at random places.
    2. Runs, in a fresh pwsh each, interleaved (ours, parse only, grep, ours, ...):
         Find-IoTEdgeKnownIssue -Path <folder>            the whole job: read, parse, fold, match
         Get-IoTEdgeModuleLog -Path <folder> | Measure    the same reading, every entry written to the pipeline
         grep -c -i -E '<every issue's needles>'          a plain text scan for the same words (GNU grep)
       and reads the pwsh process's peak resident memory (VmHWM) at the end.
    3. Checks that the issues found are exactly the planted ones.
    Not a test: figures depend on the machine. Needs the module built (./build.ps1).

.EXAMPLE
    ./bench/Measure-KnownIssueSearch.ps1 -Lines 1000000 -Runs 3
#>
[CmdletBinding()]
param(
    [int] $Lines = 2000000,
    [int] $Planted = 3,
    [int] $Runs = 3,
    [string] $DataPath,
    [switch] $Regenerate
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$manifest = Join-Path $root 'out/IoTEdgeTroubleshoot/IoTEdgeTroubleshoot.psd1'
if (-not (Test-Path $manifest)) { throw 'Build the module first: ./build.ps1' }
if (-not $DataPath) { $DataPath = Join-Path $root "bench-data/edge-logs-$Lines" }
$corpus = Join-Path $root 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/KnownIssues/Corpus'
Import-Module $manifest
. (Join-Path $root 'build/ChildPwsh.ps1')
$ids = [IoTEdgeTroubleshoot.Edge.KnownIssues.KnownIssueCatalog]::IssueIds

function New-BenchLog {
    Remove-Item -Recurse -Force $DataPath -ErrorAction SilentlyContinue
    New-Item -ItemType Directory $DataPath | Out-Null
    $random = [System.Random]::new(42)
    # One entry of each issue (the first of its corpus that shows it, read by the module itself), planted at
    # -Planted random places.
    $plants = @{}
    foreach ($id in $ids) {
        $entry = Get-IoTEdgeModuleLog -Path (Join-Path $corpus $id) |
            Where-Object { @($_ | Find-IoTEdgeKnownIssue).IssueId -contains $id } | Select-Object -First 1
        if (-not $entry) { continue } # a sequence (the edge agent's): planted below
        for ($k = 0; $k -lt $Planted; ) {
            $at = $random.Next(0, $Lines)
            if (-not $plants.ContainsKey($at)) { $plants[$at] = @{ Id = $id; Text = $entry.Message }; $k++ }
        }
    }
    # The edge agent issue is a sequence: its planted WebSocket attempt is the last agent line of the day.
    $healthy = @(
        '[INF] [Microsoft.Azure.Devices.Edge.Hub.Core.Routing.RoutingEdgeHub] - Processing 12 messages for route upstream',
        '[INF] [Microsoft.Azure.Devices.Edge.Hub.CloudProxy.CloudConnection] - Cloud connection for edge-gw-09/filterModule is Connected',
        '[DBG] [Microsoft.Azure.Devices.Edge.Hub.Mqtt.MessagingServiceClient] - Sending message to device edge-gw-09/sensor-17',
        '[INF] - Processing subscription Methods for client edge-gw-09/filterModule.',
        '[INF] - Updated reported properties',
        '[INF] - Obtained Edge agent twin from IoTHub with desired properties version 19 and reported properties version 86.',
        '[INF] - Scheduling server certificate renewal for "2026-08-18T05:55:00.0000000Z".',
        '[WRN] [Microsoft.Azure.Devices.Edge.Hub.Core.ConnectionManager] - Device edge-gw-09/sensor-3 disconnected, retrying in 5 s'
    )
    $stack = "System.TimeoutException: The operation did not complete in time`n   at Microsoft.Azure.Devices.Edge.Hub.Core.Routing.RoutingEdgeHub.ProcessDeviceMessageBatch()`n   at Microsoft.Azure.Devices.Edge.Hub.Mqtt.DeviceProxy.SendAsync()"
    $services = 'aziot-edged', 'aziot-identityd', 'aziot-keyd', 'aziot-certd', 'aziot-tpmd'
    $hub = [System.IO.StreamWriter]::new((Join-Path $DataPath 'edgeHub_log.txt'))
    $agent = [System.IO.StreamWriter]::new((Join-Path $DataPath 'edgeAgent_log.txt'))
    $journal = [System.IO.StreamWriter]::new((Join-Path $DataPath 'journal.json'))
    $start = [datetimeoffset]::new(2026, 7, 20, 0, 0, 0, [timespan]::Zero)
    $step = 86400.0 / $Lines
    try {
        for ($i = 0; $i -lt $Lines; $i++) {
            $time = $start.AddSeconds($i * $step)
            $stamp = $time.ToString('yyyy-MM-dd HH:mm:ss.fff', [cultureinfo]::InvariantCulture) + ' +00:00'
            $plant = $plants[$i]
            $kind = $i % 10
            if ($kind -lt 2) {
                $prefix = $time.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
                $text = if ($plant) { "$prefix [ERR!] - $($plant.Text)" } else { "$prefix [INFO] - --> 200 {`"content-type`": `"application/json`"} request $i" }
                $service = $services[$i % 5]
                $us = $time.ToUnixTimeMilliseconds() * 1000
                $journal.WriteLine('{"__CURSOR":"s=1;i=' + $i + '","__REALTIME_TIMESTAMP":"' + $us + '","PRIORITY":"6","SYSLOG_IDENTIFIER":"' + $service + '","_PID":"' + (700 + $i % 5) + '","_SYSTEMD_UNIT":"' + $service + '.service","MESSAGE":' + (ConvertTo-Json $text -Compress) + '}')
            }
            elseif ($kind -lt 4) {
                $text = if ($plant) { "[ERR] - $($plant.Text)" } else { $healthy[$i % 3 + 3] }
                $agent.WriteLine("<6> $stamp $text")
            }
            else {
                $text = if ($plant) { "[ERR] - $($plant.Text)" } else { $healthy[$i % 8] }
                $hub.WriteLine("<6> $stamp $text")
                if (-not $plant -and $i % 500 -eq 7) { $hub.WriteLine($stack) }
            }
        }
        $agent.WriteLine("<6> $($start.AddDays(1).ToString('yyyy-MM-dd HH:mm:ss.fff', [cultureinfo]::InvariantCulture)) +00:00 [INF] - Edge agent attempting to connect to IoT Hub via Amqp_WebSocket_Only...")
    }
    finally {
        $hub.Dispose(); $agent.Dispose(); $journal.Dispose()
    }
    $plants.Values | ForEach-Object Id | Sort-Object -Unique | Set-Content (Join-Path $DataPath 'planted.txt')
}

if ($Regenerate -or -not (Test-Path (Join-Path $DataPath 'planted.txt'))) { New-BenchLog }
$plantedIds = @(Get-Content (Join-Path $DataPath 'planted.txt')) + 'edgeagent-no-upstream' | Sort-Object -Unique
$files = Get-ChildItem $DataPath -File | Where-Object Name -NE 'planted.txt'
$bytes = ($files | Measure-Object Length -Sum).Sum
$lineCount = 0
foreach ($file in $files) { foreach ($line in [System.IO.File]::ReadLines($file.FullName)) { $lineCount++ } }
$needles = [IoTEdgeTroubleshoot.Edge.KnownIssues.KnownIssueCatalog]::Create() | ForEach-Object Needles | Sort-Object -Unique
$pattern = ($needles | ForEach-Object { [regex]::Escape($_) -replace '\\ ', ' ' }) -join '|'

function Invoke-Ours([string] $command) {
    $script = "Import-Module '$manifest'; `$w = [Diagnostics.Stopwatch]::StartNew(); `$r = @($command); `$s = `$w.Elapsed.TotalSeconds; " +
        "`$hwm = if (Test-Path /proc/self/status) { [long]((Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', '') * 1KB } else { 0 }; " +
        "[pscustomobject]@{ Seconds = `$s; Peak = `$hwm; Result = (`$r | ForEach-Object { if (`$_.IssueId) { `$_.IssueId } else { `$_.Count } }) } | ConvertTo-Json -Compress"
    $whole = [Diagnostics.Stopwatch]::StartNew()
    $out = Invoke-ChildPwsh -ArgumentList @('-Command', $script)
    $result = $out | Select-Object -Last 1 | ConvertFrom-Json
    $result | Add-Member Process $whole.Elapsed.TotalSeconds
    $result
}

$find = @(); $parse = @(); $grep = @()
for ($run = 1; $run -le $Runs; $run++) {
    $find += Invoke-Ours "Find-IoTEdgeKnownIssue -Path '$DataPath' -WarningAction SilentlyContinue"
    $parse += Invoke-Ours "Get-IoTEdgeModuleLog -Path '$DataPath' | Measure-Object"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $hits = & grep -c -i -E $pattern @($files.FullName)
    $grep += $watch.Elapsed.TotalSeconds
}

function Median([double[]] $values) { ($values | Sort-Object)[[int][math]::Floor($values.Count / 2)] }
$found = @($find[0].Result | Sort-Object -Unique)
$missing = @($plantedIds | Where-Object { $_ -notin $found })
$extra = @($found | Where-Object { $_ -notin $plantedIds })
$findSeconds = Median ($find | ForEach-Object Seconds)
[pscustomobject]@{
    Lines                     = $lineCount
    MB                        = [math]::Round($bytes / 1MB, 1)
    'Find-IoTEdgeKnownIssue s' = [math]::Round($findSeconds, 2)
    'lines/s'                 = [math]::Round($lineCount / $findSeconds)
    'MB/s'                    = [math]::Round($bytes / 1MB / $findSeconds, 1)
    'whole process s'         = [math]::Round((Median ($find | ForEach-Object Process)), 2)
    'entries to pipeline s'   = [math]::Round((Median ($parse | ForEach-Object Seconds)), 2)
    'grep -ciE needles s'     = [math]::Round((Median $grep), 2)
    'peak memory MB'          = [math]::Round((($find | ForEach-Object Peak | Measure-Object -Maximum).Maximum) / 1MB)
    'issues planted'          = $plantedIds.Count
    'found, missing, extra'   = "$($found.Count), $($missing.Count) $($missing -join ' '), $($extra.Count) $($extra -join ' ')"
} | Format-List
