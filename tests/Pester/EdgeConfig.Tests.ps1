BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Corpus = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Configs'
    $script:Key = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c='

    function New-ConfigCopy([string] $Name) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $path = Join-Path $folder 'config.yaml'
        Copy-Item (Join-Path $Corpus $Name) $path
        if (-not $IsWindows) { chmod 600 $path }
        $path
    }
}

Describe 'Test-IoTEdgeConfig' {
    It 'passes a good config, except for what is about this machine' {
        $results = Test-IoTEdgeConfig -Path (New-ConfigCopy 'linux-1.1-manual.yaml')
        $results[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult'
        $results | Where-Object { "$($_.Status)" -eq 'Error' } | Should -BeNullOrEmpty
        $results.CheckId | Sort-Object -Unique | Should -HaveCount 9
    }

    It 'reports every tab with its line and column' {
        $path = New-ConfigCopy 'broken-tabs.yaml'
        $tabLine = (Select-String -Path $path -Pattern "`t")[0].LineNumber
        $tab = Test-IoTEdgeConfig -Path $path | Where-Object CheckId -EQ 'config-no-tabs'
        "$($tab.Status)" | Should -Be 'Error'
        $tab.Line | Should -Be $tabLine
        $tab.Column | Should -Be 1
        $tab.Path | Should -Be $path
    }

    It 'reports a missing file as an error and skips the rest' {
        $results = Test-IoTEdgeConfig -Path (Join-Path $TestDrive 'nope/config.yaml')
        "$($results[0].Status)" | Should -Be 'Error'
        @($results | Select-Object -Skip 1 | Where-Object { "$($_.Status)" -ne 'Skipped' }).Count | Should -Be 0
    }

    It 'never shows the SharedAccessKey' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        (Get-Content -Raw $path) -replace 'DeviceId=edge-gw-01;', '' | Set-Content $path -NoNewline
        $text = Test-IoTEdgeConfig -Path $path -Verbose *>&1 | Out-String -Width 500
        $text | Should -Match 'has no DeviceId'
        $text | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'shows Status, CheckId, Line and the fix in the table view' {
        $text = Test-IoTEdgeConfig -Path (New-ConfigCopy 'hostname-plain-long.yaml') | Format-Table | Out-String -Width 300
        $text | Should -Match 'Status\s+CheckId\s+Line\s+Message\s+Remedy'
        $text | Should -Match 'Error\s+config-hostname.*Set-IoTEdgeHostname -Path'
    }
}

Describe 'Set-IoTEdgeHostname' {
    It 'fixes the hostname from Test-IoTEdgeConfig''s result, changing nothing else, keeping mode 600 and a backup' {
        $path = New-ConfigCopy 'hostname-plain-long.yaml'
        $before = Get-Content -Raw $path
        Test-IoTEdgeConfig -Path $path | Where-Object CheckId -EQ 'config-hostname' | Set-IoTEdgeHostname -HostName 'edgevm01.westeurope.cloudapp.azure.com' -WarningAction SilentlyContinue
        $after = Get-Content -Raw $path
        $after | Should -BeExactly ($before -replace 'hostname: edgevm-x+\.westeurope\.cloudapp\.azure\.com', 'hostname: edgevm01.westeurope.cloudapp.azure.com')
        $backup = Get-ChildItem (Split-Path $path) -Filter 'config.yaml.*.bak'
        $backup | Should -HaveCount 1
        Get-Content -Raw $backup.FullName | Should -BeExactly $before
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'writes nothing with -WhatIf, and shows the change as a diff' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $hash = (Get-FileHash $path).Hash
        # What-if text goes straight to the host: run it in a child pwsh and read what it printed.
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeHostname -Path '$path' -HostName 'edge-gw-02' -WhatIf") | Out-String
        (Get-FileHash $path).Hash | Should -Be $hash
        Get-ChildItem (Split-Path $path) | Should -HaveCount 1
        $shown | Should -Match '-hostname: "edge-gw-01"'
        $shown | Should -Match '\+hostname: "edge-gw-02"'
    }

    It 'is idempotent: the second run writes nothing and makes no backup' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-02' -WarningAction SilentlyContinue
        Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-02' -WarningAction SilentlyContinue
        Get-ChildItem (Split-Path $path) -Filter '*.bak' | Should -HaveCount 1
    }

    It 'refuses an invalid hostname before touching anything' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        { Set-IoTEdgeHostname -Path $path -HostName ('x' * 70) } | Should -Throw -ErrorId 'InvalidHostname,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHostnameCommand'
        Get-ChildItem (Split-Path $path) | Should -HaveCount 1
    }

    It 'refuses a broken file with file, line and column, and writes nothing' {
        $path = New-ConfigCopy 'broken-unclosed-quote.yaml'
        $hash = (Get-FileHash $path).Hash
        Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-02' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ConfigNotValidYaml,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHostnameCommand'
        $problems[0].ToString() | Should -Match ([regex]::Escape($path) + ':\d+:\d+: ')
        (Get-FileHash $path).Hash | Should -Be $hash
    }

    It 'returns the checks of the changed file with -PassThru' {
        $path = New-ConfigCopy 'hostname-plain-long.yaml'
        $results = Set-IoTEdgeHostname -Path $path -HostName 'edgevm01' -PassThru -WarningAction SilentlyContinue
        $hostname = $results | Where-Object CheckId -EQ 'config-hostname'
        "$($hostname.Status)" | Should -Not -Be 'Error'
    }

    It 'restarts the daemon with -Restart through systemctl, and says what to run without it' {
        $bin = Join-Path $TestDrive 'fakebin'
        New-Item -ItemType Directory $bin -Force | Out-Null
        $record = Join-Path $TestDrive 'systemctl.args'
        Set-Content (Join-Path $bin 'systemctl') "#!/bin/sh`necho `"`$@`" > '$record'`n"
        chmod +x (Join-Path $bin 'systemctl')
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $oldPath = $env:PATH
        try {
            $env:PATH = "$bin$([System.IO.Path]::PathSeparator)$env:PATH"
            Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-03' -Restart -WarningVariable warnings -WarningAction SilentlyContinue
            Get-Content $record | Should -Be 'restart iotedge'
            $warnings | Should -BeNullOrEmpty
            Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-04' -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -Match 'systemctl restart iotedge'
        }
        finally {
            $env:PATH = $oldPath
        }
    } -Skip:$IsWindows
}

