# The daemon and module commands in a real pwsh, against recording stand-ins for systemctl and iotedge
# (NativeStandIns.ps1) that print the fixtures the xunit tests use and record the arguments they got.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'NativeStandIns.ps1')
    Import-Module $ManifestPath -Force
    $script:Fixtures = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Daemon/Fixtures'
    $script:ShowProperties = '--property=Id,LoadState,ActiveState,SubState,MainPID,NRestarts,Result,StateChangeTimestamp,ActiveEnterTimestamp,ExecMainStartTimestamp,TriggeredBy'

    # A fresh folder of stand-ins, alone on PATH (so the machine's own systemctl never answers).
    function New-Bin {
        $script:Bin = Join-Path $TestDrive ('bin-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $Bin | Out-Null
        $script:SavedPath = Use-NativeStandIn -Folder $Bin -Exclusive
    }
    function Restore-Path { if ($script:SavedPath) { $env:PATH = $script:SavedPath; $script:SavedPath = $null } }
    function Calls([string] $Name) { Get-NativeStandInCall -Folder $Bin -Name $Name }
    function Fixture([string] $Name) { Join-Path $Fixtures $Name }
}

AfterAll { Restore-Path }

Describe 'Get-IoTEdgeDaemonStatus' -Skip:$IsWindows {
    BeforeEach { New-Bin }
    AfterEach { Restore-Path }

    It 'asks systemctl once for both generations'' units and shows the installed 1.2+ services, idle identity services as Ok' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFile (Fixture 'systemctl-show-both-1.2-installed.txt') | Out-Null

        $statuses = Get-IoTEdgeDaemonStatus

        $statuses | Should -HaveCount 5
        $statuses[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.Daemon.IoTEdgeDaemonStatus'
        $statuses.Name | Should -Be @('aziot-edged', 'aziot-identityd', 'aziot-keyd', 'aziot-certd', 'aziot-tpmd')
        $statuses | ForEach-Object { "$($_.Health)" } | Sort-Object -Unique | Should -Be 'Ok'
        ($statuses | Where-Object Name -EQ 'aziot-keyd').Note | Should -Match 'socket-activated'
        $statuses[0].ProcessId | Should -Be 1187
        $statuses[0].Since | Should -Be ([DateTimeOffset]'2026-12-01T09:14:03Z')
        $call = @(Calls systemctl)
        $call | Should -HaveCount 1
        $call[0] | Should -Be @('show', 'aziot-edged.service', 'aziot-identityd.service', 'aziot-keyd.service', 'aziot-certd.service', 'aziot-tpmd.service', 'iotedge.service',
            'aziot-identityd.socket', 'aziot-keyd.socket', 'aziot-certd.socket', 'aziot-tpmd.socket', $ShowProperties, '--no-pager')
    }

    It 'says what is wrong with a failed daemon, a restart loop and a socket that does not listen, in its table' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFile (Fixture 'systemctl-show-1.2-failing.txt') | Out-Null

        $statuses = Get-IoTEdgeDaemonStatus -Generation 1.5

        @(Calls systemctl)[0] | Should -Not -Contain 'iotedge.service'
        $edged = $statuses | Where-Object Name -EQ 'aziot-edged'
        "$($edged.Health)" | Should -Be 'Error'
        $edged.Restarts | Should -Be 5
        "$(($statuses | Where-Object Name -EQ 'aziot-tpmd').Health)" | Should -Be 'NotInstalled'
        $table = $statuses | Format-Table | Out-String -Width 250
        $table | Should -Match 'Name\s+Health\s+State\s+ProcessId\s+Since\s+Note'
        $table | Should -Match 'aziot-edged\s+Error\s+failed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Failed \(exit-code\)\. systemd restarted it 5 times'
    }

    It 'finds a 1.0/1.1 daemon' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFile (Fixture 'systemctl-show-both-1.1-installed.txt') | Out-Null

        $status = Get-IoTEdgeDaemonStatus

        $status.Name | Should -Be 'iotedge'
        $status.Generation | Should -Be '1.0/1.1'
        "$($status.Health)" | Should -Be 'Warning'
    }

    It 'warns, and does not fail, when IoT Edge is not installed' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFile (Fixture 'systemctl-show-none-installed.txt') | Out-Null

        $statuses = Get-IoTEdgeDaemonStatus -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        $statuses | ForEach-Object { "$($_.Health)" } | Sort-Object -Unique | Should -Be 'NotInstalled'
        "$warnings" | Should -Match 'not installed'
    }

    It 'turns refused access into NativeToolAccessDenied, saying to run elevated' {
        New-NativeStandIn -Folder $Bin -Name systemctl -StandardError 'Failed to connect to bus: Operation not permitted' -ExitCode 1 | Out-Null

        { Get-IoTEdgeDaemonStatus -ErrorAction Stop } | Should -Throw -ErrorId 'NativeToolAccessDenied,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonStatusCommand' -ExpectedMessage '*elevated*'
    }

    It 'completes -Generation with the versions, and refuses what is none' {
        $line = 'Get-IoTEdgeDaemonStatus -Generation 1.'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6')
        { Get-IoTEdgeDaemonStatus -Generation latest } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonStatusCommand' -ExpectedMessage '*1.0, 1.1*'
    }

    It 'is NativeToolNotFound where there is no systemctl' {
        { Get-IoTEdgeDaemonStatus -ErrorAction Stop } | Should -Throw -ErrorId 'NativeToolNotFound,IoTEdgeTroubleshoot.Commands.GetIoTEdgeDaemonStatusCommand'
    }

    It 'shows the systemctl command line in -Verbose' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFile (Fixture 'systemctl-show-both-1.2-installed.txt') | Out-Null

        $verbose = Get-IoTEdgeDaemonStatus -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        "$verbose" | Should -Match 'Running: systemctl show aziot-edged.service'
    }
}

