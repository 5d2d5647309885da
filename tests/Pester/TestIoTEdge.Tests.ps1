# Test-IoTEdge on a fake device root (FakeEdgeDevice.ps1): its files in a temp folder, recorded systemctl, journalctl,
# iotedge and docker alone on PATH, its parent a TLS listener on 127.0.0.1. A healthy device gives no Error; each
# planted fault gives exactly its check's Error with its remedy. Checks added to the catalog later are made to pass
# on the healthy device, so these tests name the ids they expect.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'NativeStandIns.ps1')
    Import-Module $ManifestPath -Force
    Add-Type -Path (Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Network/LoopbackServers.cs')
    . (Join-Path $PSScriptRoot 'FakeEdgeDevice.ps1')

    function Get-ErrorId($results) { @($results | Where-Object { "$($_.Status)" -eq 'Error' } | ForEach-Object CheckId | Select-Object -Unique) }

    $script:Healthy = New-FakeEdgeDevice
    $script:HealthyTime = Measure-Command { $script:HealthyResults = @(Invoke-FakeTestIoTEdge -Device $Healthy) }
    Write-Host "Test-IoTEdge on the healthy fake device: $([math]::Round($HealthyTime.TotalSeconds, 2)) s, $($HealthyResults.Count) results."
}

AfterAll {
    Remove-FakeTlsParent
}

Describe 'Test-IoTEdge on a healthy device' {
    It 'finds no Error, and runs every kind of check' {
        Get-ErrorId $HealthyResults | Should -BeNullOrEmpty -Because ($HealthyResults | Where-Object { "$($_.Status)" -eq 'Error' } | Out-String -Width 300)
        foreach ($id in 'config-readable', 'aziot-edged-config-well-formed', 'hostname', 'edged-running', 'keyd-running', 'edgehub-port-free-443', 'log-known-issues', 'dns-engine-config', 'dns-hub-resolves', 'host-connect-iothub-port',
            'edge-agent-storage-mounted-from-host', 'edge-hub-storage-mounted-from-host', 'container-engine-disk-space', 'edge-hub-disk-space', 'container-engine-logrotate', 'host-local-time') {
            $result = $HealthyResults | Where-Object CheckId -EQ $id
            $result | Should -Not -BeNullOrEmpty -Because "$id runs"
            "$($result[0].Status)" | Should -Be 'Pass' -Because "$id on a healthy device: $($result[0].Message)"
        }
        ($HealthyResults | Where-Object CheckId -EQ 'edge-deployment').Status | Should -Be 'Skipped' -Because 'no manifest was given'
        $eventLog = $HealthyResults | Where-Object CheckId -EQ 'eventlog-registered'
        "$($eventLog.Status)" | Should -Be 'Skipped'
        $eventLog.Message | Should -Match 'Windows only'
    }

    It 'takes a few seconds' {
        $HealthyTime.TotalSeconds | Should -BeLessThan 15
    }

    It 'writes IoTEdgeCheckResult objects with Category and Result, in catalog order' {
        $HealthyResults[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult'
        $HealthyResults[0].PSObject.TypeNames[0] | Should -Be 'IoTEdgeTroubleshoot.TestIoTEdgeResult'
        $HealthyResults[0].CheckId | Should -Be 'config-readable'
        $HealthyResults[0].Category | Should -Be 'Configuration'
        $HealthyResults[0].Result | Should -Be 'ok'
        $order = $HealthyResults.Category | Select-Object -Unique
        $order | Should -Be 'Configuration', 'Runtime', 'Logs', 'Connectivity'
    }

    It 'read the tools it should, each with its arguments as a list' {
        $journal = @(Get-NativeStandInCall -Folder $Healthy.Bin -Name journalctl)
        $journal[0] | Should -Contain 'aziot-edged'
        $journal[0] | Should -Contain '--since'
        $modules = @(Get-NativeStandInCall -Folder $Healthy.Bin -Name iotedge) | Where-Object { $_[0] -eq 'logs' }
        $modules | ForEach-Object { $_[1] } | Sort-Object | Should -Be 'edgeAgent', 'edgeHub'
    }

    It 'answers $true with -Quiet' {
        $answer = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Quiet = $true }
        $answer | Should -BeOfType [bool]
        $answer | Should -BeTrue
    }

    It 'never shows the connection string''s key' {
        $text = ($HealthyResults | Format-List * | Out-String -Width 400) + ($HealthyResults | ConvertTo-Json -Depth 4)
        $text | Should -Not -Match ([regex]::Escape($FakeKey))
    }
}