Describe 'Set-IoTEdgeRuntimeLogLevel' {
    It 'turns env: {} into a block with RuntimeLogLevel, two spaces, no tab' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $before = Get-Content -Raw $path
        Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly ($before.Replace("  env: {}`n", "  env:`n    RuntimeLogLevel: debug`n"))
    }

    It 'adds to a block env with comments and keeps them' {
        $path = New-ConfigCopy 'env-block-with-comments.yaml'
        Set-IoTEdgeRuntimeLogLevel -Path $path -Level Warning -WarningAction SilentlyContinue
        $text = Get-Content -Raw $path
        $text | Should -Match '# talk to the hub over websockets'
        $text | Should -Match "# the site proxy`n    RuntimeLogLevel: warning`n"
    }

    It 'never shows a secret in -WhatIf, verbose or warning output' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $all = Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -Verbose -WhatIf *>&1 | Out-String -Width 500
        $all += Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -Verbose *>&1 | Out-String -Width 500
        $all | Should -Match 'RuntimeLogLevel: debug'
        $all | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'offers and accepts exactly the levels the check accepts, information included' {
        $line = 'Set-IoTEdgeRuntimeLogLevel -Level '
        $offered = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
        $offered | Should -Be @([IoTEdgeTroubleshoot.Edge.Config.ConfigEditor]::RuntimeLogLevels)
        $offered | Should -Contain 'information'
        $line = 'Set-IoTEdgeRuntimeLogLevel -Level de'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be 'debug'

        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        Set-IoTEdgeRuntimeLogLevel -Path $path -Level information -WarningAction SilentlyContinue
        (Test-IoTEdgeConfig -Path $path | Where-Object CheckId -EQ 'config-agent').Status | Should -Be 'Pass'
        { Set-IoTEdgeRuntimeLogLevel -Path $path -Level loud } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.SetIoTEdgeRuntimeLogLevelCommand' -ExpectedMessage '*information*'
    }
}

