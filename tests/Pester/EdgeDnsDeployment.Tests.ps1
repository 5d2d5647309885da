BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Golden = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Golden'
    $script:Dockerfiles = Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Dockerfiles'
    $script:Password = 's3cr3t-Passw0rd+xyz='

    function New-Copy([string] $Name, [string] $As) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $path = Join-Path $folder $As
        Copy-Item (Join-Path $Golden $Name) $path
        $path
    }
}

Describe 'Test-IoTEdgeDns' {
    It 'passes an engine config with DNS servers and a hub name that resolves (localhost)' {
        $daemon = New-Copy 'daemon-dns-crlf-tabs.json' 'daemon.json'
        $results = Test-IoTEdgeDns -DaemonConfigPath $daemon -HubHostName localhost
        $results | Should -HaveCount 2
        $results[0] | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult'
        "$($results[0].Status)" | Should -Be 'Pass'
        $results[0].Message | Should -Match '8\.8\.8\.8'
        $results[0].Line | Should -Be 2
        "$($results[1].Status)" | Should -Be 'Pass'
        $results[1].CheckId | Should -Be 'dns-hub-resolves'
    }

    It 'warns about a missing daemon.json and names the command that fixes it' {
        $result = Test-IoTEdgeDns -DaemonConfigPath (Join-Path $TestDrive 'none/daemon.json') -HubHostName localhost | Select-Object -First 1
        "$($result.Status)" | Should -Be 'Warning'
        $result.RemedyCommand | Should -BeLike 'Set-IoTEdgeDns -DaemonConfigPath *'
    }

    It 'checks edgeAgent and edgeHub in a manifest too, never showing its registry password' {
        $daemon = New-Copy 'daemon-log-opts.json' 'daemon.json'
        $text = Test-IoTEdgeDns -DaemonConfigPath $daemon -ManifestPath (Join-Path $Golden 'manifest-split.json') -HubHostName localhost | Out-String -Width 400
        $text | Should -Match 'manifest-dns'
        $text | Should -Not -Match ([regex]::Escape($Password))
    }
}