Describe 'Set-IoTEdgeDaemonLogLevel' -Skip:$IsWindows {
    BeforeEach {
        New-Bin
        New-NativeStandIn -Folder $Bin -Name systemctl | Out-Null
        New-NativeStandIn -Folder $Bin -Name iotedge -Output 'Set log level to debug for all services. Run the `iotedge system restart` command for the changes to take effect.' | Out-Null
        $script:DropIn = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '/iotedge.service.d/override.conf')
    }
    AfterEach { Restore-Path }

    It '1.0/1.1: writes the guide''s drop-in, reloads systemd, and says a restart is needed' {
        Set-IoTEdgeDaemonLogLevel -Level debug -Path $DropIn -WarningVariable warnings -WarningAction SilentlyContinue

        Get-Content -Raw $DropIn | Should -BeExactly "[Service]`nEnvironment=IOTEDGE_LOG=edgelet=debug`n"
        Calls systemctl | Should -HaveCount 1
        @(Calls systemctl)[0] | Should -Be 'daemon-reload'
        Calls iotedge | Should -HaveCount 0
        "$warnings" | Should -Match 'Restart-IoTEdgeDaemon'
    }

    It '1.0/1.1: keeps the rest of an existing drop-in, backs it up, and a second run changes nothing' {
        New-Item -ItemType Directory (Split-Path $DropIn) | Out-Null
        $before = "# proxy for the daemon (ops, 2026-11-02)`n[Service]`nEnvironment=`"https_proxy=http://proxy.contoso.com:3128`" IOTEDGE_LOG=edgelet=info`n"
        [IO.File]::WriteAllText($DropIn, $before)

        Set-IoTEdgeDaemonLogLevel trace -Path $DropIn -WarningAction SilentlyContinue
        Set-IoTEdgeDaemonLogLevel trace -Path $DropIn -WarningVariable second -WarningAction SilentlyContinue

        Get-Content -Raw $DropIn | Should -BeExactly $before.Replace('edgelet=info', 'edgelet=trace')
        $backup = Get-ChildItem (Split-Path $DropIn) -Filter 'override.conf.*.bak'
        $backup | Should -HaveCount 1
        Get-Content -Raw $backup.FullName | Should -BeExactly $before
        Calls systemctl | Should -HaveCount 1 # the second run reloaded nothing
        $second | Should -BeNullOrEmpty
    }

    It '1.0/1.1 -Restart: reloads systemd, then restarts iotedge' {
        Set-IoTEdgeDaemonLogLevel -Level info -Path $DropIn -Restart -WarningVariable warnings -WarningAction SilentlyContinue

        $calls = @(Calls systemctl)
        $calls | Should -HaveCount 2
        $calls[0] | Should -Be 'daemon-reload'
        $calls[1] | Should -Be @('restart', 'iotedge')
        $warnings | Should -BeNullOrEmpty
    }

    It '-WhatIf writes and runs nothing, and shows the change as a diff' {
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeDaemonLogLevel -Level debug -Path '$DropIn' -Restart -WhatIf")

        Test-Path (Split-Path $DropIn) | Should -BeFalse
        Calls systemctl | Should -HaveCount 0
        ($shown | Out-String) | Should -Match '\+Environment=IOTEDGE_LOG=edgelet=debug'
        ($shown | Out-String) | Should -Match '\+\[Service\]'
    }

    It '1.2+: runs iotedge system set-log-level, and with -Restart iotedge system restart' {
        Set-IoTEdgeDaemonLogLevel -Level DEBUG -Generation 1.5 -WarningVariable warnings -WarningAction SilentlyContinue
        Set-IoTEdgeDaemonLogLevel -Level warn -Generation 1.5 -Restart

        $calls = @(Calls iotedge)
        $calls | Should -HaveCount 3
        $calls[0] | Should -Be @('system', 'set-log-level', 'debug')
        $calls[1] | Should -Be @('system', 'set-log-level', 'warn')
        $calls[2] | Should -Be @('system', 'restart')
        Calls systemctl | Should -HaveCount 0
        "$warnings" | Should -Match 'restarts'
    }

    It '-PassThru returns the daemon''s status after the change' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFileFor @{ show = (Fixture 'systemctl-show-both-1.1-installed.txt') } | Out-Null

        $status = Set-IoTEdgeDaemonLogLevel -Level debug -Path $DropIn -Restart -PassThru

        $status.Name | Should -Be 'iotedge'
        @(Calls systemctl | ForEach-Object { $_[0] }) | Should -Be @('daemon-reload', 'restart', 'show')
        @(Calls systemctl)[2] | Should -Contain 'iotedge.service'
    }

    It '1.2+: -WhatIf runs nothing' {
        Set-IoTEdgeDaemonLogLevel -Level debug -Generation 1.5 -Restart -WhatIf

        Calls iotedge | Should -HaveCount 0
    }

    It '1.2+: refused access is NativeToolAccessDenied' {
        New-NativeStandIn -Folder $Bin -Name iotedge -StandardError 'Error: this command must be run as root' -ExitCode 1 | Out-Null

        { Set-IoTEdgeDaemonLogLevel -Level debug -Generation 1.5 -ErrorAction Stop } |
            Should -Throw -ErrorId 'NativeToolAccessDenied,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDaemonLogLevelCommand' -ExpectedMessage '*sudo pwsh*'
    }

    It 'completes and validates -Level from the daemons'' five levels' {
        $line = 'Set-IoTEdgeDaemonLogLevel -Level '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('error', 'warn', 'info', 'debug', 'trace')
        $line = 'Set-IoTEdgeDaemonLogLevel -Level t'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be 'trace'
        { Set-IoTEdgeDaemonLogLevel -Level information -Path $DropIn } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDaemonLogLevelCommand' -ExpectedMessage '*error, warn, info, debug, trace*'
        Test-Path $DropIn | Should -BeFalse
    }

    It 'takes -Path (1.0/1.1) or -Generation, not both' {
        { Set-IoTEdgeDaemonLogLevel -Level debug -Path $DropIn -Generation 1.5 } | Should -Throw -ErrorId 'AmbiguousParameterSet,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDaemonLogLevelCommand'
    }

    It 'refuses a continued Environment line with file, line and column, and writes nothing' {
        New-Item -ItemType Directory (Split-Path $DropIn) | Out-Null
        [IO.File]::WriteAllText($DropIn, "[Service]`nEnvironment=IOTEDGE_LOG=edgelet=info \`n  OTHER=1`n")
        $hash = (Get-FileHash $DropIn).Hash

        { Set-IoTEdgeDaemonLogLevel -Level debug -Path $DropIn -ErrorAction Stop } |
            Should -Throw -ErrorId 'DropInNotEditable,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDaemonLogLevelCommand' -ExpectedMessage "$DropIn`:2:1: *"
        (Get-FileHash $DropIn).Hash | Should -Be $hash
        Calls systemctl | Should -HaveCount 0
    }
}

