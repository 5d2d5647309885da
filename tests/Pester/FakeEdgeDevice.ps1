# A fake IoT Edge 1.2+ device for Test-IoTEdge, built at run time in a temp folder: its config.toml (a nested device
# whose parent is 'localhost', trusted through the config's trust bundle), the services' applied config.d files,
# daemon.json, and recording stand-ins for systemctl, journalctl, iotedge and docker (NativeStandIns.ps1) that print
# what those tools print in their documented formats. The parent is a TLS listener on 127.0.0.1 (LoopbackServers.cs).
# Each New-FakeEdgeDevice parameter plants one fault. Dot-source after TestSetup.ps1 and NativeStandIns.ps1, with
# LoopbackServers.cs loaded.

$script:FakeKey = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c='

function Get-FakeTlsParent {
    # One TLS listener for every fake device of a test file: a leaf for 'localhost' signed by a root made now.
    if (-not $script:FakeParent) {
        $root = [IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Root('Fake Edge Parent Root')
        $leaf = [IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Leaf('localhost', $root, $false)
        $script:FakeParent = [pscustomobject]@{
            Root   = $root
            Server = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]::Tls($leaf)
        }
    }
    $script:FakeParent
}

function Remove-FakeTlsParent {
    if ($script:FakeParent) { $script:FakeParent.Server.Dispose(); $script:FakeParent = $null }
    if ($script:FakeTimeServer) { $script:FakeTimeServer.Dispose(); $script:FakeTimeServer = $null }
}

function Get-FakeTimeServer {
    # One SNTP server on 127.0.0.1 for every fake device of a test file, in step with this clock: the clock check
    # must never ask a real time server.
    if (-not $script:FakeTimeServer) { $script:FakeTimeServer = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackSntpServer]::new([TimeSpan]::Zero) }
    $script:FakeTimeServer
}