Describe 'Test-IoTEdge with a planted fault' {
    It 'a clock an hour and a half fast: host-local-time, fixed by Restart-IoTEdgeDaemon after the clock is set' {
        $fast = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackSntpServer]::new([TimeSpan]::FromMinutes(-90))
        try { $results = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ NtpServer = $fast.Address } }
        finally { $fast.Dispose() }
        Get-ErrorId $results | Should -Be 'host-local-time'
        $clock = $results | Where-Object CheckId -EQ 'host-local-time'
        $clock.Message | Should -Match 'ahead'
        $clock.RemedyCommand | Should -Match 'Restart-IoTEdgeDaemon'
    }

    It 'edgeHub storage inside its container: a Warning of edge-hub-storage-mounted-from-host, no Error' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -EdgeHubStorageInContainer)
        Get-ErrorId $results | Should -BeNullOrEmpty
        "$(($results | Where-Object CheckId -EQ 'edge-hub-storage-mounted-from-host').Status)" | Should -Be 'Warning'
        "$(($results | Where-Object CheckId -EQ 'edge-agent-storage-mounted-from-host').Status)" | Should -Be 'Pass'
    }

    It 'container logs that never rotate: a Warning of container-engine-logrotate, fixed by Set-IoTEdgeContainerLogRotation' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -DaemonJson '{ "dns": ["10.0.0.53"] }')
        Get-ErrorId $results | Should -BeNullOrEmpty
        $rotation = $results | Where-Object CheckId -EQ 'container-engine-logrotate'
        "$($rotation.Status)" | Should -Be 'Warning'
        $rotation.RemedyCommand | Should -Match '^Set-IoTEdgeContainerLogRotation '
    }

    It 'a placeholder hostname: hostname, fixed by Set-IoTEdgeHostname' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -HostnameLine 'hostname = "<ADD HOSTNAME HERE>"')
        Get-ErrorId $results | Should -Be 'hostname'
        ($results | Where-Object CheckId -EQ 'hostname').RemedyCommand | Should -Match '^Set-IoTEdgeHostname -Path '
    }

    It 'a config that is not TOML: aziot-edged-config-well-formed only, the checks that need it skipped' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -HostnameLine 'hostname = "edge01')
        Get-ErrorId $results | Should -Be 'aziot-edged-config-well-formed'
        ($results | Where-Object CheckId -EQ 'aziot-edged-config-well-formed').Remedy | Should -Not -BeNullOrEmpty
        "$(($results | Where-Object CheckId -EQ 'upstream-connectivity').Status)" | Should -Be 'Skipped'
        "$(($results | Where-Object CheckId -EQ 'dns-hub-resolves').Status)" | Should -Be 'Skipped'
    }

    It 'a stopped daemon: edged-running, fixed by Restart-IoTEdgeDaemon' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -EdgedState inactive -EdgedSubState dead)
        Get-ErrorId $results | Should -Be 'edged-running'
        $stopped = $results | Where-Object CheckId -EQ 'edged-running'
        $stopped.RemedyCommand | Should -Be 'Restart-IoTEdgeDaemon'
        $stopped.Message | Should -Match 'Stopped'
    }

    It 'a known issue in the daemon''s journal within the hour: log-known-issues, with the issue''s remedy' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -JournalLines 'Error: invalid hostname: hostname cannot be empty or greater than 64 characters')
        Get-ErrorId $results | Should -Be 'log-known-issues'
        $issue = $results | Where-Object CheckId -EQ 'log-known-issues'
        $issue.Message | Should -Match '^invalid-hostname: '
        $issue.RemedyCommand | Should -Be 'Set-IoTEdgeHostname'
        $issue.Remedy | Should -Match 'DNS name'
    }

    It 'a known issue in a module''s log: edgeHub''s port taken' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -EdgeHubLines 'Error starting edgeHub: Bind for 0.0.0.0:443 failed: port is already allocated')
        Get-ErrorId $results | Should -Be 'log-known-issues'
        $issue = $results | Where-Object CheckId -EQ 'log-known-issues'
        $issue.Message | Should -Match '^edgehub-port-in-use: .*edgeHub'
        $issue.RemedyCommand | Should -Match 'Test-IoTEdgeFirewall -Local'
    }

    It 'an issue older than an hour is not reported, even from a tool that ignores --since' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -JournalLines 'Error: invalid hostname: hostname cannot be empty' -JournalLinesMinutesAgo 90)
        Get-ErrorId $results | Should -BeNullOrEmpty
        "$(($results | Where-Object CheckId -EQ 'log-known-issues').Status)" | Should -Be 'Pass'
    }

    It 'a closed port toward the parent: that probe''s Error, with what to do' {
        $results = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Port = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]::ClosedPort() }
        Get-ErrorId $results | Should -Be 'host-connect-iothub-port'
        $probe = $results | Where-Object CheckId -EQ 'host-connect-iothub-port'
        "$($probe.FailedStage)" | Should -Be 'Tcp'
        $probe.Remedy | Should -Not -BeNullOrEmpty
    }

    It 'an empty DNS list in daemon.json: dns-engine-config, fixed by Set-IoTEdgeDns' {
        $device = New-FakeEdgeDevice -DaemonJson '{ "dns": [], "log-driver": "local" }'
        $results = Invoke-FakeTestIoTEdge -Device $device
        Get-ErrorId $results | Should -Be 'dns-engine-config'
        ($results | Where-Object CheckId -EQ 'dns-engine-config').RemedyCommand | Should -Be "Set-IoTEdgeDns -DaemonConfigPath '$($device.DaemonJsonPath)' -Server <address>"
    }

    It 'a process on a port edgeHub publishes: edgehub-port-free-8883, naming the process to stop' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 8883)
        $listener.Start()
        try {
            $results = Invoke-FakeTestIoTEdge -Device $Healthy
        }
        finally {
            $listener.Stop()
        }
        Get-ErrorId $results | Should -Be 'edgehub-port-free-8883'
        ($results | Where-Object CheckId -EQ 'edgehub-port-free-8883').RemedyCommand | Should -Be "Stop-Process -Id $PID"
    }

    It 'a manifest with a registry that has no credentials: manifest-registry-credentials' {
        $results = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ DeploymentPath = (Join-Path $Samples 'edge/deployment.amd64.json') }
        Get-ErrorId $results | Should -Be 'manifest-registry-credentials'
        ($results | Where-Object { $_.CheckId -eq 'manifest-registry-credentials' -and "$($_.Status)" -eq 'Error' }).Message | Should -Match 'fabrikam\.azurecr\.io'
    }

    It 'answers $false with -Quiet' {
        Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -EdgedState failed -EdgedSubState failed) -With @{ Quiet = $true } | Should -BeFalse
    }
}

