BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force

    # The number of error records in the storage sample, counted without the module.
    $script:SampleFiles = Get-ChildItem $ConnectionsSample -Recurse -Filter PT1H.json
    $script:ErrorLineCount = ($SampleFiles | Select-String -SimpleMatch '"level":"Error"').Count
    $script:LineCount = ($SampleFiles | Get-Content | Measure-Object).Count
    # The CSV export keeps milliseconds only: compare at that precision.
    function Get-EventKey($e) { '{0:yyyy-MM-ddTHH:mm:ss.fff}|{1}|{2}|{3}' -f $e.TimeGenerated.UtcDateTime, $e.DeviceId, $e.OperationName, $e.ResultType }
}

Describe 'Get-IoTHubConnectionError' {
    It 'returns every error record of the storage export tree, as typed events' {
        $errors = Get-IoTHubConnectionError -Path $ConnectionsSample
        $errors.Count | Should -Be $ErrorLineCount
        $errors | ForEach-Object { $_.Level } | Sort-Object -Unique | Should -Be 'Error'
        $errors[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent'
        $errors[0].TimeGenerated | Should -BeOfType [DateTimeOffset]
        $errors[0].TimeGenerated.Offset | Should -Be ([TimeSpan]::Zero)
        $errors[0].HubName | Should -Be 'CONTOSO-IOT-PROD'
        ($errors | Where-Object { -not $_.DeviceId }).Count | Should -Be 0
    }

    It 'reads the CSV and Event Hubs exports of the same day into the same errors' {
        $fromTree = Get-IoTHubConnectionError -Path $ConnectionsSample | ForEach-Object { Get-EventKey $_ } | Sort-Object -Unique
        $fromCsv = Get-IoTHubConnectionError -Path (Join-Path $Samples 'exports/loganalytics-connection-errors.csv') | ForEach-Object { Get-EventKey $_ } | Sort-Object -Unique
        $fromEventHubs = Get-IoTHubConnectionError -Path (Join-Path $Samples 'exports/eventhub-records.json') | ForEach-Object { Get-EventKey $_ } | Sort-Object -Unique
        $fromCsv.Count | Should -BeGreaterThan 100
        Compare-Object $fromTree $fromCsv | Should -BeNullOrEmpty
        Compare-Object $fromTree $fromEventHubs | Should -BeNullOrEmpty
    }

    It 'filters by device wildcard, result type and time window' {
        $sas = Get-IoTHubConnectionError -Path $ConnectionsSample -DeviceId 'SENSOR-SAS-*'
        $sas.Count | Should -BeGreaterThan 10
        $sas.DeviceId | Sort-Object -Unique | Should -Be 'sensor-sas-065'

        $conflicts = Get-IoTHubConnectionError -Path $ConnectionsSample -ResultType 409002
        $conflicts.ResultType | Sort-Object -Unique | Should -Be '409002'

        $start = [DateTime]::new(2026, 11, 20, 14, 0, 0, [DateTimeKind]::Utc)
        $end = $start.AddHours(2)
        $window = Get-IoTHubConnectionError -Path $ConnectionsSample -StartTime $start -EndTime $end
        $window.Count | Should -BeGreaterThan 0
        $window | Where-Object { $_.TimeGenerated.UtcDateTime -lt $start -or $_.TimeGenerated.UtcDateTime -ge $end } | Should -BeNullOrEmpty
    }

    It 'refuses an end time before the start time' {
        { Get-IoTHubConnectionError -Path $ConnectionsSample -StartTime '2026-11-21' -EndTime '2026-11-20' } |
            Should -Throw -ErrorId 'EndTimeBeforeStartTime,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionErrorCommand'
    }
}

Describe 'Get-IoTHubConnectionEvent' {
    It 'returns connects and disconnects, including the duplicated records the hub may write' {
        $events = Get-IoTHubConnectionEvent -Path $ConnectionsSample
        $events.Count | Should -Be $LineCount
        $events.OperationName | Sort-Object -Unique | Should -Be @('deviceConnect', 'deviceDisconnect')
    }

    It 'takes files from Get-ChildItem through the pipeline' {
        $piped = $SampleFiles | Get-IoTHubConnectionEvent
        $piped.Count | Should -Be $LineCount
    }

    It 'takes wildcards in -Path and exact names in -LiteralPath' {
        $folder = Join-Path $TestDrive 'odd[name]'
        New-Item -ItemType Directory $folder | Out-Null
        Copy-Item $SampleFiles[0].FullName (Join-Path $folder 'hour[1].json')
        $expected = ($SampleFiles[0] | Get-Content | Measure-Object).Count

        (Get-IoTHubConnectionEvent -LiteralPath (Join-Path $folder 'hour[1].json')).Count | Should -Be $expected
        (Get-IoTHubConnectionEvent -Path (Join-Path $Samples 'exports/*.json')).Count | Should -BeGreaterThan 1000
    }

    It 'reports a missing path as ObjectNotFound and goes on with the others' {
        $missing = Join-Path $TestDrive 'nope.json'
        $events = Get-IoTHubConnectionEvent -Path $missing, $SampleFiles[0].FullName -ErrorVariable problems -ErrorAction SilentlyContinue
        $events.Count | Should -BeGreaterThan 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $missing
        { Get-IoTHubConnectionEvent -LiteralPath $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'PathNotFound,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
    }

    It 'reports a malformed record with file and line, and reads the rest' {
        $lines = $SampleFiles[0] | Get-Content -TotalCount 3
        $broken = Join-Path $TestDrive 'broken.json'
        Set-Content $broken -Value @($lines[0], '{"time": "2026-11-20T00:00:00Z", oops', $lines[1], $lines[2])

        $events = Get-IoTHubConnectionEvent -Path $broken -ErrorVariable problems -ErrorAction SilentlyContinue

        $events.Count | Should -Be 3
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'MalformedLogRecord,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be $broken
        $problems[0].ToString() | Should -BeLike "*broken.json:2:*skipped*"
    }

    It 'shows events in the table view' {
        $text = Get-IoTHubConnectionError -Path $ConnectionsSample -ResultType 404104 | Select-Object -First 3 | Format-Table | Out-String -Width 200
        $text | Should -Match 'TimeGenerated \(UTC\)\s+DeviceId\s+OperationName'
        $text | Should -Match '404104'
    }
}

Describe 'Resolve-IoTHubConnectionError' {
    BeforeAll {
        $script:Resolutions = Get-IoTHubConnectionError -Path $ConnectionsSample | Resolve-IoTHubConnectionError
    }

    It 'gives one resolution per error code, most frequent first, with counts that add up' {
        $Resolutions[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Hub.IoTHubErrorResolution'
        $Resolutions.ResultType | Sort-Object -Unique | Should -HaveCount $Resolutions.Count
        ($Resolutions | Measure-Object Count -Sum).Sum | Should -Be $ErrorLineCount
        $counts = $Resolutions.Count
        for ($i = 1; $i -lt $Resolutions.Count; $i++) { $counts[$i] | Should -BeLessOrEqual $counts[$i - 1] }
        $Resolutions[0].ResultType | Should -Be '404104'
        $Resolutions[0].RootCause | Should -Not -BeNullOrEmpty
        $Resolutions[0].Resolution | Should -Not -BeNullOrEmpty
        $Resolutions[0].HelpUri | Should -BeLike 'https://learn.microsoft.com/*#404104-*'
        $Resolutions[0].DeviceCount | Should -BeGreaterThan 50
        $Resolutions[0].SampleDeviceIds.Count | Should -Be 5
    }

    It 'names the other errors of the devices that saw 409002' {
        $conflict = $Resolutions | Where-Object ResultType -EQ '409002'
        $conflict.RelatedResultTypes | Should -Not -BeNullOrEmpty
        $conflict.RelatedResultTypes[0] | Should -Match '^\d{6} \(\d+\)$'
        $conflict.Resolution | Should -BeLike 'The same devices also logged*'
    }

    It 'reports a code the catalog does not know with the hub''s description' {
        $unknown = $Resolutions | Where-Object ResultType -EQ '401002'
        $unknown.IsKnown | Should -BeFalse
        $unknown.Name | Should -Be 'IotHubUnauthorizedAccess'
    }

    It 'describes codes given by -ResultType or through the pipeline' {
        $described = Resolve-IoTHubConnectionError -ResultType 404104, 500001
        $described.Name | Should -Be @('DeviceConnectionClosedRemotely', 'ServerError')
        $described.ForEach('Count') | Should -Be @(0, 0)
        ('409002' | Resolve-IoTHubConnectionError).Name | Should -Be 'LinkCreationConflict'
    }

    It 'attaches the explanation to each event with -PerEvent' {
        $events = Get-IoTHubConnectionError -Path $SampleFiles[0].FullName | Resolve-IoTHubConnectionError -PerEvent
        $events.Count | Should -BeGreaterThan 0
        $events[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent'
        foreach ($e in $events) { $e.ErrorInfo.ResultType | Should -Be $e.ResultType }
    }

    It 'shows ResultType, counts and Resolution in the table view' {
        $text = $Resolutions | Format-Table | Out-String -Width 250
        $text | Should -Match 'ResultType\s+Name\s+Count\s+Devices\s+Transient\s+Resolution'
        $text | Should -Match '404104\s+DeviceConnectionClosedRemotely'
    }
}
