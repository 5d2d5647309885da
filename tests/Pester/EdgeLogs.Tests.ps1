# Get-IoTEdgeDaemonLog, Get-IoTEdgeModuleLog and Find-IoTEdgeKnownIssue in a real pwsh, with recording stand-ins for
# journalctl and iotedge earlier on PATH (shell scripts that print fixture output and write down their arguments).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Fixtures = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Logs/Fixtures'
    $script:Corpus = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/KnownIssues/Corpus'

    # The shared recording stand-ins (NativeStandIns.ps1), one fresh folder each, put first on PATH while a script
    # runs: a tool that prints -Output (or the file chosen by one of its arguments, -OutputFor), says -Say on
    # standard error, sleeps -Sleep seconds and exits with -ExitCode; for an argument in -FailFor it says that and exits 1.
    . (Join-Path $PSScriptRoot 'NativeStandIns.ps1')
    function New-FakeTool([string] $Name, [string] $Output, [int] $ExitCode = 0, [string] $Say = '', [int] $Sleep = 0, [hashtable] $OutputFor = @{}, [hashtable] $FailFor = @{}) {
        $bin = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $options = @{ Folder = $bin; Name = $Name; ExitCode = $ExitCode; StandardError = $Say; SleepSeconds = $Sleep; OutputFileForArgument = $OutputFor; FailFor = $FailFor }
        if ($Output) { $options.OutputFile = $Output }
        New-NativeStandIn @options | Out-Null
        [pscustomobject]@{ Bin = $bin; Name = $Name }
    }

    function Invoke-WithFake($Fake, [scriptblock] $Script) {
        $oldPath = Use-NativeStandIn -Folder $Fake.Bin
        try {
            & $Script
        }
        finally {
            $env:PATH = $oldPath
        }
    }

    # The runs a stand-in recorded, each as its list of arguments.
    function Get-FakeRun($Fake) {
        , @(Get-NativeStandInCall -Folder $Fake.Bin -Name $Fake.Name)
    }
}