Describe 'Test-IoTEdge on an IoT Edge 1.1 device' {
    It 'runs the 1.0/1.1 checks on config.yaml and the iotedge daemon, with no Error' {
        $device = New-FakeEdgeDevice -Generation11
        # 1.1 has no nested devices: its probes would go to 'localhost' with the system's roots only, which the test parent's certificate is not under.
        $results = Invoke-FakeTestIoTEdge -Device $device -With @{ Exclude = 'upstream-connectivity' }
        Get-ErrorId $results | Should -BeNullOrEmpty -Because ($results | Where-Object { "$($_.Status)" -ne 'Pass' } | Out-String -Width 300)
        "$(($results | Where-Object CheckId -EQ 'config-yaml').Status)" | Should -Be 'Pass'
        "$(($results | Where-Object CheckId -EQ 'iotedge-running').Status)" | Should -Be 'Pass'
        $results.CheckId | Should -Not -Contain 'edged-running'
        @(Get-NativeStandInCall -Folder $device.Bin -Name journalctl)[0] | Should -Contain 'iotedge'
    }

    It 'finds a stopped iotedge daemon' {
        $results = Invoke-FakeTestIoTEdge -Device (New-FakeEdgeDevice -Generation11 -EdgedState failed -EdgedSubState failed) -With @{ Exclude = 'upstream-connectivity' }
        Get-ErrorId $results | Should -Be 'iotedge-running'
        ($results | Where-Object CheckId -EQ 'iotedge-running').RemedyCommand | Should -Be 'Restart-IoTEdgeDaemon'
    }
}