Describe 'config.toml (IoT Edge 1.2+)' {
    BeforeAll {
        # The 1.2+ file, written here: a manual connection string, an agent with env, comments to keep.
        $script:Toml = @"
# IoT Edge configuration (written by the tests)
hostname = "edge-gw-01"

[provisioning]
source = "manual"
connection_string = "HostName=contoso-iot-prod.azure-devices.net;DeviceId=edge-gw-01;SharedAccessKey=$Key"

[agent]
name = "edgeAgent"
type = "docker"

[agent.config]
image = "mcr.microsoft.com/azureiotedge-agent:1.5"

[agent.env]
UpstreamProtocol = "AmqpWs" # port 443 only

"@
        function New-TomlCopy([string] $Text = $Toml) {
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory $folder | Out-Null
            $path = Join-Path $folder 'config.toml'
            [System.IO.File]::WriteAllText($path, $Text)
            if (-not $IsWindows) { chmod 600 $path }
            $path
        }

        # A stand-in for iotedge on PATH that records its arguments and answers as told.
        function New-FakeIotedge([int] $ExitCode = 0, [string] $Say = 'Azure IoT Edge has been configured successfully!') {
            $bin = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory $bin | Out-Null
            $record = Join-Path $bin 'iotedge.args'
            Set-Content (Join-Path $bin 'iotedge') "#!/bin/sh`necho `"`$@`" >> '$record'`necho '$Say' >&2`nexit $ExitCode`n"
            chmod +x (Join-Path $bin 'iotedge')
            [pscustomobject]@{ Bin = $bin; Record = $record }
        }
    }

    It 'runs the 1.2+ checks, under the ids of iotedge check, and passes a good file' {
        $results = Test-IoTEdgeConfig -Path (New-TomlCopy) -WarningAction SilentlyContinue
        $results.CheckId | Should -Contain 'aziot-edged-config-well-formed'
        $results.CheckId | Should -Contain 'configs-up-to-date'
        $results.CheckId | Should -Not -Contain 'config-yaml'
        $results | Where-Object { "$($_.Status)" -eq 'Error' } | Should -BeNullOrEmpty
    }

    It 'answers the shipped template in TOML terms: uncomment a provisioning block' {
        $path = New-TomlCopy "# hostname = `"my-device`"`n`n# [provisioning]`n# source = `"manual`"`n"
        $results = Test-IoTEdgeConfig -Path $path
        "$(($results | Where-Object CheckId -EQ 'aziot-edged-config-well-formed').Status)" | Should -Be 'Pass'
        ($results | Where-Object CheckId -EQ 'config-provisioning').Remedy | Should -Match 'Uncomment one provisioning block'
        ($results | Out-String -Width 500) | Should -Not -Match 'document end'
    }

    It 'names the file, line and column of a TOML error, and a key is never shown' {
        $path = New-TomlCopy ($Toml -replace 'source = "manual"', 'source = "manual')
        $wellFormed = Test-IoTEdgeConfig -Path $path | Where-Object CheckId -EQ 'aziot-edged-config-well-formed'
        "$($wellFormed.Status)" | Should -Be 'Error'
        $wellFormed.Line | Should -Be 6
        Set-IoTEdgeHostname -Path $path -HostName edge-gw-02 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ConfigNotValidToml,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHostnameCommand'
        $problems[0].ToString() | Should -Match ([regex]::Escape($path) + ':6:\d+: ')
        (Test-IoTEdgeConfig -Path $path -Verbose *>&1 | Out-String -Width 500) | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'sets the hostname, keeping comments and mode 600, with a backup, idempotently' {
        $path = New-TomlCopy
        Set-IoTEdgeHostname -Path $path -HostName edgevm01 -WarningAction SilentlyContinue
        Set-IoTEdgeHostname -Path $path -HostName edgevm01 -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly ($Toml -replace 'hostname = "edge-gw-01"', 'hostname = "edgevm01"')
        Get-ChildItem (Split-Path $path) -Filter 'config.toml.*.bak' | Should -HaveCount 1
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'shows a diff with -WhatIf and writes nothing' {
        $path = New-TomlCopy
        $hash = (Get-FileHash $path).Hash
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeRuntimeLogLevel -Path '$path' -Level debug -WhatIf") | Out-String
        (Get-FileHash $path).Hash | Should -Be $hash
        $shown | Should -Match '\+RuntimeLogLevel = "debug"'
    }

    It 'sets RuntimeLogLevel in [agent.env] and says to apply it' {
        $path = New-TomlCopy
        Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -WarningVariable warnings -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly ($Toml -replace '# port 443 only\n', "# port 443 only`nRuntimeLogLevel = `"debug`"`n")
        "$warnings" | Should -Match 'iotedge config apply'
    }

    It 'runs iotedge config apply with -Apply, through the iotedge on PATH' {
        $fake = New-FakeIotedge
        $path = New-TomlCopy
        $oldPath = $env:PATH
        try {
            $env:PATH = "$($fake.Bin)$([System.IO.Path]::PathSeparator)$env:PATH"
            Set-IoTEdgeRuntimeLogLevel -Path $path -Level warning -Apply -WarningVariable warnings -WarningAction SilentlyContinue
            Get-Content $fake.Record | Should -Be "config apply -c $path"
            $warnings | Should -BeNullOrEmpty
            # -Restart, the old name, does the same on a config.toml.
            Set-IoTEdgeRuntimeLogLevel -Path $path -Level info -Restart -WarningAction SilentlyContinue
            @(Get-Content $fake.Record).Count | Should -Be 2
        }
        finally {
            $env:PATH = $oldPath
        }
    } -Skip:$IsWindows

    It 'explains a hostname change that iotedge config apply refuses because modules exist' {
        $fake = New-FakeIotedge -ExitCode 1 -Say 'Cannot apply config because the hostname in the config edgevm02 is different from the previous hostname edge-gw-01.'
        $path = New-TomlCopy
        $oldPath = $env:PATH
        try {
            $env:PATH = "$($fake.Bin)$([System.IO.Path]::PathSeparator)$env:PATH"
            Set-IoTEdgeHostname -Path $path -HostName edgevm02 -Apply -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -Be 'HostnameChangeRefused,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHostnameCommand'
            $problems[0].ToString() | Should -Match 'docker rm -f'
            "$warnings" | Should -Match 'refuses a new hostname while IoT Edge modules exist'
            Get-Content -Raw $path | Should -Match 'hostname = "edgevm02"'
        }
        finally {
            $env:PATH = $oldPath
        }
    } -Skip:$IsWindows

    It 'reads a file of either generation as -Generation says, whatever its name' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $path = Join-Path $folder 'edge.conf'
        [System.IO.File]::WriteAllText($path, $Toml)
        (Test-IoTEdgeConfig -Path $path -Generation 1.5).CheckId | Should -Contain 'aziot-edged-config-well-formed'
        $wellFormed = Test-IoTEdgeConfig -Path $path -Generation 1.1 | Where-Object CheckId -EQ 'config-yaml'
        "$($wellFormed.Status)" | Should -Be 'Error'
    }
}

Describe 'Dependency isolation' {
    It 'works when another module already loaded an older YamlDotNet' {
        # A fresh process: first an "older YamlDotNet" (1.0.0) in the default load context, then the module.
        $fake = Join-Path $TestDrive 'YamlDotNet.dll'
        $script = @"
`$name = [System.Reflection.AssemblyName]::new('YamlDotNet, Version=1.0.0.0')
`$builder = [System.Reflection.Emit.PersistedAssemblyBuilder]::new(`$name, [object].Assembly)
[void]`$builder.DefineDynamicModule('YamlDotNet').DefineType('YamlDotNet.Old', 'Public').CreateType()
`$builder.Save('$fake')
[System.Reflection.Assembly]::LoadFrom('$fake') | Out-Null
Import-Module '$ManifestPath'
`$r = Test-IoTEdgeConfig -Path '$(Join-Path $Corpus 'linux-1.1-manual.yaml')'
`$yaml = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { '{0}@{1}' -f `$_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
"`$((`$r | Where-Object CheckId -eq 'config-yaml').Status)|`$((`$yaml | Sort-Object) -join ',')"
"@
        $out = Invoke-ChildPwsh -ArgumentList @('-Command', $script)
        $out | Should -Be 'Pass|1@Default,16@IoTEdgeTroubleshoot'
    }
}

Describe 'Edits around the file' {
    BeforeDiscovery {
        # What this machine allows (root, chattr +i, mount -t tmpfs): the tests that need it skip elsewhere.
        $script:CanChattr = $false
        $script:CanMount = $false
        if (-not $IsWindows -and (id -u) -eq '0') {
            $probe = Join-Path ([System.IO.Path]::GetTempPath()) ('iet-probe-' + [guid]::NewGuid().ToString('N'))
            Set-Content $probe 'x'
            chattr +i $probe 2>$null
            if ($LASTEXITCODE -eq 0) { $script:CanChattr = $true; chattr -i $probe }
            Remove-Item $probe
            New-Item -ItemType Directory $probe | Out-Null
            mount -t tmpfs -o size=64k tmpfs $probe 2>$null
            if ($LASTEXITCODE -eq 0) { $script:CanMount = $true; umount $probe }
            Remove-Item $probe
        }
    }

    It 'keeps only the newest backups with -BackupCount, and 5 by default' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $folder = Split-Path $path
        foreach ($n in 1..7) { Set-IoTEdgeHostname -Path $path -HostName "edge-gw-$n" -WarningAction SilentlyContinue }
        Get-ChildItem $folder -Filter 'config.yaml.*.bak' | Should -HaveCount 5
        $removed = Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-last' -BackupCount 2 -Verbose -WarningAction SilentlyContinue 4>&1 | Where-Object { "$_" -match 'Removed the old backup' }
        $removed | Should -HaveCount 4
        $left = Get-ChildItem $folder -Filter 'config.yaml.*.bak' | Sort-Object Name
        $left | Should -HaveCount 2
        # the two newest: the one just made holds the hostname before it, and the one before that
        ($left | ForEach-Object { Get-Content -Raw $_.FullName }) -match 'hostname: "edge-gw-[67]"' | Should -HaveCount 2
        { Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -BackupCount 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.SetIoTEdgeRuntimeLogLevelCommand'
    }

    It 'edits the target of a symbolic link and keeps the link' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $link = Join-Path (Split-Path $path) 'config-link.yaml'
        New-Item -ItemType SymbolicLink -Path $link -Target $path | Out-Null
        Set-IoTEdgeHostname -Path $link -HostName 'edge-via-link' -WarningAction SilentlyContinue
        (Get-Item $link).LinkType | Should -Be 'SymbolicLink'
        (Get-Item $link).Target | Should -Be $path
        Get-Content -Raw $path | Should -Match 'hostname: "edge-via-link"'
        (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    } -Skip:$IsWindows

    It 'quotes a hostname that YAML would read as a boolean' {
        $path = New-ConfigCopy 'linux-1.0-dps-tpm.yaml'
        Set-IoTEdgeHostname -Path $path -HostName 'yes' -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -Match 'hostname: "yes"'
    }

    It 'reports an immutable file as ConfigAccessDenied on the file, with what to do, and leaves nothing behind' {
        $path = New-ConfigCopy 'linux-1.1-manual.yaml'
        $hash = (Get-FileHash $path).Hash
        chattr +i $path
        try {
            Set-IoTEdgeHostname -Path $path -HostName 'edge-gw-02' -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally {
            chattr -i $path
        }
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ConfigAccessDenied,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHostnameCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].TargetObject | Should -Be $path
        $problems[0].ToString() | Should -Match ([regex]::Escape("sudo chattr -i $path"))
        $problems[0].ToString() | Should -Match 'The file was not changed; no temporary file or backup was left behind'
        $warnings | Should -BeNullOrEmpty -Because 'nothing was changed, so there is nothing to restart for'
        (Get-FileHash $path).Hash | Should -Be $hash
        Get-ChildItem (Split-Path $path) -Force | Should -HaveCount 1
    } -Skip:(-not $CanChattr)

    It 'reports a full disk as ConfigWriteFailed, says the file is unchanged, and leaves nothing behind' {
        $folder = Join-Path $TestDrive 'tiny'
        New-Item -ItemType Directory $folder | Out-Null
        mount -t tmpfs -o size=64k tmpfs $folder
        try {
            $path = Join-Path $folder 'config.yaml'
            $text = Get-Content -Raw (Join-Path $Corpus 'linux-1.1-manual.yaml')
            [System.IO.File]::WriteAllText($path, $text + ('#' * (40000 - $text.Length)) + "`n")
            $hash = (Get-FileHash $path).Hash
            Set-IoTEdgeRuntimeLogLevel -Path $path -Level debug -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'ConfigWriteFailed,IoTEdgeTroubleshoot.Commands.SetIoTEdgeRuntimeLogLevelCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'WriteError'
            $problems[0].TargetObject | Should -Be $path
            $problems[0].ToString() | Should -Match 'file system is full'
            $problems[0].ToString() | Should -Match 'The file was not changed; no temporary file or backup was left behind'
            (Get-FileHash $path).Hash | Should -Be $hash
            Get-ChildItem $folder -Force | Should -HaveCount 1
        }
        finally {
            umount $folder
        }
    } -Skip:(-not $CanMount)

    It 'never shows a proxy password or a secret with spaces on a changed line in -WhatIf' {
        $path = New-ConfigCopy 'env-flow.yaml'
        # The guide's proxy setting lives in the agent's env, on the line the level is added to.
        $text = (Get-Content -Raw $path).Replace('env: { UpstreamProtocol: MqttWs }', 'env: { UpstreamProtocol: MqttWs, https_proxy: "https://user:proxyS3cret@proxy.contoso.com:3128", RegistryPassword: "pass phrase # hash" }')
        Set-Content $path $text -NoNewline
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeRuntimeLogLevel -Path '$path' -Level debug -WhatIf") | Out-String
        $shown | Should -Match ([regex]::Escape('https_proxy: "https://user:***@proxy.contoso.com:3128", RegistryPassword: "***", RuntimeLogLevel: debug }'))
        foreach ($secret in 'proxyS3cret', 'pass phrase', '# hash') {
            $shown | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}