Describe 'Restart-IoTEdgeModule' -Skip:$IsWindows {
    BeforeEach {
        New-Bin
        New-NativeStandIn -Folder $Bin -Name iotedge -OutputFileFor @{ list = (Fixture 'iotedge-list-1.2.txt') } | Out-Null
    }
    AfterEach { Restore-Path }

    It 'runs iotedge restart for each name, the name as one argument' {
        Restart-IoTEdgeModule edgeHub, 'my;module$(id)'

        $calls = @(Calls iotedge)
        $calls | Should -HaveCount 2
        $calls[0] | Should -Be @('restart', 'edgeHub')
        $calls[1] | Should -Be @('restart', 'my;module$(id)')
    }

    It 'takes names from the pipeline: strings, and the Name or Source of objects, each module once' {
        'edgeAgent' | Restart-IoTEdgeModule
        @(
            [pscustomobject]@{ Source = 'edgeHub'; Message = 'a' }
            [pscustomobject]@{ Source = 'edgeHub'; Message = 'b' }
            [pscustomobject]@{ Name = 'filterModule'; Status = 'failed' }
        ) | Restart-IoTEdgeModule

        @(Calls iotedge | ForEach-Object { $_[1] }) | Should -Be @('edgeAgent', 'edgeHub', 'filterModule')
    }

    It 'refuses a daemon''s name (the Source of a daemon log entry) with NotAModule' {
        [pscustomobject]@{ Source = 'aziot-edged' } | Restart-IoTEdgeModule -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -Be 'NotAModule,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand'
        "$($problems[0])" | Should -Match 'Restart-IoTEdgeDaemon'
        Calls iotedge | Should -HaveCount 0
    }

    It 'refuses a name that iotedge would read as an option, or that holds a space, and runs nothing' {
        { Restart-IoTEdgeModule -Name '-f' -Confirm:$false } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand' -ExpectedMessage "*'-f' is not a module name*option*"
        '--help', 'edge Hub' | Restart-IoTEdgeModule -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused | Should -HaveCount 2
        Calls iotedge | Should -HaveCount 0
    }

    It '-WhatIf restarts nothing' {
        Restart-IoTEdgeModule edgeHub -WhatIf

        Calls iotedge | Should -HaveCount 0
    }

    It 'reports a module that fails and goes on with the next' {
        New-NativeStandIn -Folder $Bin -Name iotedge -StandardError "A module runtime error occurred`n`tcaused by: No such container: edgeHubx" -ExitCode 1 | Out-Null

        Restart-IoTEdgeModule edgeHubx, edgeAgent -ErrorVariable problems -ErrorAction SilentlyContinue

        Calls iotedge | Should -HaveCount 2
        $problems | Should -HaveCount 2
        $problems[0].FullyQualifiedErrorId | Should -Be 'NativeToolFailed,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand'
        "$($problems[0])" | Should -Match 'No such container: edgeHubx'
        "$($problems[0].TargetObject)" | Should -Be 'iotedge'
    }

    It 'says to run elevated or join the iotedge group when the management socket refuses' {
        New-NativeStandIn -Folder $Bin -Name iotedge -StandardError "A module runtime error occurred`n`tcaused by: Permission denied (os error 13) connecting to unix:///var/run/iotedge/mgmt.sock" -ExitCode 1 | Out-Null

        { Restart-IoTEdgeModule edgeHub -ErrorAction Stop } |
            Should -Throw -ErrorId 'NativeToolAccessDenied,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand' -ExpectedMessage "*'iotedge' group*"
    }

    It 'returns the restarted modules from iotedge list with -PassThru' {
        $modules = 'edgeHub', 'filterModule' | Restart-IoTEdgeModule -PassThru

        $modules | Should -HaveCount 2
        $modules[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.Modules.IoTEdgeModule'
        $modules.Name | Should -Be @('edgeHub', 'filterModule')
        $modules[1].Description | Should -Be 'Failed (139) 3 minutes ago'
        @(Calls iotedge)[-1] | Should -Be 'list'
        ($modules | Format-Table | Out-String -Width 200) | Should -Match 'Name\s+Status\s+Description\s+Config'
    }

    It 'completes -Name from iotedge list, and offers nothing without iotedge' {
        $line = 'Restart-IoTEdgeModule -Name edge'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('edgeAgent', 'edgeHub')
        $line = 'Restart-IoTEdgeModule '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -HaveCount 5
        $line = 'Get-IoTEdgeModuleLog -Name edge'  # the log command completes from the same list
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('edgeAgent', 'edgeHub')

        Remove-Item (Join-Path $Bin 'iotedge')
        $line = 'Restart-IoTEdgeModule -Name edge'
        (TabExpansion2 $line $line.Length).CompletionMatches | Where-Object ResultType -EQ 'ParameterValue' | Should -BeNullOrEmpty
    }
}

Describe 'Restart-IoTEdgeDaemon' -Skip:$IsWindows {
    BeforeEach {
        New-Bin
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFileFor @{ show = (Fixture 'systemctl-show-both-1.2-installed.txt') } | Out-Null
        New-NativeStandIn -Folder $Bin -Name iotedge | Out-Null
    }
    AfterEach { Restore-Path }

    It 'asks before restarting: ConfirmImpact is High, since the modules stop' {
        $attribute = (Get-Command Restart-IoTEdgeDaemon).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        "$($attribute.ConfirmImpact)" | Should -Be 'High'
    }

    It '1.0/1.1 is systemctl restart iotedge; 1.2+ is iotedge system restart' {
        Restart-IoTEdgeDaemon -Generation 1.1 -Confirm:$false
        Restart-IoTEdgeDaemon -Generation 1.6 -Confirm:$false

        @(Calls systemctl)[0] | Should -Be @('restart', 'iotedge')
        @(Calls iotedge)[0] | Should -Be @('system', 'restart')
    }

    It 'restarts once for the five statuses piped from Get-IoTEdgeDaemonStatus, and returns them again with -PassThru' {
        $after = Get-IoTEdgeDaemonStatus | Restart-IoTEdgeDaemon -Confirm:$false -PassThru

        Calls iotedge | Should -HaveCount 1
        @(Calls iotedge)[0] | Should -Be @('system', 'restart')
        $after | Should -HaveCount 5
        @(Calls systemctl) | Should -HaveCount 2
    }

    It 'without -Generation acts on the generation Get-IoTEdgeDaemonStatus shows, as Get-IoTEdgeDaemonLog does' {
        New-NativeStandIn -Folder $Bin -Name systemctl -OutputFileFor @{ show = (Fixture 'systemctl-show-both-1.1-installed.txt') } | Out-Null
        New-NativeStandIn -Folder $Bin -Name journalctl | Out-Null

        (Get-IoTEdgeDaemonStatus).Generation | Should -Be '1.0/1.1'
        Restart-IoTEdgeDaemon -Confirm:$false
        Get-IoTEdgeDaemonLog | Out-Null

        @(Calls systemctl) | ForEach-Object { $_ -join ' ' } | Should -Contain 'restart iotedge'
        @(Calls journalctl)[0][0..1] | Should -Be @('-u', 'iotedge')
        @(Calls journalctl)[0] | Should -Not -Contain 'aziot-edged'
        Calls iotedge | Should -HaveCount 0
    }

    It '-WhatIf restarts nothing' {
        Restart-IoTEdgeDaemon -Generation 1.1 -WhatIf
        Restart-IoTEdgeDaemon -Generation 1.5 -WhatIf

        Calls systemctl | Should -HaveCount 0
        Calls iotedge | Should -HaveCount 0
    }

    It 'turns refused access into NativeToolAccessDenied' {
        New-NativeStandIn -Folder $Bin -Name systemctl -StandardError 'Failed to restart iotedge.service: Access denied' -ExitCode 1 | Out-Null

        { Restart-IoTEdgeDaemon -Generation 1.1 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'NativeToolAccessDenied,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeDaemonCommand' -ExpectedMessage '*Run it elevated*'
    }

    It 'refuses what is not an IoT Edge version' {
        { Restart-IoTEdgeDaemon -Generation 2.0 -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeDaemonCommand'
        Calls systemctl | Should -HaveCount 0
    }
}