Describe 'Test-IoTEdge where a check cannot run' {
    It 'skips the services and logs with the reason when systemctl, journalctl and iotedge are missing, and is no error' {
        $device = New-FakeEdgeDevice
        Remove-Item (Join-Path $device.Bin 'systemctl'), (Join-Path $device.Bin 'journalctl'), (Join-Path $device.Bin 'iotedge')
        $results = Invoke-FakeTestIoTEdge -Device $device -With @{ Generation = '1.5'; ErrorVariable = 'failures' }
        $failures | Should -BeNullOrEmpty
        Get-ErrorId $results | Should -BeNullOrEmpty
        $daemons = $results | Where-Object CheckId -EQ 'edge-daemons'
        "$($daemons.Status)" | Should -Be 'Skipped'
        $daemons.Message | Should -Match 'systemctl'
        "$(($results | Where-Object CheckId -EQ 'log-known-issues').Status)" | Should -Be 'Skipped'
    }

    It 'keeps to -TimeoutSeconds when systemctl, journalctl and iotedge never answer, the generation''s detection too' {
        $device = New-FakeEdgeDevice
        foreach ($tool in 'systemctl', 'journalctl', 'iotedge') {
            $path = Join-Path $device.Bin $tool
            [IO.File]::WriteAllText($path, "#!/bin/sh`nexec /bin/sleep 120`n")
        }
        # no -ConfigPath and no -Generation: which generation is installed is asked of systemctl first
        $previous = Use-NativeStandIn -Folder $device.Bin -Exclusive
        try {
            $time = Measure-Command { $results = @(Test-IoTEdge -Include 'edge-daemons', 'log-known-issues' -TimeoutSeconds 2 -NtpServer (Get-FakeTimeServer).Address -WarningAction SilentlyContinue) }
        }
        finally { $env:PATH = $previous }
        $time.TotalSeconds | Should -BeLessThan 20
        ($results | Where-Object CheckId -EQ 'edge-daemons').Message | Should -Match 'did not finish within 2 s'
    }
}

