#Requires -Version 7.0
<#
.SYNOPSIS
    Benchmark of Get-IoTHubDisconnectDiagnosis -Path against jq, with precision and recall of the
    patterns planted in the data.

.DESCRIPTION
    1. Generates (once per shape) about a million Connections records in the storage-account export
       layout with tools/LogGenerator, seed 42, with planted patterns. Three shapes:
         LongHistory  20,000 devices over 96 hours: few devices, long timelines (~990k records, ~660 MB)
         ManyDevices  80,000 devices over 24 hours: many devices with few events each, a new masked
                      IP address (a random /24) on every record (~1M records, ~700 MB)
         LargeHub     160,000 devices over 10 hours, a new masked IP address on every record: a large
                      hub's day, about six events a device (~1.06M records, ~690 MB)
       Half of the periodic devices log their token renewal as a refused connect (deviceConnect 401003)
       followed by a connect within a minute, as large hubs do: none of them may be AuthenticationFailure.
    2. Runs Get-IoTHubDisconnectDiagnosis -Path on it in a fresh pwsh process and reads that
       process's peak resident memory (VmHWM) at the end. The whole-process time runs from starting the
       process to its exit (start, import, run), without the reading of its results.
    3. Runs jq -c 'select(.level=="Error")' over the same files (Debian package jq), interleaved with
       our runs (ours, jq, ours, jq, ...) so that both see the same machine.
    4. Scores the diagnoses against planted-patterns.json: precision and recall per pattern
       (HubWide: a diagnosis matches a planted incident when their windows overlap).
    Not a test: figures depend on the machine. Needs the module built (./build.ps1).

.EXAMPLE
    ./bench/Measure-DisconnectDiagnosis.ps1 -Shape ManyDevices -Runs 5
#>
[CmdletBinding()]
param(
    [ValidateSet('LongHistory', 'ManyDevices', 'LargeHub')]
    [string] $Shape = 'LongHistory',
    [string] $DataPath,
    [int] $Runs = 3,
    [switch] $Regenerate
)

$shapes = @{
    LongHistory = @{ Devices = 20000; Hours = 96 }
    ManyDevices = @{ Devices = 80000; Hours = 24 }
    LargeHub = @{ Devices = 160000; Hours = 10 }
}
$Devices = $shapes[$Shape].Devices
$Hours = $shapes[$Shape].Hours
if (-not $DataPath) { $DataPath = Join-Path $PSScriptRoot "../bench-data/$Shape" }

$ErrorActionPreference = 'Stop'
# The child pwsh processes send nothing anywhere: PowerShell's telemetry (sent at start and on module import)
# and its update check are off, as in CI. It also keeps the telemetry's own work out of the figures.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$manifest = Join-Path $root 'out/IoTEdgeTroubleshoot/IoTEdgeTroubleshoot.psd1'
if (-not (Test-Path $manifest)) { throw "Build the module first: ./build.ps1" }
$connections = Join-Path $DataPath 'connections'

if ($Regenerate -or -not (Test-Path (Join-Path $DataPath 'planted-patterns.json'))) {
    Remove-Item -Recurse -Force $DataPath -ErrorAction SilentlyContinue
    $generate = @('--out', $DataPath, '--devices', $Devices, '--hours', $Hours, '--refused-renewals', '0.5', '--forms', 'storage')
    if ($Shape -ne 'LongHistory') { $generate += '--distinct-addresses' }
    & dotnet run --project (Join-Path $root 'tools/LogGenerator') -c Release -- @generate
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
}

$files = Get-ChildItem $connections -Recurse -Filter PT1H.json
$bytes = ($files | Measure-Object Length -Sum).Sum
$records = 0
foreach ($file in $files) { foreach ($line in [System.IO.File]::ReadLines($file.FullName)) { $records++ } }
$megabytes = $bytes / 1MB
Write-Host ("Data ($Shape): {0:N0} records, {1:N0} MB in {2} files" -f $records, $megabytes, $files.Count)
. (Join-Path $root 'build/ChildPwsh.ps1')
$pwsh = Get-ChildPwshCommand
$jq = Get-Command jq -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $jq) { Write-Warning 'jq is not installed (apt-get install jq): no comparison.' }
$list = Join-Path ([System.IO.Path]::GetTempPath()) 'iet-bench-files.txt'
$files.FullName | Sort-Object | Set-Content $list