Describe 'Set-IoTEdgeDns' {
    It 'merges dns into daemon.json (option 1), every other key kept, with a backup; a second run writes nothing' {
        $path = New-Copy 'daemon-log-opts.json' 'daemon.json'
        Set-IoTEdgeDns -Server 10.0.0.53, 1.1.1.1 -DaemonConfigPath $path -WarningAction SilentlyContinue
        [IO.File]::ReadAllBytes($path) | Should -Be ([IO.File]::ReadAllBytes((Join-Path $Golden 'daemon-log-opts.dns.expected.json')))
        Get-ChildItem (Split-Path $path) -Filter 'daemon.json.*.bak' | Should -HaveCount 1

        Set-IoTEdgeDns -Server 10.0.0.53, 1.1.1.1 -DaemonConfigPath $path -WarningVariable again -WarningAction SilentlyContinue
        Get-ChildItem (Split-Path $path) -Filter 'daemon.json.*.bak' | Should -HaveCount 1
        $again | Should -BeNullOrEmpty -Because 'nothing changed, so there is no engine to restart'
    }

    It 'creates a missing daemon.json and its folder, and says the engine must restart' {
        $path = Join-Path $TestDrive 'new/etc/docker/daemon.json'
        Set-IoTEdgeDns -Server 1.1.1.1 -DaemonConfigPath $path -WarningVariable said -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly "{`n    `"dns`": [`"1.1.1.1`"]`n}`n"
        "$said" | Should -Match 'systemctl restart docker'
    }

    It 'refuses an address that is not one, before reading any file' {
        { Set-IoTEdgeDns -Server dns.contoso.com -DaemonConfigPath (Join-Path $TestDrive 'x.json') } |
            Should -Throw -ErrorId 'InvalidDnsServer,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDnsCommand'
        Test-Path (Join-Path $TestDrive 'x.json') | Should -BeFalse
    }

    It 'refuses malformed JSON with file, line and column, and writes nothing' {
        $path = Join-Path $TestDrive 'broken.json'
        Set-Content -Path $path -Value "{`n  `"debug`": true,`n}" -NoNewline
        Set-IoTEdgeDns -Server 1.1.1.1 -DaemonConfigPath $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'JsonNotValid,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDnsCommand'
        $failed[0].Exception.Position.Line | Should -Be 3
        "$($failed[0])" | Should -BeLike "$($path):3:1: *"
        Get-Content -Raw $path | Should -BeExactly "{`n  `"debug`": true,`n}"
    }

    It 'restarts the engine with -RestartEngine (systemctl restart docker), and -WhatIf names the restart and restarts nothing' -Skip:$IsWindows {
        # A fake systemctl earlier on PATH records its arguments (Crescendo's EchoTool way).
        $bin = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory $bin -Force | Out-Null
        $log = Join-Path $TestDrive 'systemctl.log'
        Set-Content (Join-Path $bin 'systemctl') "#!/bin/sh`necho `"`$@`" >> '$log'`n"
        chmod +x (Join-Path $bin 'systemctl')
        $path = New-Copy 'daemon-compact.json' 'daemon.json'
        $before = Get-Content -Raw $path

        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "`$env:PATH = '$bin' + [IO.Path]::PathSeparator + `$env:PATH; Import-Module '$ManifestPath'; Set-IoTEdgeDns -Server 1.1.1.1 -DaemonConfigPath '$path' -RestartEngine -WhatIf") | Out-String
        $shown | Should -Match 'Restart.*container engine \(systemd unit docker\)'
        $shown | Should -Match '\+\{"log-level":"warn","insecure-registries":\["localhost:5000"\],"dns":\["1\.1\.1\.1"\]\}'
        Get-Content -Raw $path | Should -BeExactly $before
        Test-Path $log | Should -BeFalse

        Invoke-ChildPwsh -ArgumentList @('-Command', "`$env:PATH = '$bin' + [IO.Path]::PathSeparator + `$env:PATH; Import-Module '$ManifestPath'; Set-IoTEdgeDns -Server 1.1.1.1 -DaemonConfigPath '$path' -RestartEngine -Confirm:`$false") | Out-Null
        Get-Content $log | Should -Be @('restart docker')
        Get-Content -Raw $path | Should -Match '"dns":\["1\.1\.1\.1"\]'
    }

    It 'sets HostConfig.Dns in edgeAgent and edgeHub (option 2), keeping the createOptions chunks, and asks to deploy' {
        $path = New-Copy 'manifest-split.json' 'deployment.json'
        Set-IoTEdgeDns -Server 10.0.0.53, 1.1.1.1 -ManifestPath $path -WarningVariable said -WarningAction SilentlyContinue
        [IO.File]::ReadAllBytes($path) | Should -Be ([IO.File]::ReadAllBytes((Join-Path $Golden 'manifest-split.dns.expected.json')))
        "$said" | Should -Match 'az iot edge set-modules'
    }

    It 'shows the manifest change with -WhatIf, the registry password masked' {
        $path = New-Copy 'manifest-split.json' 'deployment.json'
        # One line for the whole manifest: the password is on the changed line.
        $compact = (Get-Content -Raw $path | ConvertFrom-Json | ConvertTo-Json -Depth 20 -Compress)
        Set-Content -Path $path -Value $compact -NoNewline
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeDns -Server 1.1.1.1 -ManifestPath '$path' -Module filtermodule -WhatIf") | Out-String
        $shown | Should -Match 'Set HostConfig.Dns of filtermodule'
        $shown | Should -Not -Match ([regex]::Escape($Password))
        Get-Content -Raw $path | Should -BeExactly $compact
    }

    It 'names the modules a manifest has when -Module is wrong' {
        $path = New-Copy 'manifest-split.json' 'deployment.json'
        Set-IoTEdgeDns -Server 1.1.1.1 -ManifestPath $path -Module FilterModule -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestModuleNotFound,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDnsCommand'
        "$($failed[0])" | Should -Match 'filtermodule'
    }

    It 'returns the file''s DNS check with -PassThru' {
        $path = New-Copy 'daemon-empty-object.json' 'daemon.json'
        $result = Set-IoTEdgeDns -Server 1.1.1.1 -DaemonConfigPath $path -PassThru -WarningAction SilentlyContinue
        $result.CheckId | Should -Be 'dns-engine-config'
        "$($result.Status)" | Should -Be 'Pass'
    }
}

