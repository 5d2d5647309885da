BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Planted = Get-Content -Raw (Join-Path $Samples 'planted-patterns.json') | ConvertFrom-Json
    $script:FromPath = Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample
    function Get-DiagnosisKey($d) { '{0}|{1}|{2}|{3}|{4}|{5}' -f $d.Pattern, $d.DeviceId, $d.DeviceCount, $d.DisconnectCount, $d.Confidence, $d.Evidence }
}

Describe 'Get-IoTHubDisconnectDiagnosis' {
    It 'finds every pattern planted in the samples, and nothing else' {
        $FromPath[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Hub.Diagnosis.IoTHubDisconnectDiagnosis'
        foreach ($pattern in 'Periodic', 'Random', 'DuplicateIdentity', 'NeverReconnected', 'AuthenticationFailure', 'DeviceNotFound') {
            $expected = @($Planted | Where-Object pattern -EQ $pattern | ForEach-Object deviceId | Sort-Object)
            $found = @($FromPath | Where-Object { "$($_.Pattern)" -eq $pattern } | ForEach-Object DeviceId | Sort-Object)
            $found | Should -Be $expected -Because "the $pattern devices"
        }
        $hubWide = @($FromPath | Where-Object { "$($_.Pattern)" -eq 'HubWide' })
        $hubWide.Count | Should -Be 1
        $planted = $Planted | Where-Object pattern -EQ 'HubWide'
        [math]::Abs($hubWide[0].DeviceCount - $planted.deviceCount) | Should -BeLessOrEqual 5
        $hubWide[0].DeviceId | Should -BeNullOrEmpty
    }

    It 'names the guide''s example: the device that renews its SAS token every 65 minutes' {
        $sas = $FromPath | Where-Object DeviceId -EQ 'sensor-sas-065'
        "$($sas.Pattern)" | Should -Be 'Periodic'
        $sas.MedianIntervalMinutes | Should -BeGreaterOrEqual 63
        $sas.MedianIntervalMinutes | Should -BeLessOrEqual 67
        $sas.MedianReconnectSeconds | Should -BeLessOrEqual 60
        $sas.Solution | Should -BeLike '*ignore a disconnect followed by a connect within a minute*'
    }

    It 'gives the same diagnoses from piped events as from -Path' {
        $piped = Get-IoTHubConnectionEvent -Path $ConnectionsSample | Get-IoTHubDisconnectDiagnosis
        $piped.Count | Should -Be $FromPath.Count
        Compare-Object ($piped | ForEach-Object { Get-DiagnosisKey $_ }) ($FromPath | ForEach-Object { Get-DiagnosisKey $_ }) | Should -BeNullOrEmpty
    }

    It 'reads the Event Hubs form of the same day to the same diagnoses' {
        $fromEventHubs = Get-IoTHubDisconnectDiagnosis -Path (Join-Path $Samples 'exports/eventhub-records.json')
        # The storage tree repeats a few records; de-duplication makes both agree.
        Compare-Object ($fromEventHubs | ForEach-Object { Get-DiagnosisKey $_ }) ($FromPath | ForEach-Object { Get-DiagnosisKey $_ }) | Should -BeNullOrEmpty
    }

    It 'filters by pattern, confidence and device' {
        (Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -Pattern HubWide, NeverReconnected).Pattern | Sort-Object -Unique | Should -Be @('HubWide', 'NeverReconnected')
        Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -MinimumConfidence High | Where-Object Confidence -NE 'High' | Should -BeNullOrEmpty
        (Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -DeviceId 'gateway-*').DeviceId | Sort-Object -Unique | Should -Be @(($Planted | Where-Object pattern -EQ 'DuplicateIdentity').deviceId | Sort-Object)
    }

    It 'uses connected-device metric points as corroboration' {
        $incident = $FromPath | Where-Object { "$($_.Pattern)" -eq 'HubWide' }
        $start = $incident.FirstSeen.UtcDateTime
        $points = foreach ($minute in -90..30) {
            @{ Timestamp = $start.AddMinutes($minute); Minimum = if ($minute -ge 0 -and $minute -lt 5) { 230 } else { 296 } }
        }
        $corroborated = Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -Pattern HubWide -Metric $points
        "$($corroborated.Confidence)" | Should -Be 'High'
        $corroborated.Evidence | Should -BeLike '*metric fell from 296 to 230*'
    }

    It 'takes the metric from a CSV through Import-Csv' {
        $fromCsv = Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -Pattern HubWide -Metric (Import-Csv (Join-Path $Samples 'exports/connected-devices.csv'))
        $fromCsv.Evidence | Should -Match 'the connected-device metric fell from \d+ to \d+'
    }

    It 'reports a metric point it cannot use, and goes on' {
        $result = Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -Pattern HubWide -Metric @{ Minimum = 3 } -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -Not -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidMetricPoint,IoTEdgeTroubleshoot.Commands.GetIoTHubDisconnectDiagnosisCommand'
    }

    It 'shows Pattern, device, Evidence and Solution in the table view' {
        $text = $FromPath | Select-Object -First 3 | Format-Table | Out-String -Width 300
        $text | Should -Match 'Pattern\s+Device\s+Confidence\s+Evidence\s+Solution'
        $text | Should -Match 'HubWide\s+\d+ devices'
    }
}

Describe 'Get-IoTHubDisconnectDiagnosis thresholds and input warnings' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        Import-Module $ManifestPath -Force
    }

    It 'lists every threshold in its help with the value and the reason the code uses' {
        $notes = (Get-Help Get-IoTHubDisconnectDiagnosis -Full).alertSet.alert.Text -join "`n"
        foreach ($threshold in [IoTEdgeTroubleshoot.Hub.Diagnosis.DiagnosisThresholds]::All) {
            $notes | Should -Match ([regex]::Escape("$($threshold.Name) = $($threshold.Value): $($threshold.Reason)."))
        }
    }

    It 'warns instead of calling every device NeverReconnected when only errors are piped' {
        $diagnoses = Get-IoTHubConnectionError -Path $ConnectionsSample | Get-IoTHubDisconnectDiagnosis -WarningVariable warnings -WarningAction SilentlyContinue
        $diagnoses | Where-Object Pattern -EQ 'NeverReconnected' | Should -BeNullOrEmpty
        ($warnings -join "`n") | Should -Match 'no successful connects'
        ($diagnoses | Where-Object Pattern -EQ 'HubWide').Count | Should -Be 1
    }

    It 'reads a large input without collections to the end, and backs the heap with 2 MB pages where Linux gives them on request' {
        # 64 MB and more is a large read: the samples' records, over and over, in one file.
        $large = Join-Path $TestDrive 'large/PT1H.json'
        $null = New-Item -ItemType Directory (Split-Path $large)
        $records = (Get-ChildItem $ConnectionsSample -Recurse -Filter PT1H.json | ForEach-Object { , [System.IO.File]::ReadAllBytes($_.FullName) }) # each file whole, not unrolled into bytes
        $stream = [System.IO.File]::Create($large)
        try { while ($stream.Length -lt 65MB) { foreach ($bytes in $records) { $stream.Write($bytes, 0, $bytes.Length) } } } finally { $stream.Dispose() }

        # A pwsh of its own: the advice stays for the rest of the process. Afterwards, the flags of the mapping that
        # holds a new object ("hg": huge pages advised), from /proc/self/smaps.
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ManifestPath'
`$verbose = Get-IoTHubDisconnectDiagnosis -Path '$large' -Verbose 4>&1 | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }
"HEAP=`$((`$verbose | Where-Object Message -Like '*2 MB pages*').Message)"
"MODE=`$([System.Runtime.GCSettings]::LatencyMode)"
`$pin = [System.Runtime.InteropServices.GCHandle]::Alloc([byte[]]::new(64), 'Pinned')
`$address = [uint64]`$pin.AddrOfPinnedObject().ToInt64()
`$pin.Free()
`$holds = `$false
foreach (`$line in [System.IO.File]::ReadAllLines('/proc/self/smaps')) {
    if (`$line -match '^([0-9a-f]+)-([0-9a-f]+) ') { `$holds = [Convert]::ToUInt64(`$Matches[1], 16) -le `$address -and `$address -lt [Convert]::ToUInt64(`$Matches[2], 16) }
    elseif (`$holds -and `$line -like 'VmFlags:*') { "FLAGS=`$(`$line.Substring(8).Trim())"; break }
}
"@
        $output = Invoke-ChildPwsh -ArgumentList @('-Command', $script) | ForEach-Object { "$_" }
        $said = @{}
        foreach ($line in $output) { if ($line -match '^([A-Z]+)=(.*)$') { $said[$Matches[1]] = $Matches[2] } }

        # The read ran without collections until its diagnoses were out; the session has them back.
        $said.MODE | Should -Not -BeNullOrEmpty -Because ($output -join "`n")
        $said.MODE | Should -Not -Be 'NoGCRegion'

        $setting = '/sys/kernel/mm/transparent_hugepage/enabled'
        if ($IsLinux -and (Test-Path $setting) -and (Get-Content -Raw $setting) -match '\[madvise\]') {
            $said.HEAP | Should -Match '^2 MB pages were asked for over the garbage collector''s heap \(0x[0-9a-f]+, [0-9]+ MB\) for this large read' -Because ($output -join "`n")
            $said.FLAGS -split ' ' | Should -Contain 'hg'
        }
        else {
            $said.HEAP | Should -BeNullOrEmpty -Because 'there are no 2 MB pages to ask for here'
        }
    }

    It 'leaves a damaged date out with a warning, and still finds the incident' {
        $folder = Join-Path $TestDrive 'damaged'
        Copy-Item -Recurse $ConnectionsSample $folder
        $file = Get-ChildItem $folder -Recurse -Filter PT1H.json | Select-Object -First 1
        $line = (Get-Content $file.FullName -TotalCount 1) -replace '"time": ?"2026-11-20T', '"time":"0001-01-01T'
        Add-Content $file.FullName $line
        $diagnoses = Get-IoTHubDisconnectDiagnosis -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue
        ($diagnoses | Where-Object Pattern -EQ 'HubWide').DeviceCount | Should -BeGreaterThan 50
        ($warnings -join "`n") | Should -Match '1 event\(s\) dated before 2015-01-01.*0001-01-01'
    }
}