Describe 'Test-IoTEdge -Include, -Exclude and -Category' {
    It 'runs only the checks -Include names, by a result''s id or a check''s, with wildcards' {
        $one = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'edged-running' }
        $one.CheckId | Should -Be 'edged-running'
        $group = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'edge-daemons' }
        $group.CheckId | Should -Be 'edged-running', 'identityd-running', 'keyd-running', 'certd-running', 'tpmd-running'
        $wild = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'DNS-*' }
        $wild.CheckId | Should -Be 'dns-engine-config', 'dns-hub-resolves'
    }

    It 'leaves out what -Exclude names, and never runs a check excluded whole' {
        $results = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Exclude = 'edge-config', 'upstream-connectivity', '*-running' }
        $results.CheckId | Should -Not -Contain 'hostname'
        $results.CheckId | Should -Not -Contain 'host-connect-iothub-port'
        $results.CheckId | Where-Object { $_ -like '*-running' } | Should -BeNullOrEmpty
        $results.CheckId | Should -Contain 'log-known-issues'
    }

    It 'runs one -Category' {
        $device = New-FakeEdgeDevice
        $results = Invoke-FakeTestIoTEdge -Device $device -With @{ Category = 'Runtime' }
        $results.Category | Select-Object -Unique | Should -Be 'Runtime'
        $results.CheckId | Should -Contain 'edged-running'
        @(Get-NativeStandInCall -Folder $device.Bin -Name journalctl) | Should -BeNullOrEmpty -Because 'the logs are the Logs category'
    }

    It 'warns of a pattern that matches no id' {
        $output = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'edged-runing', 'edged-running' } 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings | Should -HaveCount 1
        ($output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }).CheckId | Should -Be 'edged-running'
        "$warnings" | Should -Match "No check or result id matches 'edged-runing'"
    }

    It 'takes the hub of a URL pasted whole, and refuses what is no host name before any check runs' {
        $results = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'dns-hub-resolves'; HubHostName = 'https://localhost/' }
        $results.Message | Should -Match "^'localhost' \(from -HubHostName\)"
        { Invoke-FakeTestIoTEdge -Device $Healthy -With @{ HubHostName = 'not a host' } } | Should -Throw -ErrorId 'InvalidHostname,IoTEdgeTroubleshoot.Commands.TestIoTEdgeCommand'
    }

    It 'completes -Include with the ids' {
        $line = 'Test-IoTEdge -Include edged'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be 'edged-running'
    }
}