Describe 'Get-IoTEdgeDaemonLog' {
    It 'reads the five aziot units through journalctl -o json, each value a separate argument, as typed entries' -Skip:$IsWindows {
        $fake = New-FakeTool journalctl (Join-Path $Fixtures 'journal-1.5.json')
        $start = [datetime]::new(2026, 7, 20, 10, 0, 0, [System.DateTimeKind]::Utc)
        $entries = Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.5 -StartTime $start -EndTime $start.AddHours(2) -Tail 500 }

        $run = (Get-FakeRun $fake)[0]
        $run | Should -Be @('-u', 'aziot-edged', '-u', 'aziot-identityd', '-u', 'aziot-keyd', '-u', 'aziot-certd', '-u', 'aziot-tpmd',
            '-o', 'json', '--no-pager', '--all', '--since', '@1784541600', '--until', '@1784548800', '-n', '500')
        $entries | Should -HaveCount 8
        $entries[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.Logs.IoTEdgeLogEntry'
        ($entries.Source | Sort-Object -Unique) | Should -Be @('aziot-certd', 'aziot-edged', 'aziot-identityd', 'aziot-keyd', 'aziot-tpmd')
        $last = $entries[-1]
        "$($last.Level)" | Should -Be 'Error'
        $last.Message | Should -Be 'Failed to start the module runtime'
        $last.ProcessId | Should -Be 705
    }

    It 'reads the iotedge unit for 1.1, folding the daemon''s next lines into its error' -Skip:$IsWindows {
        $fake = New-FakeTool journalctl (Join-Path $Fixtures 'journal-1.1.json')
        $entries = Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.1 }
        (Get-FakeRun $fake)[0] | Should -Be @('-u', 'iotedge', '-o', 'json', '--no-pager', '--all')
        $error1 = $entries | Where-Object { "$($_.Level)" -eq 'Error' -and $_.Source -eq 'iotedged' }
        $error1.Message | Should -Match '(?s)could not start up successfully.*caused by: Edge device information is required'
    }

    It 'warns when the journal hides other users'' messages, and still returns what it got' -Skip:$IsWindows {
        $fake = New-FakeTool journalctl (Join-Path $Fixtures 'journal-1.1.json') -Say 'Hint: You are currently not seeing messages from other users and the system.'
        $all = Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.1 3>&1 }
        "$($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })" | Should -Match 'systemd-journal'
        $all | Where-Object { $_ -is [IoTEdgeTroubleshoot.Edge.Logs.IoTEdgeLogEntry] } | Should -Not -BeNullOrEmpty
    }

    It 'stops with NativeToolFailed when journalctl fails, saying what it said' -Skip:$IsWindows {
        $fake = New-FakeTool journalctl '' -ExitCode 1 -Say 'Failed to add filter for units: No data available'
        { Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.5 } } |
            Should -Throw -ErrorId 'NativeToolFailed,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand' -ExpectedMessage '*No data available*systemctl status aziot-edged*'
    }

    It 'reports each line of journalctl output that is no journal record as MalformedLogRecord, never as an entry' -Skip:$IsWindows {
        $garbage = Join-Path $TestDrive 'garbage.txt'
        Set-Content $garbage ('not json at all', (Get-Content (Join-Path $Fixtures 'journal-1.5.json'))[0], '[1,2]', 'Segmentation fault')
        $fake = New-FakeTool journalctl $garbage
        $all = Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.5 -ErrorAction Continue 2>&1 }
        $problems = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -is [IoTEdgeTroubleshoot.Edge.Logs.IoTEdgeLogEntry] }) | Should -HaveCount 1
        $problems | Should -HaveCount 3
        $problems[0].FullyQualifiedErrorId | Should -Be 'MalformedLogRecord,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand'
        foreach ($problem in $problems) { $problem.Exception.Message | Should -Match "^Line [134] of journalctl's output, column 1: The line is not a journal record" }
    }

    It 'streams: the first entry comes while journalctl still runs, and stopping the pipeline stops it' -Skip:$IsWindows {
        $fake = New-FakeTool journalctl (Join-Path $Fixtures 'journal-1.5.json') -Sleep 60
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $first = Invoke-WithFake $fake { Get-IoTEdgeDaemonLog -Generation 1.5 | Select-Object -First 1 }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        $first.Source | Should -Be 'aziot-keyd'
    }

    It 'reads saved logs of every form, with wildcards and several files' {
        $entries = Get-IoTEdgeDaemonLog -Path (Join-Path $Fixtures 'journal-*')
        ($entries | Group-Object { Split-Path ($_.Origin -replace ':\d+$') -Leaf }).Name | Sort-Object |
            Should -Be @('journal-1.1-short.txt', 'journal-1.1.json', 'journal-1.5-short-iso.txt', 'journal-1.5.json')
        $entries | Where-Object Message -Match 'invalid hostname' | Should -HaveCount 1
    }

    It 'reports a missing path as PathNotFound and a damaged line at file:line:column, and reads on' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $file = Join-Path $folder 'journal.json'
        $lines = Get-Content (Join-Path $Fixtures 'journal-1.5.json')
        Set-Content $file ($lines[0], $lines[1].Substring(0, 80), $lines[2])
        $entries = Get-IoTEdgeDaemonLog -Path $file, (Join-Path $folder 'nope.json') -ErrorVariable problems -ErrorAction SilentlyContinue
        $entries | Should -HaveCount 2
        $problems | Should -HaveCount 2
        ($problems.FullyQualifiedErrorId | Sort-Object) | Should -Be @('MalformedLogRecord,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand', 'PathNotFound,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand')
        ($problems | Where-Object { $_.FullyQualifiedErrorId -like 'Malformed*' }).ToString() | Should -Match ([regex]::Escape($file) + ':2:\d+: ')
    }

    It 'takes -StartTime as how long ago: a saved log of 2026 read with -StartTime 1d holds nothing older than a day' {
        Get-IoTEdgeDaemonLog -Path (Join-Path $Fixtures 'journal-1.5.json') -StartTime '1d' | Should -BeNullOrEmpty
        Get-IoTEdgeDaemonLog -Path (Join-Path $Fixtures 'journal-1.5.json') -StartTime '36500d' | Should -Not -BeNullOrEmpty
    }

    It 'refuses an -EndTime before -StartTime' {
        { Get-IoTEdgeDaemonLog -Path $Fixtures -StartTime '2026-07-20' -EndTime '2026-07-19' } |
            Should -Throw -ErrorId 'EndTimeBeforeStartTime,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand'
    }

    It 'shows time, level, source and the first line of the message in its table view' {
        $text = Get-IoTEdgeDaemonLog -Path (Join-Path $Fixtures 'journal-1.1-short.txt') | Format-Table | Out-String -Width 200
        $text | Should -Match 'TimeCreated \(UTC\)\s+Level\s+Source\s+Message'
        $text | Should -Match '2026-05-20 10:11:13.000 Error\s+iotedged\s+The daemon could not start up successfully: Could not configure the device \(\+2 lines\)'
    }
}