# systemctl show's blocks (Key=Value, a blank line between units) for the 1.2+ services: aziot-edged running,
# the identity services idle behind their listening sockets, as systemd shows a healthy device.
function Get-FakeSystemctlShow([string] $EdgedState = 'active', [string] $EdgedSubState = 'running', [switch] $Generation11) {
    $since = (Get-Date).ToUniversalTime().AddHours(-3).ToString('ddd yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture) + ' UTC'
    $blocks = [System.Collections.Generic.List[string]]::new()
    $mainPid = if ($EdgedState -eq 'active') { 4242 } else { 0 }
    if ($Generation11) {
        # 1.0/1.1: one iotedge daemon; the 1.2+ units are not there (systemd answers with an empty block per unknown unit).
        $blocks.Add("Id=iotedge.service`nLoadState=loaded`nActiveState=$EdgedState`nSubState=$EdgedSubState`nMainPID=$mainPid`nNRestarts=0`nResult=success`nStateChangeTimestamp=$since`nActiveEnterTimestamp=$since`nExecMainStartTimestamp=$since`nTriggeredBy=")
        return ($blocks -join "`n`n") + "`n"
    }
    $blocks.Add("Id=aziot-edged.service`nLoadState=loaded`nActiveState=$EdgedState`nSubState=$EdgedSubState`nMainPID=$mainPid`nNRestarts=0`nResult=success`nStateChangeTimestamp=$since`nActiveEnterTimestamp=$since`nExecMainStartTimestamp=$since`nTriggeredBy=")
    foreach ($service in 'aziot-identityd', 'aziot-keyd', 'aziot-certd', 'aziot-tpmd') {
        $blocks.Add("Id=$service.service`nLoadState=loaded`nActiveState=inactive`nSubState=dead`nMainPID=0`nNRestarts=0`nResult=success`nStateChangeTimestamp=$since`nActiveEnterTimestamp=`nExecMainStartTimestamp=`nTriggeredBy=$service.socket")
        $blocks.Add("Id=$service.socket`nLoadState=loaded`nActiveState=active`nSubState=listening`nMainPID=0`nNRestarts=0`nResult=success`nStateChangeTimestamp=$since`nActiveEnterTimestamp=$since`nExecMainStartTimestamp=`nTriggeredBy=")
    }
    ($blocks -join "`n`n") + "`n"
}

# journalctl -o json: one object per line, times in microseconds since 1970 as strings, as journald writes them.
function ConvertTo-FakeJournal([string[]] $Messages, [int] $MinutesAgo = 20, [string] $Unit = 'aziot-edged') {
    $now = [DateTimeOffset]::UtcNow
    $lines = for ($i = 0; $i -lt $Messages.Count; $i++) {
        $time = $now.AddMinutes(-$MinutesAgo).AddSeconds($i).ToUnixTimeMilliseconds() * 1000
        [ordered]@{ __REALTIME_TIMESTAMP = "$time"; PRIORITY = '6'; _PID = '4242'; SYSLOG_IDENTIFIER = $Unit; _SYSTEMD_UNIT = "$Unit.service"; MESSAGE = $Messages[$i] } | ConvertTo-Json -Compress
    }
    ($lines -join "`n") + "`n"
}

# A module's log as 'iotedge logs' prints it: '<6> 2026-12-01 15:04:05.123 +00:00 [INF] - message'.
function ConvertTo-FakeModuleLog([string[]] $Messages) {
    $now = [DateTimeOffset]::UtcNow
    $lines = for ($i = 0; $i -lt $Messages.Count; $i++) {
        '<6> {0} +00:00 [INF] - {1}' -f $now.AddMinutes(-10).AddSeconds($i).ToString('yyyy-MM-dd HH:mm:ss.fff', [cultureinfo]::InvariantCulture), $Messages[$i]
    }
    ($lines -join "`n") + "`n"
}

function New-FakeEdgeDevice {
    param(
        # config.toml lines that replace the hostname line (a broken config).
        [string] $HostnameLine = "hostname = `"$([Environment]::MachineName.ToLowerInvariant())`"",
        # daemon.json's text.
        [string] $DaemonJson = '{ "dns": ["10.0.0.53"], "log-driver": "local", "log-opts": { "max-size": "10m", "max-file": "3" } }',
        # aziot-edged's state in systemctl show.
        [string] $EdgedState = 'active',
        [string] $EdgedSubState = 'running',
        # Extra daemon journal lines and edgeHub log lines (a known issue).
        [string[]] $JournalLines = @(),
        [string[]] $EdgeHubLines = @(),
        # How long ago the extra journal lines were written.
        [int] $JournalLinesMinutesAgo = 20,
        # edgeHub keeps its storage inside its container (no host folder bound to it).
        [switch] $EdgeHubStorageInContainer,
        # An IoT Edge 1.1 device: config.yaml, the iotedge daemon (not nested: 1.1 has no parent_hostname).
        [switch] $Generation11
    )
    $root = Join-Path $TestDrive ('device-' + [guid]::NewGuid().ToString('N'))
    $etc = Join-Path $root 'etc/aziot'
    $bin = Join-Path $root 'bin'
    $records = Join-Path $root 'records'
    New-Item -ItemType Directory -Force $etc, $bin, $records | Out-Null

    $parent = Get-FakeTlsParent
    $bundle = Join-Path $etc 'trust-bundle.pem'
    [IO.File]::WriteAllText($bundle, [IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Pem($parent.Root))
    $config = Join-Path $etc 'config.toml'
    if ($Generation11) {
        $config = Join-Path $root 'etc/iotedge/config.yaml'
        New-Item -ItemType Directory -Force (Split-Path $config), (Join-Path $root 'var/lib/iotedge') | Out-Null
        [IO.File]::WriteAllText($config, (@(
            'provisioning:'
            '  source: "manual"'
            "  device_connection_string: `"HostName=localhost;DeviceId=edge01;SharedAccessKey=$FakeKey`""
            'agent:'
            '  name: "edgeAgent"'
            '  type: "docker"'
            '  env: {}'
            '  config:'
            '    image: "mcr.microsoft.com/azureiotedge-agent:1.1"'
            '    auth: {}'
            ($HostnameLine -replace ' = ', ': ')
            'connect:'
            '  management_uri: "unix:///var/run/iotedge/mgmt.sock"'
            '  workload_uri: "unix:///var/run/iotedge/workload.sock"'
            'listen:'
            '  management_uri: "fd://iotedge.mgmt.socket"'
            '  workload_uri: "fd://iotedge.socket"'
            "homedir: `"$(Join-Path $root 'var/lib/iotedge')`""
            'moby_runtime:'
            '  uri: "unix:///var/run/docker.sock"'
            '  network: "azure-iot-edge"'
        ) -join "`n") + "`n")
    }
    else {
        [IO.File]::WriteAllText($config, (@(
            $HostnameLine
            'parent_hostname = "localhost"'
            "trust_bundle_cert = `"file://$bundle`""
            ''
            '[provisioning]'
            'source = "manual"'
            "connection_string = `"HostName=localhost;DeviceId=edge01;SharedAccessKey=$FakeKey`""
            ''
            '[agent]'
            'name = "edgeAgent"'
            'type = "docker"'
            ''
            '[agent.config]'
            'image = "mcr.microsoft.com/azureiotedge-agent:1.5"'
            ''
            '[connect]'
            'workload_uri = "unix:///var/run/iotedge/workload.sock"'
            'management_uri = "unix:///var/run/iotedge/mgmt.sock"'
            ''
            '[listen]'
            'workload_uri = "fd://aziot-edged.workload.socket"'
            'management_uri = "fd://aziot-edged.mgmt.socket"'
            ''
            '[moby_runtime]'
            'uri = "unix:///var/run/docker.sock"'
            'network = "azure-iot-edge"'
        ) -join "`n") + "`n")
        # 'iotedge config apply' ran after the last edit: every service's config.d file is newer.
        foreach ($service in 'keyd', 'certd', 'identityd', 'tpmd', 'edged') {
            $applied = Join-Path $etc "$service/config.d/00-super.toml"
            New-Item -ItemType Directory -Force (Split-Path $applied) | Out-Null
            [IO.File]::WriteAllText($applied, "# applied`n")
        }
        (Get-Item $config).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-30)
    }

    $daemonJsonPath = Join-Path $root 'etc/docker/daemon.json'
    New-Item -ItemType Directory -Force (Split-Path $daemonJsonPath) | Out-Null
    [IO.File]::WriteAllText($daemonJsonPath, $DaemonJson)

    # The tools' recorded answers.
    $show = Join-Path $records 'systemctl-show.txt'
    [IO.File]::WriteAllText($show, (Get-FakeSystemctlShow $EdgedState $EdgedSubState -Generation11:$Generation11))
    $journal = Join-Path $records 'journal.json'
    $unit = if ($Generation11) { 'iotedge' } else { 'aziot-edged' }
    [IO.File]::WriteAllText($journal, (ConvertTo-FakeJournal @('Starting Azure IoT Edge Daemon', 'Obtained edge ca cert', 'Listening on fd://aziot-edged.mgmt.socket') -Unit $unit) +
        $(if ($JournalLines) { ConvertTo-FakeJournal $JournalLines $JournalLinesMinutesAgo -Unit $unit }))
    $list = Join-Path $records 'iotedge-list.txt'
    [IO.File]::WriteAllText($list, (@(
        'NAME             STATUS           DESCRIPTION      CONFIG'
        'edgeAgent        running          Up 3 hours       mcr.microsoft.com/azureiotedge-agent:1.5'
        'edgeHub          running          Up 3 hours       mcr.microsoft.com/azureiotedge-hub:1.5'
    ) -join "`n") + "`n")
    $agentLog = Join-Path $records 'edgeAgent.log'
    [IO.File]::WriteAllText($agentLog, (ConvertTo-FakeModuleLog @('Starting module management agent.', 'Edge agent attempting to connect to IoT Hub via Amqp_Tcp_Only...', 'Edge agent connected to IoT Hub via Amqp_Tcp_Only.')))
    $hubLog = Join-Path $records 'edgeHub.log'
    [IO.File]::WriteAllText($hubLog, (ConvertTo-FakeModuleLog (@('Starting Edge Hub', 'Opened link to IoT Hub', 'Started MQTT head') + $EdgeHubLines)))
    $version = Join-Path $records 'iotedge-version.txt'
    [IO.File]::WriteAllText($version, "iotedge 1.5.21`n")
    $dockerInfo = Join-Path $records 'docker-info.json'
    [IO.File]::WriteAllText($dockerInfo, ([ordered]@{ ServerVersion = '25.0.5'; DockerRootDir = (Join-Path $root 'var/lib/docker'); LoggingDriver = 'local'; Driver = 'overlay2' } | ConvertTo-Json -Compress) + "`n")

    New-NativeStandIn -Folder $bin -Name systemctl -OutputFileFor @{ show = $show } | Out-Null
    New-NativeStandIn -Folder $bin -Name journalctl -OutputFile $journal | Out-Null
    New-NativeStandIn -Folder $bin -Name iotedge -OutputFileFor @{ list = $list; version = $version } -OutputFileForArgument @{ edgeAgent = $agentLog; edgeHub = $hubLog } | Out-Null
    # docker inspect of the two runtime modules: StorageFolder set, and a host folder bound over it as the docs advise.
    $inspect = @{}
    foreach ($module in 'edgeAgent', 'edgeHub') {
        $hostFolder = Join-Path $root "var/lib/iotedge/$module"
        New-Item -ItemType Directory -Force $hostFolder | Out-Null
        $mounts = @()   # (assigned, not the output of an if: that would unroll the one-element array)
        if (-not ($module -eq 'edgeHub' -and $EdgeHubStorageInContainer)) { $mounts = @([ordered]@{ Type = 'bind'; Source = $hostFolder; Destination = '/iotedge/storage'; Mode = ''; RW = $true }) }
        $container = [ordered]@{ Id = ('0' * 63) + '1'; Name = "/$module"; Config = [ordered]@{ Image = "mcr.microsoft.com/azureiotedge-$($module.Substring(4).ToLowerInvariant()):1.5"; Env = @('StorageFolder=/iotedge/storage', 'RuntimeLogLevel=info') }; Mounts = $mounts }
        $inspect[$module] = Join-Path $records "docker-inspect-$module.json"
        [IO.File]::WriteAllText($inspect[$module], (ConvertTo-Json -InputObject @($container) -Depth 5) + "`n")
    }
    New-NativeStandIn -Folder $bin -Name docker -OutputFileFor @{ info = $dockerInfo } -OutputFileForArgument $inspect | Out-Null

    [pscustomobject]@{
        Root           = $root
        Bin            = $bin
        ConfigPath     = $config
        DaemonJsonPath = $daemonJsonPath
        ParentPort     = $parent.Server.Port
    }
}

function Invoke-FakeTestIoTEdge {
    # Test-IoTEdge on the fake device: its tools alone on PATH, its files, its parent's port; more parameters pass through.
    param([Parameter(Mandatory)] $Device, [hashtable] $With = @{})
    $parameters = @{ ConfigPath = $Device.ConfigPath; ContainerEngineConfigPath = $Device.DaemonJsonPath; Port = $Device.ParentPort; NtpServer = (Get-FakeTimeServer).Address; TimeoutSeconds = 5 }
    foreach ($key in $With.Keys) { $parameters[$key] = $With[$key] }
    $previous = Use-NativeStandIn -Folder $Device.Bin -Exclusive
    try { Test-IoTEdge @parameters } finally { $env:PATH = $previous }
}
