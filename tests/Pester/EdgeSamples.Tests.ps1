# The README's edge examples, on the shipped samples (samples/edge): what a new user runs first finds what is planted.
# Edits run on copies in TestDrive; Test-IoTEdgeFirewall only ever probes 127.0.0.1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Edge = Join-Path $Samples 'edge'
    $script:Manifest = Join-Path $Edge 'deployment.amd64.json'

    function New-EdgeCopy {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Copy-Item $Edge $folder -Recurse
        $folder
    }
}

Describe 'samples/edge' {
    It 'Test-IoTEdgeDeployment finds the registry without credentials and OptimizeForPerformance on a small device' {
        $results = Test-IoTEdgeDeployment $Manifest -DeviceMemoryMB 1024

        $credentials = $results | Where-Object CheckId -eq manifest-registry-credentials
        $missing = @($credentials | Where-Object { "$($_.Status)" -eq 'Error' })
        $missing | Should -HaveCount 1
        $missing[0].Message | Should -Match 'tempsensor: images from fabrikam\.azurecr\.io have no registryCredentials'
        @($credentials | Where-Object { "$($_.Status)" -eq 'Pass' }).Message -join "`n" | Should -Match 'mcr\.microsoft\.com need no credentials'
        "$(($results | Where-Object CheckId -eq manifest-registry-address).Status)" | Should -Be 'Pass'
        "$(($results | Where-Object CheckId -eq manifest-create-options).Status)" | Should -Be 'Pass'
        "$(($results | Where-Object CheckId -eq manifest-schema).Status)" | Should -Be 'Pass'
        $optimization = $results | Where-Object CheckId -eq manifest-edgehub-optimization
        "$($optimization.Status)" | Should -Be 'Warning'
        $optimization.Message | Should -Match '1024 MB'
        "$((Test-IoTEdgeDeployment $Manifest -DeviceMemoryMB 4096 | Where-Object CheckId -eq manifest-edgehub-optimization).Status)" | Should -Be 'Pass'
    }

    It 'Test-IoTEdgeDns finds no DNS in the sample daemon.json nor in the manifest' {
        $results = Test-IoTEdgeDns -DaemonConfigPath (Join-Path $Edge 'daemon.json') -ManifestPath $Manifest -HubHostName localhost

        "$(($results | Where-Object CheckId -eq dns-engine-config).Status)" | Should -Be 'Warning'
        ($results | Where-Object CheckId -eq dns-engine-config).RemedyCommand | Should -BeLike 'Set-IoTEdgeDns -DaemonConfigPath *'
        "$(($results | Where-Object CheckId -eq manifest-dns).Status)" | Should -Be 'Warning'
        "$(($results | Where-Object CheckId -eq dns-hub-resolves).Status)" | Should -Be 'Pass'
    }

    It 'Test-IoTEdgeModuleDockerfile finds the shell-form CMD and passes the exec-form ENTRYPOINT' {
        $results = Get-ChildItem (Join-Path $Edge 'modules') -Directory | Test-IoTEdgeModuleDockerfile

        $results | Should -HaveCount 2
        $filter = $results | Where-Object Path -like '*filtermodule*'
        "$($filter.Status)" | Should -Be 'Error'
        $filter.Line | Should -Be 19
        $filter.Message | Should -Match 'shell form'
        $filter.Remedy | Should -Match ([regex]::Escape('CMD ["dotnet", "FilterModule.dll"]'))
        "$(($results | Where-Object Path -like '*tempsensor*').Status)" | Should -Be 'Pass'
    }

    It 'Set-IoTEdgeHubOptimization takes the check''s result: -WhatIf writes nothing, then the change is written once' {
        $copy = New-EdgeCopy
        $path = Join-Path $copy 'deployment.amd64.json'
        $before = Get-Content -Raw $path

        Test-IoTEdgeDeployment $path -DeviceMemoryMB 1024 | Where-Object CheckId -eq manifest-edgehub-optimization |
            Set-IoTEdgeHubOptimization -OptimizeForPerformance $false -WhatIf
        Get-Content -Raw $path | Should -BeExactly $before

        Set-IoTEdgeHubOptimization -Path $path -OptimizeForPerformance $false -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly ($before.Replace('"value": "true"', '"value": "false"'))
        (Test-IoTEdgeDeployment $path -DeviceMemoryMB 1024 | Where-Object CheckId -eq manifest-edgehub-optimization).Status | Should -Be 'Pass'
        $backups = @(Get-ChildItem $copy -Filter 'deployment.amd64.json.*.bak')
        $backups | Should -HaveCount 1

        Set-IoTEdgeHubOptimization -Path $path -OptimizeForPerformance $false -WarningAction SilentlyContinue
        @(Get-ChildItem $copy -Filter 'deployment.amd64.json.*.bak') | Should -HaveCount 1 -Because 'the second run changes nothing'
    }

    It 'Set-IoTEdgeDns sets the manifest''s createOptions (keeping the chunks) and the daemon.json, and the checks then pass' {
        $copy = New-EdgeCopy
        $path = Join-Path $copy 'deployment.amd64.json'
        $daemon = Join-Path $copy 'daemon.json'

        Set-IoTEdgeDns -Server 10.0.0.53, 10.0.0.54 -ManifestPath $path -WarningAction SilentlyContinue
        Set-IoTEdgeDns -Server 10.0.0.53 -DaemonConfigPath $daemon -WarningAction SilentlyContinue

        $json = Get-Content -Raw $path | ConvertFrom-Json
        $hub = $json.modulesContent.'$edgeAgent'.'properties.desired'.systemModules.edgeHub.settings
        $hub.createOptions01 | Should -Not -BeNullOrEmpty -Because 'a split createOptions stays split'
        $joined = ($hub.PSObject.Properties | Where-Object Name -like 'createOptions*' | Sort-Object Name | ForEach-Object Value) -join ''
        ($joined | ConvertFrom-Json).HostConfig.Dns | Should -Be @('10.0.0.53', '10.0.0.54')
        ($joined | ConvertFrom-Json).HostConfig.PortBindings.'443/tcp'[0].HostPort | Should -Be '443'
        (Get-Content -Raw $daemon | ConvertFrom-Json).dns | Should -Be @('10.0.0.53')
        (Get-Content -Raw $daemon | ConvertFrom-Json).'log-opts'.'max-file' | Should -Be '3'
        $results = Test-IoTEdgeDns -DaemonConfigPath $daemon -ManifestPath $path -HubHostName localhost
        $results | ForEach-Object { "$($_.Status)" } | Should -Not -Contain 'Warning'
        $results | ForEach-Object { "$($_.Status)" } | Should -Not -Contain 'Error'
    }

    It 'Repair-IoTEdgeEventLog -ExportPath writes the .reg file in UTF-16LE' {
        $copy = New-EdgeCopy
        $reg = Join-Path $copy 'iotedge.reg'

        Repair-IoTEdgeEventLog -ExportPath $reg -EventMessageFile 'C:\ProgramData\iotedge\iotedged.exe'

        $bytes = [IO.File]::ReadAllBytes($reg)
        $bytes[0..1] | Should -Be @(0xFF, 0xFE)
        [Text.Encoding]::Unicode.GetString($bytes, 2, $bytes.Length - 2) | Should -Match ([regex]::Escape('"EventMessageFile"="C:\\ProgramData\\iotedge\\iotedged.exe"'))
    }

    It 'Test-IoTEdgeFirewall reads the sample config.toml and probes only what -HubHostName names (127.0.0.1)' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        $closed = $listener.LocalEndpoint.Port
        $listener.Stop()

        $result = Test-IoTEdgeFirewall -ConfigPath (Join-Path $Edge 'config.toml') -HubHostName 127.0.0.1 -Port $closed -TimeoutSeconds 5

        $result.Host | Should -Be '127.0.0.1'
        "$($result.Status)" | Should -Be 'Error'
        "$($result.FailedStage)" | Should -Be 'Tcp'
        $result.ViaProxy | Should -BeFalse
    }
}