Describe 'Test-IoTEdgeDeployment' {
    It 'checks a good manifest: every check runs, no error' {
        $results = Test-IoTEdgeDeployment -Path (Join-Path $Golden 'manifest-split.json') -DeviceMemoryMB 8192
        ($results.CheckId | Select-Object -Unique) | Should -Be ([IoTEdgeTroubleshoot.Edge.Deployment.DeploymentChecks]::CheckIds)
        $results | Where-Object { "$($_.Status)" -eq 'Error' } | Should -BeNullOrEmpty
    }

    It 'names the process that already holds a host port edgeHub binds (the guide''s "port is already allocated")' -Skip:(-not $IsLinux) {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $path = New-Copy 'manifest-split.json' 'deployment.json'
            (Get-Content -Raw $path).Replace('{\"HostPort\":\"8883\"}', "{\`"HostPort\`":\`"$port\`"}") | Set-Content $path -NoNewline
            $held = Test-IoTEdgeDeployment $path -DeviceMemoryMB 8192 | Where-Object { $_.CheckId -eq 'manifest-edgehub-ports' -and "$($_.Status)" -eq 'Error' }
            $held.Message | Should -Match "Host port $port .*held by .*\(id $PID\)"
        }
        finally {
            $listener.Stop()
        }
    }

    It 'finds the 403 cause: an image registry without credentials, at its line' {
        $path = New-Copy 'manifest-split.json' 'deployment.json'
        (Get-Content -Raw $path) -replace 'contosoacr.azurecr.io/filtermodule', 'fabrikam.azurecr.io/filtermodule' | Set-Content $path -NoNewline
        $error403 = Test-IoTEdgeDeployment $path | Where-Object { $_.CheckId -eq 'manifest-registry-credentials' -and "$($_.Status)" -eq 'Error' }
        $error403.Message | Should -Match 'fabrikam\.azurecr\.io.*403'
        $error403.Line | Should -Be 47
        (Test-IoTEdgeDeployment $path | Out-String -Width 400) | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'reports a manifest that is not JSON at its line and column' {
        $path = Join-Path $TestDrive 'broken-deployment.json'
        Set-Content -Path $path -Value "{`n  `"modulesContent`": {`n    `"`$edgeAgent`": ,`n  }`n}" -NoNewline
        $json = Test-IoTEdgeDeployment $path | Where-Object CheckId -EQ 'manifest-json'
        "$($json.Status)" | Should -Be 'Error'
        $json.Line | Should -Be 3
        $json.Column | Should -Be 19
    }

    It 'pipes its OptimizeForPerformance finding into Set-IoTEdgeHubOptimization' {
        $path = New-Copy 'manifest-split.json' 'deployment.json'
        $after = Test-IoTEdgeDeployment $path -DeviceMemoryMB 925 | Where-Object { "$($_.Status)" -eq 'Warning' -and $_.CheckId -eq 'manifest-edgehub-optimization' } |
            Set-IoTEdgeHubOptimization -OptimizeForPerformance $false -PassThru -WarningAction SilentlyContinue
        [IO.File]::ReadAllBytes($path) | Should -Be ([IO.File]::ReadAllBytes((Join-Path $Golden 'manifest-split.optimization.expected.json')))
        "$($after.Status)" | Should -Be 'Pass'
    }
}

Describe 'Set-IoTEdgeHubOptimization' {
    It 'adds OptimizeForPerformance beside edgeHub''s other env, CRLF and indentation kept; idempotent' {
        $path = New-Copy 'manifest-hub-env-crlf.json' 'deployment.json'
        Set-IoTEdgeHubOptimization -Path $path -OptimizeForPerformance $false -WarningAction SilentlyContinue
        [IO.File]::ReadAllBytes($path) | Should -Be ([IO.File]::ReadAllBytes((Join-Path $Golden 'manifest-hub-env-crlf.optimization.expected.json')))
        $hash = (Get-FileHash $path).Hash
        Set-IoTEdgeHubOptimization -Path $path -OptimizeForPerformance $false -WarningAction SilentlyContinue
        (Get-FileHash $path).Hash | Should -Be $hash
        Get-ChildItem (Split-Path $path) -Filter '*.bak' | Should -HaveCount 1
    }

    It 'refuses a file that is not a deployment manifest' {
        $path = New-Copy 'daemon-log-opts.json' 'daemon.json'
        Set-IoTEdgeHubOptimization -Path $path -OptimizeForPerformance $false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestShapeUnexpected,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHubOptimizationCommand'
    }
}

Describe 'Test-IoTEdgeModuleDockerfile' {
    It 'finds the shell form and gives the exec-form fix' {
        $result = Test-IoTEdgeModuleDockerfile (Join-Path $Dockerfiles 'dotnet-shell-form.Dockerfile')
        "$($result.Status)" | Should -Be 'Error'
        $result.Line | Should -Be 4
        $result.Message | Should -Match '404 "Module not found"'
        $result.Remedy | Should -Match ([regex]::Escape('ENTRYPOINT ["dotnet", "FilterModule.dll"]'))
    }

    It 'takes wildcards and piped files, one result each' {
        $results = Test-IoTEdgeModuleDockerfile (Join-Path $Dockerfiles 'sh-c-*.Dockerfile')
        $results | Should -HaveCount 2
        (Get-ChildItem $Dockerfiles -Filter 'script-*.Dockerfile' | Test-IoTEdgeModuleDockerfile | ForEach-Object { "$($_.Status)" } | Sort-Object) |
            Should -Be @('Error', 'Pass', 'Warning')
    }

    It 'checks the Dockerfile.* files of a module folder' {
        $module = Join-Path $TestDrive 'modules/filter'
        New-Item -ItemType Directory $module -Force | Out-Null
        Set-Content (Join-Path $module 'Dockerfile.amd64') "FROM mcr.microsoft.com/dotnet/runtime:8.0`nENTRYPOINT [`"dotnet`", `"FilterModule.dll`"]"
        Set-Content (Join-Path $module 'Dockerfile.amd64.debug') "FROM mcr.microsoft.com/dotnet/runtime:8.0`nCMD dotnet FilterModule.dll"
        $results = Get-Item $module | Test-IoTEdgeModuleDockerfile
        ($results | ForEach-Object { "$(Split-Path -Leaf $_.Path)=$($_.Status)" }) | Should -Be @('Dockerfile.amd64=Pass', 'Dockerfile.amd64.debug=Error')
    }

    It 'reports a path that does not exist' {
        Test-IoTEdgeModuleDockerfile (Join-Path $TestDrive 'nope/Dockerfile') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IoTEdgeTroubleshoot.Commands.TestIoTEdgeModuleDockerfileCommand'
    }
}