# --- ours, in a fresh pwsh process each run ---
$script = @'
param($Manifest, $Path, $Out, $DiagnosesOut)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$imported = $clock.Elapsed.TotalSeconds
$command = [System.Diagnostics.Stopwatch]::StartNew()
$diagnoses = Get-IoTHubDisconnectDiagnosis -Path $Path
$seconds = $command.Elapsed.TotalSeconds
# Reported with .NET calls, not cmdlets: the first use of a cmdlet in a fresh process costs its compilation, which
# would count in the process's time below though it is the benchmark's, not the module's.
$peak = [regex]::Match([System.IO.File]::ReadAllText("/proc/$PID/status"), 'VmHWM:\s*(\d+)').Groups[1].Value
[System.IO.File]::WriteAllText($Out, [string]::Join(' ', [string[]]@($seconds.ToString('R', [cultureinfo]::InvariantCulture), $imported.ToString('R', [cultureinfo]::InvariantCulture), $peak, $diagnoses.Count)))
# Only the scoring run (not timed) writes the diagnoses: serialising thousands of them is not the command's cost.
if ($DiagnosesOut) {
    @($diagnoses | Select-Object @{ n = 'Pattern'; e = { "$($_.Pattern)" } }, DeviceId, DeviceCount, FirstSeen, LastSeen) |
        ConvertTo-Json -Depth 4 | Set-Content $DiagnosesOut
}
'@
$scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) 'iet-bench.ps1'
$resultFile = Join-Path ([System.IO.Path]::GetTempPath()) 'iet-bench.json'
$diagnosesFile = Join-Path ([System.IO.Path]::GetTempPath()) 'iet-bench-diagnoses.json'
Set-Content $scriptFile $script
# Ours and jq in turn, so that a change in the machine's speed touches both.
$ours = [System.Collections.Generic.List[object]]::new()
$jqRuns = [System.Collections.Generic.List[double]]::new()
foreach ($run in 1..$Runs) {
    # From starting the process to its exit: what a user waits for when running the command in a fresh pwsh, without
    # this script's reading of its results.
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh.Program)
    foreach ($argument in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $scriptFile, $manifest, $connections, $resultFile)) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $wall = [System.Diagnostics.Stopwatch]::StartNew()
    $child = [System.Diagnostics.Process]::Start($start)
    $child.WaitForExit()
    $processSeconds = $wall.Elapsed.TotalSeconds
    $fields = [System.IO.File]::ReadAllText($resultFile).Split(' ')
    $ours.Add([pscustomobject]@{
        CommandSeconds = [double]::Parse($fields[0], [cultureinfo]::InvariantCulture)
        ImportSeconds  = [double]::Parse($fields[1], [cultureinfo]::InvariantCulture)
        PeakMB         = [int]$fields[2] / 1024
        Count          = [int]$fields[3]
        ProcessSeconds = $processSeconds
    })

    if ($jq) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & bash -c "xargs -a '$list' -d '\n' cat | '$($jq.Source)' -c 'select(.level==`"Error`")' > /dev/null"
        $jqRuns.Add($clock.Elapsed.TotalSeconds)
    }
}
$jqSeconds = if ($jqRuns.Count) { ($jqRuns | Sort-Object)[[int][math]::Floor(($jqRuns.Count - 1) / 2)] } else { $null }

# --- precision and recall against what was planted ---
$planted = Get-Content -Raw (Join-Path $DataPath 'planted-patterns.json') | ConvertFrom-Json
& $pwsh.Program @($pwsh.Prefix) -NoProfile -NonInteractive -File $scriptFile $manifest $connections $resultFile $diagnosesFile
$found = Get-Content -Raw $diagnosesFile | ConvertFrom-Json
$score = foreach ($pattern in ($planted.pattern | Sort-Object -Unique)) {
    $truth = @($planted | Where-Object pattern -EQ $pattern)
    $predicted = @($found | Where-Object Pattern -EQ $pattern)
    if ($pattern -eq 'HubWide') {
        $overlaps = { param($p, $t) ([datetime]$p.FirstSeen) -le ([datetime]$t.windowEnd).AddMinutes(1) -and ([datetime]$p.LastSeen) -ge ([datetime]$t.windowStart).AddMinutes(-1) }
        $tp = @($predicted | Where-Object { $p = $_; @($truth | Where-Object { & $overlaps $p $_ }).Count -gt 0 }).Count
        $hit = @($truth | Where-Object { $t = $_; @($predicted | Where-Object { & $overlaps $_ $t }).Count -gt 0 }).Count
    }
    else {
        $truthIds = [System.Collections.Generic.HashSet[string]]::new([string[]]$truth.deviceId)
        $tp = @($predicted | Where-Object { $truthIds.Contains($_.DeviceId) }).Count
        $hit = $tp
    }
    [pscustomobject]@{
        Pattern   = $pattern
        Planted   = $truth.Count
        Found     = $predicted.Count
        Precision = if ($predicted.Count) { [math]::Round($tp / $predicted.Count, 3) } else { 0 }
        Recall    = if ($truth.Count) { [math]::Round($hit / $truth.Count, 3) } else { 0 }
    }
}

# Token renewals must never be called failing credentials.
$renewers = [System.Collections.Generic.HashSet[string]]::new([string[]]@($planted | Where-Object pattern -EQ 'Periodic' | ForEach-Object deviceId))
$renewalsBlamed = @($found | Where-Object { $_.Pattern -eq 'AuthenticationFailure' -and $renewers.Contains($_.DeviceId) }).Count

$median = { param($values) ($values | Sort-Object)[[int][math]::Floor(($values.Count - 1) / 2)] }
$commandSeconds = & $median $ours.CommandSeconds
$processSeconds = & $median $ours.ProcessSeconds
$peakMB = ($ours.PeakMB | Measure-Object -Maximum).Maximum
$summary = [pscustomobject]@{
    Records                 = $records
    MB                      = [math]::Round($megabytes)
    'Command s (median)'    = [math]::Round($commandSeconds, 2)
    'pwsh process s'        = [math]::Round($processSeconds, 2)
    'Records/s'             = [math]::Round($records / $commandSeconds)
    'MB/s'                  = [math]::Round($megabytes / $commandSeconds)
    'Peak pwsh MB'          = [math]::Round($peakMB)
    'jq s (median)'         = if ($jqSeconds) { [math]::Round($jqSeconds, 2) } else { 'n/a' }
    'Command / jq'          = if ($jqSeconds) { [math]::Round($commandSeconds / $jqSeconds, 3) } else { 'n/a' }
    'Process / jq'          = if ($jqSeconds) { [math]::Round($processSeconds / $jqSeconds, 3) } else { 'n/a' }
    'Renewals blamed'       = $renewalsBlamed
}
$summary | Format-List | Out-String | Write-Host
$score | Format-Table -AutoSize | Out-String | Write-Host
[pscustomobject]@{ Summary = $summary; Score = $score; Runs = @($ours | Select-Object CommandSeconds, ProcessSeconds, ImportSeconds, PeakMB) }
