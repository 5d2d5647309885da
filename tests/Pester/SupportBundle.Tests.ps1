# Export-IoTEdgeSupportBundle in a real pwsh, against an IoT Edge 1.5 device built in TestDrive: config.toml and a
# config.d drop-in, and recording stand-ins for journalctl, iotedge and docker (NativeStandIns.ps1) alone on PATH.
# Every secret on the device is a unique canary; the bundle must hold none of them, and the values beside them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    . (Join-Path $PSScriptRoot 'NativeStandIns.ps1')
    Add-Type -AssemblyName System.IO.Compression.FileSystem

    $script:Canary = [ordered]@{
        ConnectionStringKey = 'UGVzdGVyQ29ubktleUNhbmFyeTE='
        SymmetricKey        = 'UGVzdGVyU3ltS2V5Q2FuYXJ5Mg=='
        RegistryPassword    = 'UGVzdGVyUmVnUGFzc0NhbmFyeTM'
        Pin                 = 'PesterPinCanary4'
        EnvConnectionKey    = 'UGVzdGVyRW52S2V5Q2FuYXJ5NQ'
        EnvRegistryPassword = 'UGVzdGVyRW52UmVnQ2FuYXJ5Ng'
        JournalSignature    = 'UGVzdGVyU2FzU2lnQ2FuYXJ5Nw'
        JournalJwt          = 'eyJzdWIiOiJwZXN0ZXJDYW5hcnk4In0'
        ModuleBearer        = 'UGVzdGVyQmVhcmVyQ2FuYXJ5OQ'
        ModuleKeyLine       = 'UGVzdGVyUHJpdmF0ZUtleUNhbmFyeTEw'
    }

    # The device: files in TestDrive, the tools' answers as files the stand-ins print.
    function New-BundleDevice {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path (Join-Path $root 'aziot/config.d'), (Join-Path $root 'answers') | Out-Null
        $config = Join-Path $root 'aziot/config.toml'
        Set-Content -LiteralPath $config -Value @(
            'hostname = "edge-gw-07"'
            '[provisioning]'
            'source = "manual"'
            "connection_string = `"HostName=contoso-hub.azure-devices.net;DeviceId=edge-gw-07;SharedAccessKey=$($Canary.ConnectionStringKey)`""
            '[agent.config.auth]'
            'serveraddress = "contoso.azurecr.io"'
            'username = "acr-pull-user"'
            "password = `"$($Canary.RegistryPassword)`""
            '[aziot_keys]'
            "pkcs11_base_slot = `"pkcs11:slot-id=0?pin-value=$($Canary.Pin)`""
        )
        Set-Content -LiteralPath (Join-Path $root 'aziot/config.d/50-dps.toml') -Value @(
            '[provisioning.attestation]'
            'registration_id = "reg-edge-gw-07"'
            '[provisioning.attestation.symmetric_key]'
            "value = `"$($Canary.SymmetricKey)`""
        )

        $answers = Join-Path $root 'answers'
        $record = { param($time, $priority, $identifier, $message) [ordered]@{ __REALTIME_TIMESTAMP = $time; PRIORITY = $priority; SYSLOG_IDENTIFIER = $identifier; _PID = '705'; MESSAGE = $message } | ConvertTo-Json -Compress }
        Set-Content -LiteralPath (Join-Path $answers 'journal.json') -Value @(
            & $record '1784542272000000' '6' 'aziot-identityd' "2026-07-20T10:11:12Z [INFO] - Renewing the token for edge-gw-07: SharedAccessSignature sr=contoso-hub.azure-devices.net%2Fdevices%2Fedge-gw-07&sig=$($Canary.JournalSignature)&se=1784545872"
            & $record '1784542273000000' '3' 'aziot-edged' "2026-07-20T10:11:13Z [ERR!] - Request failed, Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.$($Canary.JournalJwt).c2ln"
        )
        Set-Content -LiteralPath (Join-Path $answers 'list.txt') -Value @(
            'NAME             STATUS           DESCRIPTION      CONFIG'
            'edgeAgent        running          Up 2 hours       mcr.microsoft.com/azureiotedge-agent:1.5'
            'edgeHub          running          Up 2 hours       mcr.microsoft.com/azureiotedge-hub:1.5'
        )
        Set-Content -LiteralPath (Join-Path $answers 'edgeAgent.log') -Value '<6> 2026-07-20 10:11:20.101 +00:00 [INF] - Edge agent started'
        Set-Content -LiteralPath (Join-Path $answers 'edgeHub.log') -Value @(
            '<6> 2026-07-20 10:11:22.230 +00:00 [INF] - Initializing Edge Hub.'
            "<4> 2026-07-20 10:11:24.004 +00:00 [WRN] - Token refresh, Authorization: Bearer $($Canary.ModuleBearer)"
            '<7> 2026-07-20 10:11:25.004 +00:00 [DBG] - Loaded server key -----BEGIN RSA PRIVATE KEY-----'
            $Canary.ModuleKeyLine
            '-----END RSA PRIVATE KEY----- for the server certificate'
        )
        Set-Content -LiteralPath (Join-Path $answers 'iotedge-version.txt') -Value 'iotedge 1.5.21'
        Set-Content -LiteralPath (Join-Path $answers 'docker-version.txt') -Value @('Server:', ' Engine:', '  Version:          20.10.27+azure-1')
        $inspect = @(
            [ordered]@{
                Name       = '/edgeHub'
                Config     = [ordered]@{
                    Env    = @('RuntimeLogLevel=debug', "EdgeHubConnectionString=HostName=contoso-hub.azure-devices.net;DeviceId=edge-gw-07;SharedAccessKey=$($Canary.EnvConnectionKey)")
                    Labels = [ordered]@{ 'net.azure-devices.edge.create-options' = (@{ Env = @("REGISTRY_PASSWORD=$($Canary.EnvRegistryPassword)") } | ConvertTo-Json -Compress) }
                }
                HostConfig = [ordered]@{ Binds = @('/srv/edgehub:/tmp/edgehub'); PortBindings = [ordered]@{ '8883/tcp' = @([ordered]@{ HostIp = ''; HostPort = '8883' }) } }
            }
        )
        Set-Content -LiteralPath (Join-Path $answers 'inspect.json') -Value (ConvertTo-Json -InputObject $inspect -Depth 8)

        $bin = Join-Path $root 'bin'
        New-NativeStandIn -Folder $bin -Name journalctl -OutputFile (Join-Path $answers 'journal.json') | Out-Null
        New-NativeStandIn -Folder $bin -Name iotedge -OutputFileFor @{ list = (Join-Path $answers 'list.txt'); version = (Join-Path $answers 'iotedge-version.txt') } `
            -OutputFileForArgument @{ edgeAgent = (Join-Path $answers 'edgeAgent.log'); edgeHub = (Join-Path $answers 'edgeHub.log') } | Out-Null
        New-NativeStandIn -Folder $bin -Name docker -OutputFileFor @{ inspect = (Join-Path $answers 'inspect.json'); version = (Join-Path $answers 'docker-version.txt') } | Out-Null
        [pscustomobject]@{ Root = $root; Config = $config; Bin = $bin; Zip = Join-Path $root 'out/bundle.zip' }
    }

    # Runs the script with only the stand-ins on PATH.
    # The checks that would reach the network (the config's hub, DNS, an NTP server): the test device's hub is made up.
    $script:NetworkChecks = 'upstream-connectivity', 'edge-dns', 'host-local-time'

    function Invoke-OnDevice($Device, [scriptblock] $Script) {
        $previous = Use-NativeStandIn -Folder $Device.Bin -Exclusive
        try { & $Script } finally { $env:PATH = $previous }
    }

    function Get-ZipText([string] $Path) {
        $zip = [IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $texts = [ordered]@{}
            foreach ($entry in $zip.Entries) {
                $reader = [IO.StreamReader]::new($entry.Open())
                try { $texts[$entry.FullName] = $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            $texts
        }
        finally { $zip.Dispose() }
    }
}

Describe 'Export-IoTEdgeSupportBundle' -Skip:$IsWindows {
    It 'writes no canary secret into any entry, and keeps the values beside them' {
        $device = New-BundleDevice
        $bundle = Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config -Generation 1.5 -Since '2d' }

        $bundle | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.SupportBundle.IoTEdgeSupportBundle'
        $bundle.Skipped | Should -BeNullOrEmpty
        $texts = Get-ZipText $bundle.Path
        foreach ($name in $texts.Keys) {
            foreach ($secret in $Canary.Values) {
                $texts[$name].Contains($secret) | Should -BeFalse -Because "$name must not hold the secret $secret"
            }
        }

        $texts['config/config.toml'] | Should -Match ([regex]::Escape('DeviceId=edge-gw-07;SharedAccessKey=***'))
        $texts['config/config.toml'] | Should -Match 'username = "acr-pull-user"'
        $texts['config/config.toml'] | Should -Match ([regex]::Escape('pkcs11:slot-id=0?pin-value=***'))
        $texts['config/config.d/50-dps.toml'] | Should -Match 'registration_id = "reg-edge-gw-07"'
        $texts['containers.json'] | Should -Match 'RuntimeLogLevel=\*\*\*'
        $texts['containers.json'] | Should -Match 'REGISTRY_PASSWORD=\*\*\*'
        $texts['containers.json'] | Should -Match '/srv/edgehub:/tmp/edgehub'
        $texts['logs/daemon_journal.json'] | Should -Match 'Renewing the token for edge-gw-07'
        $texts['logs/edgeHub_log.txt'] | Should -Match 'Authorization: Bearer \*\*\*'
        $texts['logs/edgeHub_log.txt'] | Should -Match 'END RSA PRIVATE KEY----- for the server certificate'
        $texts['versions/docker.txt'] | Should -Match '20.10.27\+azure-1'
        $texts['summary.txt'] | Should -Match 'Not collected \(0\)'
    }

    It 'runs each tool with the window as arguments, each value its own' {
        $device = New-BundleDevice
        $since = [datetime]::new(2026, 7, 20, 10, 0, 0, [DateTimeKind]::Utc)
        Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config -Since $since } | Out-Null

        # Test-IoTEdge's checks (check-results.json) call the same tools for their own last hour: pick the bundle's calls.
        $journal = @(Get-NativeStandInCall -Folder $device.Bin -Name journalctl | Where-Object { $_ -contains '@1784541600' })
        $journal.Count | Should -Be 1
        $journal[0] | Should -Be @('-u', 'aziot-edged', '-u', 'aziot-identityd', '-u', 'aziot-keyd', '-u', 'aziot-certd', '-u', 'aziot-tpmd', '-o', 'json', '--no-pager', '--all', '--since', '@1784541600')
        $iotedge = @(Get-NativeStandInCall -Folder $device.Bin -Name iotedge)
        ($iotedge | Where-Object { $_[0] -eq 'logs' -and $_ -contains '2026-07-20T10:00:00Z' } | ForEach-Object { $_ -join ' ' }) | Should -Be @('logs edgeAgent --since 2026-07-20T10:00:00Z', 'logs edgeHub --since 2026-07-20T10:00:00Z')
        # one docker inspect of every module container at once (the storage checks inspect one module each)
        $inspect = @(Get-NativeStandInCall -Folder $device.Bin -Name docker | Where-Object { $_.Count -gt 4 -and $_[0] -eq 'inspect' })
        $inspect.Count | Should -Be 1
        $inspect[0] | Should -Be @('inspect', '--type', 'container', 'edgeAgent', 'edgeHub')
    }

    It 'with -WhatIf collects and writes nothing' {
        $device = New-BundleDevice
        Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config -WhatIf } | Should -BeNullOrEmpty

        Test-Path -LiteralPath $device.Zip | Should -BeFalse
        @(Get-NativeStandInCall -Folder $device.Bin -Name journalctl) | Should -BeNullOrEmpty
        @(Get-NativeStandInCall -Folder $device.Bin -Name iotedge) | Should -BeNullOrEmpty
    }

    It 'keeps an existing file without -Force (SupportBundleExists) and replaces it with -Force' {
        $device = New-BundleDevice
        New-Item -ItemType Directory -Path (Split-Path $device.Zip) | Out-Null
        Set-Content -LiteralPath $device.Zip -Value 'keep me'

        { Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config } } |
            Should -Throw -ErrorId 'SupportBundleExists,IoTEdgeTroubleshoot.Commands.ExportIoTEdgeSupportBundleCommand'
        Get-Content -LiteralPath $device.Zip | Should -Be 'keep me'

        $bundle = Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config -Force }
        (Get-ZipText $bundle.Path).Keys | Should -Contain 'summary.txt'
        @(Get-ChildItem -Force -LiteralPath (Split-Path $device.Zip)).Name | Should -Be @('bundle.zip') # no temporary file left
    }

    It 'without docker warns, lists the parts it could not collect, and still writes the bundle' {
        $device = New-BundleDevice
        Remove-Item -LiteralPath (Join-Path $device.Bin 'docker')
        $output = Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config 3>&1 }
        $bundle = $output | Where-Object { $_ -is [IoTEdgeTroubleshoot.Edge.SupportBundle.IoTEdgeSupportBundle] }
        $warned = $output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }

        $bundle.Skipped.Part | Should -Be @('container settings', 'docker version')
        @($warned) | Should -HaveCount 2
        "$($warned[0])" | Should -Match "The support bundle has no container settings: 'docker' was not found on PATH"
        $bundle.Entries | Should -Not -Contain 'containers.json'
        (Get-ZipText $bundle.Path)['summary.txt'] | Should -Match 'Not collected \(2\)'
    }

    It 'writes its bundle to a default name in the current folder' {
        $device = New-BundleDevice
        Push-Location $device.Root
        try { $bundle = Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -ConfigPath $device.Config } }
        finally { Pop-Location }

        $bundle.Name | Should -Match '^iotedge-support-.+-\d{8}T\d{6}Z\.zip$'
        Split-Path $bundle.Path | Should -Be $device.Root
        $bundle.Length | Should -Be (Get-Item -LiteralPath $bundle.Path).Length
    }

    It 'pipes into the log commands, which read its logs back and nothing else of it' {
        $device = New-BundleDevice
        $bundle = Invoke-OnDevice $device { Export-IoTEdgeSupportBundle -ExcludeCheck $NetworkChecks -Path $device.Zip -ConfigPath $device.Config }

        $entries = $bundle | Get-IoTEdgeDaemonLog -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $daemon = $entries | Where-Object Source -EQ 'aziot-edged'
        "$($daemon.Level)" | Should -Be 'Error'
        $daemon.Message | Should -Be 'Request failed, Authorization: Bearer ***'
        ($entries | Where-Object Source -EQ 'edgeHub').Count | Should -Be 3
    }

    It 'refuses a number as -Since, naming the forms that work' {
        { Export-IoTEdgeSupportBundle -Since 1 -WhatIf } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,IoTEdgeTroubleshoot.Commands.ExportIoTEdgeSupportBundleCommand'
    }
}