Describe 'Repair-IoTEdgeEventLog' {
    It 'writes the guide''s .reg file in UTF-16LE with a BOM, on any system; a second run writes nothing' {
        $path = Join-Path $TestDrive 'reg/iotedge.reg'
        Repair-IoTEdgeEventLog -ExportPath $path -EventMessageFile 'C:\ProgramData\iotedge\iotedged.exe'
        $golden = [IO.File]::ReadAllText((Join-Path $Golden 'iotedge.reg.expected.txt'))
        [IO.File]::ReadAllBytes($path) | Should -Be ([byte[]](0xFF, 0xFE) + [Text.Encoding]::Unicode.GetBytes($golden))
        $stamp = (Get-Item $path).LastWriteTimeUtc
        Repair-IoTEdgeEventLog -ExportPath $path -EventMessageFile 'C:\ProgramData\iotedge\iotedged.exe'
        (Get-Item $path).LastWriteTimeUtc | Should -Be $stamp
        Get-ChildItem (Split-Path $path) | Should -HaveCount 1
    }

    It 'returns the key''s values with -PassThru, and -WhatIf writes nothing' {
        $values = Repair-IoTEdgeEventLog -ExportPath (Join-Path $TestDrive 'whatif.reg') -EventMessageFile 'C:\Program Files\iotedge\iotedged.exe' -WhatIf -PassThru
        Test-Path (Join-Path $TestDrive 'whatif.reg') | Should -BeFalse
        $values.Name | Should -Be @('CustomSource', 'EventMessageFile', 'TypesSupported')
        $values[2].Value | Should -Be 7
        ($values | Format-Table | Out-String) | Should -Match 'Name\s+Kind\s+Value'
    }

    It 'shows the .reg file''s lines as a diff with -WhatIf' {
        $path = Join-Path $TestDrive 'shown.reg'
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Repair-IoTEdgeEventLog -ExportPath '$path' -EventMessageFile 'C:\ProgramData\iotedge\iotedged.exe' -WhatIf") | Out-String
        $shown | Should -Match ([regex]::Escape('+"EventMessageFile"="C:\\ProgramData\\iotedge\\iotedged.exe"'))
        $shown | Should -Match ([regex]::Escape('+"TypesSupported"=dword:00000007'))
        Test-Path $path | Should -BeFalse
    }

    It 'says there is no registry to repair off Windows, and what to do instead' -Skip:$IsWindows {
        { Repair-IoTEdgeEventLog -EventMessageFile 'C:\ProgramData\iotedge\iotedged.exe' } |
            Should -Throw -ErrorId 'EventLogNeedsWindows,IoTEdgeTroubleshoot.Commands.RepairIoTEdgeEventLogCommand'
    }
}

Describe 'The check ids of the edge deployment, DNS and Dockerfile commands' {
    It 'are documented in about_IoTEdgeTroubleshoot, in the order they run' {
        $about = Get-Content (Join-Path (Split-Path $ManifestPath) 'en-US/about_IoTEdgeTroubleshoot.help.txt')
        $terms = foreach ($heading in 'EDGE DEPLOYMENT CHECK IDS', 'EDGE DNS AND DOCKERFILE CHECK IDS') {
            $start = [array]::IndexOf($about, "  $heading")
            $start | Should -BeGreaterThan 0
            for ($i = $start + 1; $i -lt $about.Count -and $about[$i] -notmatch '^  \S'; $i++) {
                if ($about[$i] -match '^    (\S+)\s*$') { $Matches[1] }
            }
        }
        $expected = @([IoTEdgeTroubleshoot.Edge.Deployment.DeploymentChecks]::CheckIds) + @('dns-engine-config', 'dns-hub-resolves', [IoTEdgeTroubleshoot.Edge.Dockerfile.ModuleDockerfileCheck]::Id)
        $terms | Should -Be $expected
    }
}
