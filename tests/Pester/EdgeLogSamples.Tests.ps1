# The saved edge logs shipped in samples/edge/logs, and the README's commands that use them: each command of
# issue 11 that reads saved logs runs on them, and the known issues they hold are found, no more, no fewer.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:EdgeLogs = Join-Path $Samples 'edge/logs'
    $script:Expected = @('disk-full', 'edge-ca-expired', 'edgehub-port-in-use', 'identity-service-unreachable', 'invalid-hostname', 'module-image-403')
}

Describe 'samples/edge/logs' {
    It 'reads every sample without a damaged line' {
        $entries = Get-IoTEdgeDaemonLog -Path (Join-Path $EdgeLogs 'journal-*') -ErrorVariable problems
        $modules = Get-IoTEdgeModuleLog -Path (Join-Path $EdgeLogs 'edge*.txt') -ErrorVariable moduleProblems
        $problems + $moduleProblems | Should -BeNullOrEmpty
        ($entries | Where-Object Origin -Like '*journal-aziot-1.5.json:*').Source | Sort-Object -Unique |
            Should -Be @('aziot-certd', 'aziot-edged', 'aziot-identityd', 'aziot-keyd', 'aziot-tpmd', 'systemd')
        ($entries | Where-Object Origin -Like '*journal-iotedge-1.1.txt:*' | Where-Object Level -EQ Error) | Should -HaveCount 4
        $modules.Source | Sort-Object -Unique | Should -Be @('edgeAgent', 'edgeHub') # from the file names
    }

    It 'folds the stack traces of the module logs into their entries' {
        $warning = Get-IoTEdgeModuleLog -Path (Join-Path $EdgeLogs 'edgeAgent.txt') | Where-Object Level -EQ Warning
        $warning | Should -HaveCount 1
        $warning.Message | Should -Match '(?s)^Reconcile failed.*HealthRestartPlanner\.Plan.*ReconcileAsync'
    }

    It 'holds the known issues the README shows, each from the log it is in' {
        $issues = Find-IoTEdgeKnownIssue -Path $EdgeLogs
        $issues.IssueId | Sort-Object | Should -Be $Expected
        ($issues | Where-Object IssueId -EQ 'edgehub-port-in-use').Title | Should -Match '\b5671\b'
        ($issues | Where-Object IssueId -EQ 'invalid-hostname').Source | Should -Be 'iotedged'
        ($issues | Where-Object IssueId -EQ 'disk-full').Source | Should -Be 'edgeHub'
    }

    It 'finds the same issues from entries piped in as from -Path' {
        $piped = & { Get-IoTEdgeDaemonLog -Path (Join-Path $EdgeLogs 'journal-*'); Get-IoTEdgeModuleLog -Path (Join-Path $EdgeLogs 'edge*.txt') } | Find-IoTEdgeKnownIssue
        $piped.IssueId | Sort-Object | Should -Be $Expected
    }

    It 'runs each README command on the samples without an error, and each gives output' {
        $lines = Get-Content (Join-Path $RepoRoot 'README.md') | Where-Object { $_ -match '^(Get|Find)-IoTEdge\S+ .*\./samples/edge/logs' }
        $lines.Count | Should -BeGreaterOrEqual 5
        Push-Location $RepoRoot
        try {
            foreach ($line in $lines) {
                $output = @(& ([scriptblock]::Create($line)) -ErrorAction Stop)
                $output.Count | Should -BeGreaterThan 0 -Because "'$line' should show something"
            }
        }
        finally {
            Pop-Location
        }
    }

    It 'shows in the README the issues Find-IoTEdgeKnownIssue finds' {
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        foreach ($issue in Find-IoTEdgeKnownIssue -Path $EdgeLogs) {
            $readme | Should -Match ("(?m)^{0}\s+{1}\s" -f [regex]::Escape($issue.IssueId), $issue.Occurrences)
        }
    }
}