Describe 'Test-IoTEdge output forms' {
    It 'writes clean JSON through ConvertTo-Json: flat values, status as text, no secret' {
        $json = $HealthyResults | ConvertTo-Json -Depth 3
        $items = $json | ConvertFrom-Json
        $items.Count | Should -Be $HealthyResults.Count
        foreach ($item in $items) {
            foreach ($property in $item.PSObject.Properties) {
                $property.Value -is [System.Management.Automation.PSCustomObject] | Should -BeFalse -Because "$($property.Name) of $($item.CheckId) should be a plain value"
            }
            $item.Result | Should -BeIn 'ok', 'warning', 'error', 'skipped'
        }
        $items[0].Category | Should -Be 'Configuration'
    }

    It 'quotes a path in RemedyCommand so that Invoke-Expression (example 6) sees one command, typographic quotes and all' {
        # PowerShell ends a single-quoted string at ' and at each of the typographic quotes U+2018..U+201B.
        $folder = Join-Path $TestDrive "it$([char]0x2019)s; Write-Output pwned; $([char]0x2018)x$([char]0x201B)"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        $path = Join-Path $folder 'daemon.json'
        [IO.File]::WriteAllText($path, '{ "log-driver": "json-file" }')
        $result = Invoke-FakeTestIoTEdge -Device $Healthy -With @{ Include = 'container-engine-logrotate'; ContainerEngineConfigPath = $path }
        "$($result.Status)" | Should -Be 'Warning'
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($result.RemedyCommand, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $commands = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
        $commands.Count | Should -Be 1 -Because $result.RemedyCommand
        $commands[0].CommandElements[2].Value | Should -BeExactly $path
    }

    It 'runs example 6 of Get-Help (the cron runbook) as written, paths adjusted: its log has the failing checks and what the fixes would change' {
        $device = New-FakeEdgeDevice -EdgedState failed -EdgedSubState failed -DaemonJson '{ "dns": ["10.0.0.53"], "log-driver": "json-file" }'
        $example = (Get-Help Test-IoTEdge -Examples).examples.example | Where-Object title -Match 'runbook for cron'
        $log = Join-Path $TestDrive 'iotedge-health.log'
        $code = ($example.code -join "`n").Replace('/var/log/iotedge-health.log', $log).Replace("Import-Module IoTEdgeTroubleshoot", "Import-Module '$ManifestPath'").
            Replace('Test-IoTEdge |', "Test-IoTEdge -ConfigPath '$($device.ConfigPath)' -ContainerEngineConfigPath '$($device.DaemonJsonPath)' -Port $($device.ParentPort) -NtpServer '$((Get-FakeTimeServer).Address)' |")
        $script = Join-Path $TestDrive 'iotedge-health.ps1'
        # as cron runs it: a fresh pwsh -File, the fake device's tools alone on PATH
        [IO.File]::WriteAllText($script, "`$env:PATH = '$($device.Bin)'`n" + $code)
        $output = Invoke-ChildPwsh -ArgumentList '-File', $script
        $LASTEXITCODE | Should -Be 1 -Because ($output | Out-String)
        $text = Get-Content -Raw $log
        $text | Should -Match 'edged-running: aziot-edged: Failed'
        $text | Should -Match 'would run: Restart-IoTEdgeDaemon'
        $text | Should -Match 'What if: .*Restart the IoT Edge' -Because 'the example says the log shows what the fixes would change'
    }

    It 'writes the shape of iotedge check --output json with -AsIotEdgeCheckJson' {
        $device = New-FakeEdgeDevice -EdgedState inactive -EdgedSubState dead
        $text = Invoke-FakeTestIoTEdge -Device $device -With @{ AsIotEdgeCheckJson = $true }
        $text | Should -BeOfType [string]
        $document = $text | ConvertFrom-Json -AsHashtable
        @($document.Keys) | Sort-Object | Should -Be 'additional_info', 'checks'
        $text | Should -Match '"now": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"'
        $document.additional_info.os.bitness | Should -BeIn 32, 64
        $document.additional_info.os.Keys | Should -Contain 'id'
        $document.additional_info.os.Keys | Should -Contain 'version_id'
        $ids = @($text | ConvertFrom-Json).checks.PSObject.Properties.Name
        $ids | Should -Be ([string[]]$ids | Sort-Object { $_ } -CaseSensitive -Culture '') -Because 'the ids come in ordinal order, as a BTreeMap writes them'
        foreach ($id in $document.checks.Keys) {
            $check = $document.checks[$id]
            @($check.Keys) | Sort-Object | Should -Be 'additional_info', 'result'
            $check.result.result | Should -BeIn 'ok', 'warning', 'ignored', 'skipped', 'fatal', 'error'
            if ($check.result.result -in 'warning', 'error', 'fatal') { , $check.result.details | Should -BeOfType [object[]] }
            else { $check.result.Keys | Should -Not -Contain 'details' }
        }
        $document.checks['edged-running'].result.result | Should -Be 'error'
        $document.checks['edged-running'].result.details[0] | Should -Match 'Stopped'
        $document.checks['edged-running'].additional_info.remedy_command | Should -Be 'Restart-IoTEdgeDaemon'
        $document.checks['keyd-running'].result.result | Should -Be 'ok'
        $document.checks['host-connect-iothub-port'].result.result | Should -Be 'ok'
        $text | Should -Not -Match ([regex]::Escape($FakeKey))
    }

    It 'shows Status, Category, CheckId, Message and Remedy in one table for results of every type' {
        $text = $HealthyResults | Format-Table | Out-String -Width 250
        $text | Should -Match 'Status\s+Category\s+CheckId\s+Message\s+Remedy'
        $text | Should -Match 'Pass\s+Connectivity\s+host-connect-iothub-port\s+The parent device localhost'
        ([regex]::Matches($text, 'Status\s+Category')).Count | Should -Be 1 -Because 'the probes and port checks are derived types, and still share the one table'
        Get-FormatData -TypeName 'IoTEdgeTroubleshoot.TestIoTEdgeResult' | Should -Not -BeNullOrEmpty
    }
}

Describe 'Test-IoTEdge and Ctrl+C' {
    It 'stops long before a probe''s time runs out' {
        $silent = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]::Silent()
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$ManifestPath'; `$env:PATH = '$($Healthy.Bin)'; Test-IoTEdge -ConfigPath '$($Healthy.ConfigPath)' -ContainerEngineConfigPath '$($Healthy.DaemonJsonPath)' -Port $($silent.Port) -NtpServer '$((Get-FakeTimeServer).Address)' -TimeoutSeconds 120")
            $previous = $env:PATH
            $running = $shell.BeginInvoke()
            $wait = [System.Diagnostics.Stopwatch]::StartNew()
            while ($silent.Accepted -eq 0 -and $wait.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
            $silent.Accepted | Should -Be 1 -Because 'the probe is under way, waiting for TLS'
            $stopping = Measure-Command { $shell.Stop() }
            $stopping.TotalSeconds | Should -BeLessThan 10
            $running.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $env:PATH = $previous
            $shell.Dispose()
            $silent.Dispose()
        }
    }
}