Describe 'Get-IoTEdgeModuleLog' {
    It 'runs iotedge logs for each module with --tail, --since and --until as separate arguments' -Skip:$IsWindows {
        $fake = New-FakeTool iotedge '' -OutputFor @{ edgeHub = (Join-Path $Fixtures 'edgeHub_log.txt'); edgeAgent = (Join-Path $Fixtures 'edgeAgent.log') }
        $since = [datetime]::new(2026, 7, 20, 10, 0, 0, [System.DateTimeKind]::Utc)
        $entries = Invoke-WithFake $fake { Get-IoTEdgeModuleLog -Name edgeHub, edgeAgent -Tail 20 -Since $since -Until $since.AddHours(1) }
        $runs = Get-FakeRun $fake
        $runs[0] | Should -Be @('logs', 'edgeHub', '--tail', '20', '--since', '2026-07-20T10:00:00Z', '--until', '2026-07-20T11:00:00Z')
        $runs[1][1] | Should -Be 'edgeAgent'
        ($entries | Where-Object Source -EQ 'edgeHub') | Should -HaveCount 6
        ($entries | Where-Object Source -EQ 'edgeAgent') | Should -HaveCount 11
        ($entries | Where-Object { $_.Source -eq 'edgeAgent' -and "$($_.Level)" -eq 'Warning' }).Message | Should -Match '(?s)Reconcile failed.*HealthRestartPlanner'
    }

    It 'takes -Since and -Until as how long ago (15m, a TimeSpan), as iotedge logs --since does, passed on as UTC times' -Skip:$IsWindows {
        $fake = New-FakeTool iotedge (Join-Path $Fixtures 'edgeHub_log.txt')
        $before = [datetime]::UtcNow
        Invoke-WithFake $fake { Get-IoTEdgeModuleLog -Name edgeHub -Since 15m -Until (New-TimeSpan -Minutes 5) } | Out-Null
        $after = [datetime]::UtcNow
        $run = (Get-FakeRun $fake)[0]
        $since = [datetime]::ParseExact($run[3], "yyyy-MM-dd'T'HH:mm:ss'Z'", $null, 'AdjustToUniversal,AssumeUniversal')
        $until = [datetime]::ParseExact($run[5], "yyyy-MM-dd'T'HH:mm:ss'Z'", $null, 'AdjustToUniversal,AssumeUniversal')
        $run[2], $run[4] | Should -Be @('--since', '--until')
        $since | Should -BeGreaterOrEqual $before.AddMinutes(-15).AddSeconds(-1)
        $since | Should -BeLessOrEqual $after.AddMinutes(-15)
        ($until - $since).TotalMinutes | Should -BeGreaterThan 9.9
        ($until - $since).TotalMinutes | Should -BeLessThan 10.1
    }

    It 'refuses a -Since that is neither a date nor a duration, naming the value' {
        { Get-IoTEdgeModuleLog -Name edgeHub -Since '15 fortnights' } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand' -ExpectedMessage "*'15 fortnights' is neither a date nor a duration*'15m'*"
        # Unquoted, 1d is PowerShell's decimal 1: refused with the forms that work, never read as a date
        { Get-IoTEdgeDaemonLog -Path $Fixtures -StartTime 1d } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonLogCommand' -ExpectedMessage "*1 is a number, not a time*in quotes*"
    }

    It 'takes module names from the pipeline by property name' -Skip:$IsWindows {
        $fake = New-FakeTool iotedge (Join-Path $Fixtures 'edgeHub_log.txt')
        $entries = Invoke-WithFake $fake { [pscustomobject]@{ Name = 'edgeHub' } | Get-IoTEdgeModuleLog -Tail 3 }
        (Get-FakeRun $fake)[0] | Should -Be @('logs', 'edgeHub', '--tail', '3')
        $entries[0].Source | Should -Be 'edgeHub'
    }

    It 'writes an error for a module that does not exist, and reads the others' -Skip:$IsWindows {
        $fake = New-FakeTool iotedge (Join-Path $Fixtures 'edgeHub_log.txt') -FailFor @{ nosuch = 'A module runtime error occurred: No such container: nosuch' }
        $all = Invoke-WithFake $fake { Get-IoTEdgeModuleLog -Name nosuch, edgeHub -ErrorAction Continue 2>&1 }
        $problems = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -is [IoTEdgeTroubleshoot.Edge.Logs.IoTEdgeLogEntry] }).Count | Should -Be 6
        (Get-FakeRun $fake).Count | Should -Be 2
        $problems[0].FullyQualifiedErrorId | Should -Be 'NativeToolFailed,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand'
        $problems[0].ToString() | Should -Match "No such container: nosuch.*iotedge list"
    }

    It 'refuses a name that iotedge would read as an option' {
        { Get-IoTEdgeModuleLog -Name '-f' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand'
    }

    It 'says iotedge is missing when it is not installed' -Skip:$IsWindows {
        $empty = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $empty | Out-Null
        $oldPath = $env:PATH
        try {
            $env:PATH = $empty
            { Get-IoTEdgeModuleLog -Name edgeHub } | Should -Throw -ErrorId 'NativeToolNotFound,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand'
        }
        finally {
            $env:PATH = $oldPath
        }
    }

    It 'reads saved module logs with -Path, -Name naming their source, -Tail and -Since' {
        $entries = Get-IoTEdgeModuleLog -Path (Join-Path $Fixtures 'edgeAgent.log') -Name edgeAgent-old -Since '2026-05-20T10:12:09Z' -Tail 2
        $entries.Message | Should -Be @('Fatal error, shutting down', 'Verbose detail')
        $entries.Source | Sort-Object -Unique | Should -Be 'edgeAgent-old'
    }
}