Describe 'samples/edge under hostile input' {
    It 'shows a one-line manifest''s change with -WhatIf, the password hidden and the rest of the line kept' {
        $copy = New-EdgeCopy
        $path = Join-Path $copy 'deployment.amd64.json'
        $secret = 'Zx9-real+Passw0rd='
        $compact = (Get-Content -Raw $path).Replace('<registry-password>', $secret) | ConvertFrom-Json | ConvertTo-Json -Depth 20 -Compress
        Set-Content -Path $path -Value $compact -NoNewline

        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeHubOptimization -Path '$path' -OptimizeForPerformance `$false -WhatIf") | Out-String

        $shown | Should -Not -Match ([regex]::Escape($secret))
        $shown | Should -Match ([regex]::Escape('"password":"***"'))
        $shown | Should -Match ([regex]::Escape('"address":"contosoacr.azurecr.io"'))
        $shown | Should -Match ([regex]::Escape('"OptimizeForPerformance":{"value":"false"}'))
        Get-Content -Raw $path | Should -BeExactly $compact
    }

    It 'refuses an -EventMessageFile with a line break (it would write a key of its own into the .reg file)' {
        $copy = New-EdgeCopy
        $reg = Join-Path $copy 'evil.reg'

        { Repair-IoTEdgeEventLog -ExportPath $reg -EventMessageFile "C:\x`"`r`n[HKEY_LOCAL_MACHINE\SOFTWARE\evil]" } |
            Should -Throw -ErrorId 'InvalidEventMessageFile,IoTEdgeTroubleshoot.Commands.RepairIoTEdgeEventLogCommand'
        Test-Path $reg | Should -BeFalse
    }

    It 'says PathIsFolder for a folder named as daemon.json, manifest or .reg file, and writes nothing' {
        $copy = New-EdgeCopy
        $folder = Join-Path $copy 'modules'
        $before = @(Get-ChildItem $copy -Recurse -Force).Count

        Set-IoTEdgeDns -Server 10.0.0.53 -DaemonConfigPath $folder -ErrorVariable dns -ErrorAction SilentlyContinue
        Set-IoTEdgeHubOptimization -Path $folder -OptimizeForPerformance $false -ErrorVariable hub -ErrorAction SilentlyContinue
        Repair-IoTEdgeEventLog -ExportPath $folder -EventMessageFile 'C:\x.exe' -ErrorVariable reg -ErrorAction SilentlyContinue
        $manifest = Test-IoTEdgeDeployment $folder | Where-Object CheckId -eq manifest-readable

        $dns[0].FullyQualifiedErrorId | Should -Be 'PathIsFolder,IoTEdgeTroubleshoot.Commands.SetIoTEdgeDnsCommand'
        $hub[0].FullyQualifiedErrorId | Should -Be 'PathIsFolder,IoTEdgeTroubleshoot.Commands.SetIoTEdgeHubOptimizationCommand'
        $reg[0].FullyQualifiedErrorId | Should -Be 'PathIsFolder,IoTEdgeTroubleshoot.Commands.RepairIoTEdgeEventLogCommand'
        "$($manifest.Status)" | Should -Be 'Error'
        $manifest.Message | Should -Match 'is a folder'
        @(Get-ChildItem $copy -Recurse -Force).Count | Should -Be $before
    }

    It 'shows a Dockerfile''s giant instruction by its start' {
        $copy = New-EdgeCopy
        $file = Join-Path $copy 'Dockerfile'
        Set-Content $file ("FROM alpine`nCMD echo " + ('a' * 5MB))

        $result = Test-IoTEdgeModuleDockerfile $file

        "$($result.Status)" | Should -Be 'Error'
        $result.Message.Length | Should -BeLessThan 1000
        $result.Remedy.Length | Should -BeLessThan 2100
        $result.Line | Should -Be 2
    }
}