Describe 'Test-IoTEdge streams its results' {
    It 'writes the results of the checks before a waiting probe while the probe still waits' {
        $silent = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]::Silent()
        $shell = [powershell]::Create()
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            $null = $shell.AddScript("Import-Module '$ManifestPath'; `$env:PATH = '$($Healthy.Bin)'; Test-IoTEdge -ConfigPath '$($Healthy.ConfigPath)' -ContainerEngineConfigPath '$($Healthy.DaemonJsonPath)' -Port $($silent.Port) -NtpServer '$((Get-FakeTimeServer).Address)' -TimeoutSeconds 30 -Include edge-config, upstream-connectivity")
            $previous = $env:PATH
            $running = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $wait = [System.Diagnostics.Stopwatch]::StartNew()
            while (($silent.Accepted -eq 0 -or $output.Count -eq 0) -and $wait.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 500 # the rest of edge-config's results, had they not come at once
            $running.IsCompleted | Should -BeFalse -Because 'the probe waits up to 30 s for TLS'
            $silent.Accepted | Should -Be 1 -Because 'the probe is under way'
            $shown = @(for ($i = 0; $i -lt $output.Count; $i++) { $output[$i] }) # enumerating an open PSDataCollection waits for its end
            $shown.Count | Should -BeGreaterThan 0 -Because 'edge-config, first in the catalog, has ended'
            @($shown | Where-Object Category -ne 'Configuration').Count | Should -Be 0 -Because 'only edge-config has ended, not the probes (Connectivity)'
        }
        finally {
            $env:PATH = $previous
            $shell.Stop()
            $shell.Dispose()
            $silent.Dispose()
        }
    }
}

Describe 'about_IoTEdgeTroubleshoot for Test-IoTEdge' {
    BeforeAll {
        $script:About = Get-Content (Join-Path (Split-Path $ManifestPath) 'en-US/about_IoTEdgeTroubleshoot.help.txt')
    }

    It 'lists every device check in catalog order, and no other, in DEVICE CHECK IDS' {
        $start = [array]::IndexOf($About, '  DEVICE CHECK IDS')
        $start | Should -BeGreaterThan 0
        $terms = for ($i = $start + 1; $i -lt $About.Count -and $About[$i] -notmatch '^  \S'; $i++) { if ($About[$i] -match '^    (\S+)\s*$') { $Matches[1] } }
        $terms | Should -Be ([IoTEdgeTroubleshoot.Edge.DeviceChecks.DeviceCheckCatalog]::Ids)
    }

    It 'names every id -Include and -Exclude take' {
        $text = $About -join "`n"
        $missing = [IoTEdgeTroubleshoot.Edge.DeviceChecks.DeviceCheckCatalog]::AllIds | Where-Object { $text -notmatch "(?<![\w-])$([regex]::Escape($_))(?![\w-])" }
        $missing | Should -BeNullOrEmpty -Because 'every id must be explained in about_IoTEdgeTroubleshoot'
    }
}