Describe 'Find-IoTEdgeKnownIssue' {
    It 'finds the issues in daemon and module logs piped in together' {
        $found = & {
            Get-IoTEdgeDaemonLog -Path (Join-Path $Corpus 'invalid-hostname/journal.txt')
            Get-IoTEdgeModuleLog -Path (Join-Path $Corpus 'edgehub-port-in-use/edgeAgent.log')
        } | Find-IoTEdgeKnownIssue
        $found[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.KnownIssues.IoTEdgeKnownIssue'
        ($found.IssueId | Sort-Object -Unique) | Should -Be @('edgehub-port-in-use', 'invalid-hostname')
        ($found | Where-Object IssueId -EQ 'edgehub-port-in-use').Title | Should -Match 'port (443|8883|5671)'
        ($found | Where-Object IssueId -EQ 'invalid-hostname').RemedyCommand | Should -Be 'Set-IoTEdgeHostname'
    }

    It 'reads -Path with wildcards, and finds nothing in clean logs' {
        Find-IoTEdgeKnownIssue -Path (Join-Path $Corpus 'clean/*') | Should -BeNullOrEmpty
        (Find-IoTEdgeKnownIssue -Path (Join-Path $Corpus 'disk-full')).IssueId | Should -Be 'disk-full'
    }

    It 'reads lines of text from Get-Content, and entries saved with Export-Clixml' {
        (Get-Content (Join-Path $Corpus 'module-image-403/edgeAgent.log') | Find-IoTEdgeKnownIssue).IssueId | Should -Be 'module-image-403'
        $saved = Join-Path $TestDrive 'entries.xml'
        Get-IoTEdgeModuleLog -Path (Join-Path $Corpus 'edgehub-out-of-memory/edgeHub.log') | Export-Clixml $saved
        $issue = Import-Clixml $saved | Find-IoTEdgeKnownIssue
        $issue.IssueId | Should -Be 'edgehub-out-of-memory'
        $issue.RemedyCommand | Should -Be 'Set-IoTEdgeHubOptimization'
        $issue.FirstSeen | Should -Be ([datetimeoffset]'2026-03-02T10:00:00Z')
    }

    It 'reads files piped from Get-ChildItem and -LiteralPath names with brackets and spaces, and passes over $null' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $odd = Join-Path $folder "edgeAgent [old] 'q' -x ü.log"
        [IO.File]::Copy((Join-Path $Corpus 'module-image-403/edgeAgent.log'), $odd)
        Copy-Item (Join-Path $Corpus 'disk-full/edgeHub.log') (Join-Path $folder 'edgeHub.log')

        (Get-ChildItem -LiteralPath $folder | Find-IoTEdgeKnownIssue).IssueId | Sort-Object | Should -Be @('disk-full', 'module-image-403')
        (Find-IoTEdgeKnownIssue -LiteralPath $odd).IssueId | Should -Be 'module-image-403'
        (Get-Item -LiteralPath $odd | Get-IoTEdgeDaemonLog).Count | Should -Be 3
        (Get-IoTEdgeModuleLog -LiteralPath $odd).Count | Should -Be 3
        @($null, 'No space left on device', $null) | Find-IoTEdgeKnownIssue -ErrorVariable problems | ForEach-Object IssueId | Should -Be 'disk-full'
        $problems | Should -BeNullOrEmpty
    }

    It 'shows the issue, count, source and remedy in its table view' {
        $text = Find-IoTEdgeKnownIssue -Path (Join-Path $Corpus 'edgeagent-empty-config') | Out-String -Width 200
        $text | Should -Match 'IssueId\s+Count\s+LastSeen \(UTC\)\s+Source\s+RemedyCommand\s+Title'
        $text | Should -Match 'edgeagent-empty-config\s+4\s+2026-07-20 12:00:40\s+edgeAgent\s+Set-IoTEdgeDns'
    }

    It 'reports a missing -Path as PathNotFound' {
        Find-IoTEdgeKnownIssue -Path (Join-Path $TestDrive 'none.log') -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IoTEdgeTroubleshoot.Commands.FindIoTEdgeKnownIssueCommand'
    }
}

Describe 'about_IoTEdgeTroubleshoot KNOWN ISSUE IDS' {
    It 'lists every known issue id, in catalog order' {
        $about = Get-Content (Join-Path (Split-Path $ManifestPath) 'en-US/about_IoTEdgeTroubleshoot.help.txt')
        $start = [array]::IndexOf($about, '  KNOWN ISSUE IDS')
        $start | Should -BeGreaterThan 0
        $ids = @()
        for ($i = $start + 1; $i -lt $about.Count -and $about[$i] -notmatch '^  \S'; $i++) {
            if ($about[$i] -match '^    (\S+)\s*$') { $ids += $Matches[1] }
        }
        $ids | Should -Be ([IoTEdgeTroubleshoot.Edge.KnownIssues.KnownIssueCatalog]::IssueIds)
    }
}
