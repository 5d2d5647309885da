# Issue 8: hostile files and folders, built here in TestDrive, read by the cmdlets in a real pwsh.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force

    $script:Line = (Get-ChildItem $ConnectionsSample -Recurse -Filter PT1H.json | Select-Object -First 1 | Get-Content -TotalCount 1)
    # A record of the sample with another device id and time, as UTF-8 bytes (the device id marks where it came from).
    function New-Record([string] $device, [int] $second) {
        $script:Line -replace '\\"deviceId\\":\\"[^\\]+\\"', "\`"deviceId\`":\`"$device\`"" -replace '"time":"[^"]+"', ('"time":"2026-11-20T10:00:{0:00}.0000000Z"' -f $second)
    }
    function Write-Lines([string] $path, [object[]] $lines) {
        $bytes = [System.Collections.Generic.List[byte]]::new()
        foreach ($line in $lines) {
            if ($line -is [byte[]]) { $bytes.AddRange($line) } else { $bytes.AddRange([System.Text.Encoding]::UTF8.GetBytes([string] $line)) }
            $bytes.Add(10)
        }
        [System.IO.File]::WriteAllBytes($path, $bytes.ToArray())
        $path
    }
    function Get-Utf8([string] $text) { [System.Text.Encoding]::UTF8.GetBytes($text) }

    # One folder of damage between two good files: bytes that are not UTF-8, an escaped lone surrogate,
    # a CSV row of year 0000 and a 5 MB line.
    $script:Mess = Join-Path $TestDrive 'mess'
    New-Item -ItemType Directory $Mess | Out-Null
    Write-Lines (Join-Path $Mess 'a-first.json') @((New-Record 'first' 1)) | Out-Null
    $notUtf8 = (Get-Utf8 (New-Record 'dev-@@' 2)) -join ',' -replace '64,64', '255'
    Write-Lines (Join-Path $Mess 'b-bytes.json') @((New-Record 'before' 3), [byte[]] ($notUtf8 -split ','), (New-Record 'after' 4), (New-Record 'half\\ud800' 5)) | Out-Null
    $row = { param($time, $device) "`"$time`",deviceDisconnect,Error,`"{`"`"deviceId`"`":`"`"$device`"`"}`"" }
    Write-Lines (Join-Path $Mess 'c-export.csv') @('TimeGenerated [UTC],OperationName,Level,properties_s', (& $row '11/20/2026, 10:00:06.000 AM' 'csv-ok'),
        (& $row '01/01/0000, 10:00:07.000 AM' 'csv-year-0000'), (& $row '12/31/9999, 11:59:59.000 PM' 'csv-year-9999')) | Out-Null
    Write-Lines (Join-Path $Mess 'd-long.json') @((New-Record 'short' 8), ('{"junk":"' + ('x' * 5MB) + '"}'), (New-Record 'after-long' 9)) | Out-Null
    Write-Lines (Join-Path $Mess 'e-last.json') @((New-Record 'last' 10)) | Out-Null
    $script:Readable = 'first', 'before', 'after', "half$([char]0xFFFD)", 'csv-ok', 'csv-year-9999', 'short', 'after-long', 'last'
}

Describe 'Hostile records' {
    It 'reports each bad record with its ErrorId and place, and reads every other record and file' {
        $events = Get-IoTHubConnectionEvent -Path $Mess -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $events.DeviceId | Should -Be $Readable
        $problems.FullyQualifiedErrorId | Should -Be @(
            'MalformedLogRecord,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
            'MalformedLogRecord,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
            'LogRecordTooLong,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand')
        $problems[0].ToString() | Should -BeLike "*b-bytes.json:2:*not UTF-8*"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be (Join-Path $Mess 'b-bytes.json')
        $problems[1].ToString() | Should -BeLike "*c-export.csv:3:1:*'01/01/0000, 10:00:07.000 AM' is not a date*"
        $problems[2].ToString() | Should -BeLike "*d-long.json:2:1:*longer than 4 MiB*"
    }

    It 'gives the fast path of Get-IoTHubDisconnectDiagnosis the same errors, and no terminating one' {
        $verbose = Get-IoTHubDisconnectDiagnosis -Path $Mess -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($problems | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Sort-Object | Should -Be @('LogRecordTooLong', 'MalformedLogRecord', 'MalformedLogRecord')
        $verbose.Message | Should -Contain "$($Readable.Count) records read from 5 file(s); 3 malformed record(s) skipped."
    }

    It 'refuses a -DeviceId that is no wildcard pattern with InvalidWildcardPattern' {
        foreach ($command in 'Get-IoTHubConnectionEvent', 'Get-IoTHubConnectionError', 'Get-IoTHubDisconnectDiagnosis') {
            $class = $command -replace '-', ''
            { & $command -Path $Mess -DeviceId 'sensor-*', '[' -ErrorAction SilentlyContinue } | Should -Throw -ErrorId "InvalidWildcardPattern,IoTEdgeTroubleshoot.Commands.$($class)Command"
        }
        try { Get-IoTHubConnectionEvent -Path $Mess -DeviceId '[' } catch { $failure = $_ }
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be '['
        $failure.ToString() | Should -BeLike "*-DeviceId '``[' is not a valid wildcard pattern*backtick*"
        (Get-IoTHubConnectionEvent -Path $Mess -DeviceId '*long' -ErrorAction SilentlyContinue).DeviceId | Should -Be 'after-long'
        (Get-IoTHubConnectionEvent -Path $Mess -DeviceId 'csv-year-[0-9]*' -ErrorAction SilentlyContinue).DeviceId | Should -Be 'csv-year-9999'
    }
}

Describe 'Hostile folders and files' {
    It 'searches a folder with symbolic-link loops once' -Skip:$IsWindows {
        $loops = Join-Path $TestDrive 'loops'
        New-Item -ItemType Directory (Join-Path $loops 'a/b') | Out-Null
        Copy-Item (Join-Path $Mess 'a-first.json') (Join-Path $loops 'a/b/x.json')
        New-Item -ItemType SymbolicLink -Path (Join-Path $loops 'a/back') -Target $loops | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $loops 'a/b/up') -Target (Join-Path $loops 'a') | Out-Null

        try {
            $job = Start-ThreadJob { param($manifest, $path) Import-Module $manifest; Get-IoTHubConnectionEvent -Path $path 3>&1 } -ArgumentList $ManifestPath, $loops
            $job | Wait-Job -Timeout 60 | Should -Not -BeNullOrEmpty -Because 'the search ends'
            $output = Receive-Job $job
            @($output | Where-Object { $_ -is [IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent] }).DeviceId | Should -Be 'first'
            @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -like '*(a loop)*' }).Count | Should -Be 2
        } finally {
            # Pester's own clean-up of TestDrive follows links and would loop: remove them (the links, not their targets).
            foreach ($link in 'a/back', 'a/b/up') { [System.IO.Directory]::Delete((Join-Path $loops $link)) }
        }
    }

    It 'does not open a named pipe or /dev/zero named like a log, and reads the files after them' -Skip:(-not $IsLinux) {
        $odd = Join-Path $TestDrive 'odd'
        New-Item -ItemType Directory $odd | Out-Null
        & mkfifo (Join-Path $odd 'b-pipe.json')
        New-Item -ItemType SymbolicLink -Path (Join-Path $odd 'c-zero.json') -Target /dev/zero | Out-Null
        Copy-Item (Join-Path $Mess 'a-first.json') (Join-Path $odd 'a-first.json')
        Copy-Item (Join-Path $Mess 'e-last.json') (Join-Path $odd 'd-last.json')

        foreach ($command in 'Get-IoTHubConnectionEvent', 'Get-IoTHubDisconnectDiagnosis') {
            $job = Start-ThreadJob { param($manifest, $command, $path) Import-Module $manifest; & $command -Path $path -Verbose 3>&1 4>&1 } -ArgumentList $ManifestPath, $command, $odd
            $job | Wait-Job -Timeout 60 | Should -Not -BeNullOrEmpty -Because "$command does not hang on a pipe or a device"
            $output = Receive-Job $job
            $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message
            $warnings | Should -Contain "'$(Join-Path $odd 'b-pipe.json')' is a named pipe (FIFO), not a regular file: it was not read."
            $warnings | Should -Contain "'$(Join-Path $odd 'c-zero.json')' is a character device, not a regular file: it was not read."
            $reading = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "Reading '*d-last.json'." })
            $reading.Count | Should -Be 1 -Because 'the file after them is read'
        }
    }

    It 'reports an unreadable subfolder as LogFolderUnreadable and reads the others' -Skip:$IsWindows {
        $tree = Join-Path $TestDrive 'tree'
        foreach ($folder in 'a', 'locked', 'z') { New-Item -ItemType Directory (Join-Path $tree $folder) | Out-Null }
        Copy-Item (Join-Path $Mess 'a-first.json') (Join-Path $tree 'a/x.json')
        Copy-Item (Join-Path $Mess 'a-first.json') (Join-Path $tree 'locked/x.json')
        Copy-Item (Join-Path $Mess 'e-last.json') (Join-Path $tree 'z/x.json')
        $locked = Join-Path $tree 'locked'
        & chmod 700 $locked
        # Root reads every folder: this thread's file accesses are checked as user nobody (setfsuid is per thread on
        # Linux), as a real user's would be. Not root: the folder is simply made unreadable.
        $asRoot = (& id -u) -eq '0'
        if ($asRoot) {
            Add-Type -Namespace IoTEdgeTroubleshootTests -Name FileSystemUser -MemberDefinition '[System.Runtime.InteropServices.DllImport("libc")] public static extern int setfsuid(uint uid);'
            $before = [IoTEdgeTroubleshootTests.FileSystemUser]::setfsuid(65534)
            [IoTEdgeTroubleshootTests.FileSystemUser]::setfsuid([uint32]::MaxValue) | Should -Be 65534 -Because 'this machine lets root check files as nobody'
        } else {
            & chmod 000 $locked
        }
        try {
            $events = Get-IoTHubConnectionEvent -Path $tree -ErrorVariable problems -ErrorAction SilentlyContinue
            # A file in the folder, named directly: not "does not exist", but the folder in the way.
            $null = Get-IoTHubConnectionEvent -LiteralPath (Join-Path $locked 'x.json') -ErrorVariable hidden -ErrorAction SilentlyContinue
        } finally {
            if ($asRoot) { [IoTEdgeTroubleshootTests.FileSystemUser]::setfsuid([uint32] $before) | Out-Null } else { & chmod 700 $locked }
        }

        $events.DeviceId | Should -Be @('first', 'last')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'LogFolderUnreadable,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].TargetObject | Should -Be $locked
        $problems[0].ToString() | Should -BeLike "Cannot search the folder '$locked': access is denied*Run as a user who can list it*"
        $hidden.FullyQualifiedErrorId | Should -Be 'LogFolderUnreadable,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand'
        $hidden[0].ToString() | Should -BeLike "Cannot reach '$(Join-Path $locked 'x.json')': access to the folder '$locked' is denied*"
    }
}

Describe 'Records held twice, and dates that read both ways' {
    It 'warns when the folder holds the same hours in several forms' {
        $null = Get-IoTHubConnectionError -Path $Samples -WarningVariable warnings -ErrorAction SilentlyContinue 3>$null
        $overlap = @($warnings | Where-Object { $_.Message -like 'The files hold the same hours*' })
        $overlap.Count | Should -Be 1
        $overlap[0].Message | Should -BeLike '*in 3 forms: a storage-account export (24 files, *), Event Hubs records (*eventhub-records.json*) and a Log Analytics CSV export (*loganalytics-connection-errors.csv*)*counted more than once*'
        $null = Get-IoTHubConnectionError -Path $ConnectionsSample -WarningVariable none 3>$null
        $none | Should -BeNullOrEmpty
    }

    It 'warns about CSV dates that read both ways, and takes the order from -DateOrder' {
        $csv = Join-Path $TestDrive 'ambiguous.csv'
        Set-Content $csv -Value 'TimeGenerated [UTC],OperationName,Level,properties_s', '"05/06/2026, 10:00:00",deviceDisconnect,Error,"{""deviceId"":""d""}"'

        $default = Get-IoTHubConnectionEvent -Path $csv -WarningVariable warnings 3>$null
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "Every date of '$csv' reads both ways*'05/06/2026, 10:00:00'*-DateOrder*"
        $dayFirst = Get-IoTHubConnectionEvent -Path $csv -DateOrder DayFirst -WarningVariable none 3>$null
        $none | Should -BeNullOrEmpty
        $dayFirst.TimeGenerated.Month | Should -Be 6
        (Get-IoTHubConnectionEvent -Path $csv -DateOrder MonthFirst).TimeGenerated.Month | Should -Be 5
        $default.TimeGenerated.Month | Should -BeIn 5, 6
        (Get-Command Get-IoTHubDisconnectDiagnosis).Parameters['DateOrder'].ParameterSets.Keys | Sort-Object | Should -Be @('LiteralPath', 'Path')
    }
}
