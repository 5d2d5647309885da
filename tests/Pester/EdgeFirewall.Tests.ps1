# Test-IoTEdgeFirewall against real sockets on 127.0.0.1 only: the servers are the xunit suite's (compiled
# here with Add-Type), the certificates are made at run time.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    Add-Type -Path (Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Network/LoopbackServers.cs')
    $script:Servers = [System.Collections.Generic.List[IDisposable]]::new()
    function New-Server([scriptblock] $make) { $server = & $make; $Servers.Add($server); $server }
    function New-Root([string] $name = 'Pester Test Root') { [IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Root($name) }
    function New-Leaf([string] $name, $issuer = $null) { [IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Leaf($name, $issuer, $false) }
    function Get-ClosedPort { [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]::ClosedPort() }
    $script:Loopback = [IoTEdgeTroubleshoot.Tests.Edge.Network.LoopbackServer]
    $script:Key = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c='

    # A config.toml of a nested device whose parent is 'localhost' (127.0.0.1 here), trusted through its trust bundle.
    function New-NestedConfig($root, [string] $proxy) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $bundle = Join-Path $folder 'trust-bundle.pem'
        Set-Content -Path $bundle -Value ([IoTEdgeTroubleshoot.Tests.Edge.Network.TestCertificates]::Pem($root)) -NoNewline
        $lines = @(
            'hostname = "child01"'
            'parent_hostname = "localhost"'
            "trust_bundle_cert = `"file://$bundle`""
            '[provisioning]'
            'source = "manual"'
            "connection_string = `"HostName=contoso.azure-devices.net;DeviceId=child01;SharedAccessKey=$Key`""
        )
        if ($proxy) { $lines += '[agent.env]', "https_proxy = `"$proxy`"", 'UpstreamProtocol = "AmqpWs"' }
        $path = Join-Path $folder 'config.toml'
        Set-Content -Path $path -Value $lines
        $path
    }
}

AfterAll {
    foreach ($server in $Servers) { $server.Dispose() }
}

Describe 'Test-IoTEdgeFirewall' {
    It 'reports a refused port as a TCP failure, fast' {
        $result = Test-IoTEdgeFirewall -HubHostName 127.0.0.1 -Port (Get-ClosedPort) -TimeoutSeconds 5
        $result | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.Network.IoTEdgeNetworkCheckResult'
        $result | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult'
        "$($result.Status)", "$($result.FailedStage)", $result.TimedOut | Should -Be 'Error', 'Tcp', $false
        $result.CheckId | Should -Be 'host-connect-iothub-port'
        $result.Message | Should -Match 'refused'
        $result.LatencyMs | Should -BeLessThan 3000
    }

    It 'reports a plain TCP listener as a TLS failure that names inspection' {
        $server = New-Server { $Loopback::PlainText() }
        $result = Test-IoTEdgeFirewall localhost -Port $server.Port
        "$($result.FailedStage)" | Should -Be 'Tls'
        $result.Address | Should -Be '127.0.0.1'
        $result.Remedy | Should -Match 'TLS inspection'
    }

    It 'fails a self-signed certificate at the certificate stage, with its issuer' {
        $server = New-Server { $Loopback::Tls((New-Leaf 'localhost')) }
        $result = Test-IoTEdgeFirewall localhost -Port $server.Port
        "$($result.Status)", "$($result.FailedStage)" | Should -Be 'Error', 'Certificate'
        $result.CertificateIssuer | Should -Be 'CN=localhost'
        $result.Message | Should -Match 'not trusted'
    }

    It 'probes every port at once: three silent listeners with a 1 s limit take well under 3 s' {
        $ports = 1..3 | ForEach-Object { (New-Server { $Loopback::Silent() }).Port }
        $elapsed = Measure-Command { $script:results = Test-IoTEdgeFirewall 127.0.0.1 -Port $ports -TimeoutSeconds 1 }
        $results | Should -HaveCount 3
        $results.Port | Should -Be $ports
        foreach ($result in $results) { "$($result.FailedStage)", $result.TimedOut | Should -Be 'Tls', $true }
        $elapsed.TotalSeconds | Should -BeLessThan 2.5
    }

    It 'passes a nested device''s parent under full validation with the config''s trust bundle' {
        $root = New-Root
        $server = New-Server { $Loopback::Tls((New-Leaf 'localhost' $root)) }
        $result = Test-IoTEdgeFirewall -ConfigPath (New-NestedConfig $root) -Port $server.Port
        "$($result.Status)" | Should -Be 'Pass'
        $result.Role | Should -Be 'Parent'
        $result.Host | Should -Be 'localhost'
        $result.CertificateIssuer | Should -Be 'CN=Pester Test Root'
    }

    It 'goes through the agent''s https_proxy with CONNECT, masking its password' {
        $root = New-Root
        $parent = New-Server { $Loopback::Tls((New-Leaf 'localhost' $root)) }
        $requests = [System.Collections.Generic.List[string]]::new()
        $proxy = New-Server { $Loopback::ConnectProxy($parent.Port, $requests, '200 Connection established') }
        $config = New-NestedConfig $root "http://edge:pr0xyPass@127.0.0.1:$($proxy.Port)"
        $results = Test-IoTEdgeFirewall -ConfigPath $config -Port 443 -TimeoutSeconds 5
        $viaProxy = $results | Where-Object ViaProxy
        $viaProxy.CheckId | Should -Be 'proxy-connect-iothub-https'
        "$($viaProxy.Status)" | Should -Be 'Pass' -Because $viaProxy.Message
        $viaProxy.Proxy | Should -Be "http://edge:***@127.0.0.1:$($proxy.Port)"
        $requests | Should -HaveCount 1
        $requests[0] | Should -Match '^CONNECT localhost:443 HTTP/1.1'
        ($results | ConvertTo-Json) | Should -Not -Match 'pr0xyPass'
    }

    It 'never shows the connection string''s key, in results or verbose output' {
        $root = New-Root
        $text = Test-IoTEdgeFirewall -Path (New-NestedConfig $root) -Port (Get-ClosedPort) -Verbose *>&1 | Out-String -Width 500
        $text | Should -Match 'child01|localhost'
        $text | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'shows Status, CheckId, Port, Failed, Ms and Message in its table view, and the check first in its list view' {
        $server = New-Server { $Loopback::Silent() }
        $text = Test-IoTEdgeFirewall 127.0.0.1 -Port $server.Port -TimeoutSeconds 1 | Format-Table | Out-String -Width 200
        $text | Should -Match 'Status\s+CheckId\s+Port\s+Failed\s+Ms\s+Message'
        $text | Should -Match "Error\s+host-connect-iothub-port\s+$($server.Port)\s+Tls timeout\s+\d+\s+The IoT hub 127\.0\.0\.1"
        $list = Test-IoTEdgeFirewall 127.0.0.1 -Port (Get-ClosedPort) | Format-List | Out-String -Width 200
        $list.Trim() | Should -Match '^CheckId\s+: host-connect-iothub-port\s+Status\s+: Error\s+Host\s+: 127\.0\.0\.1'
        Get-FormatData -TypeName 'IoTEdgeTroubleshoot.Edge.Network.IoTEdgeNetworkCheckResult' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'IoTEdgeTroubleshoot.Edge.Network.IoTEdgePortCheckResult' | Should -Not -BeNullOrEmpty
    }

    It 'stops at Ctrl+C long before its probes'' time runs out' {
        $server = New-Server { $Loopback::Silent() }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$ManifestPath'; Test-IoTEdgeFirewall 127.0.0.1 -Port $($server.Port) -TimeoutSeconds 120")
            $running = $shell.BeginInvoke()
            $wait = [System.Diagnostics.Stopwatch]::StartNew()
            while ($server.Accepted -eq 0 -and $wait.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
            $server.Accepted | Should -Be 1 -Because 'the probe is under way, waiting for TLS'
            $stopping = Measure-Command { $shell.Stop() }
            $stopping.TotalSeconds | Should -BeLessThan 10
            $running.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'refuses a host name that is not one' {
        { Test-IoTEdgeFirewall -HubHostName 'not a host' } | Should -Throw -ErrorId 'InvalidHostname,IoTEdgeTroubleshoot.Commands.TestIoTEdgeFirewallCommand'
    }

    It 'takes the host of a URL pasted whole' {
        $result = Test-IoTEdgeFirewall -HubHostName "https://127.0.0.1/" -Port (Get-ClosedPort)
        $result.Host | Should -Be '127.0.0.1'
    }

    It 'says ConfigUnreadable for a missing config, and FirewallHubUnknown for one that names nothing to probe' {
        { Test-IoTEdgeFirewall -ConfigPath (Join-Path $TestDrive 'nope/config.toml') } | Should -Throw -ErrorId 'ConfigUnreadable,IoTEdgeTroubleshoot.Commands.TestIoTEdgeFirewallCommand'
        $none = Join-Path $TestDrive 'none.toml'
        Set-Content $none "hostname = `"edge01`"`n[provisioning]`nsource = `"none`""
        { Test-IoTEdgeFirewall -ConfigPath $none } | Should -Throw -ErrorId 'FirewallHubUnknown,IoTEdgeTroubleshoot.Commands.TestIoTEdgeFirewallCommand'
    }
}

Describe 'Test-IoTEdgeFirewall -Local' {
    It 'finds the process listening on a port: this one' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $result = Test-IoTEdgeFirewall -Local -Port $port
            $result | Should -BeOfType 'IoTEdgeTroubleshoot.Edge.Network.IoTEdgePortCheckResult'
            "$($result.Status)" | Should -Be 'Error'
            $result.ProcessId | Should -Be $PID
            $result.ProcessName | Should -Be (Get-Process -Id $PID).ProcessName
            $result.LocalAddress | Should -Be '127.0.0.1'
            $result.RemedyCommand | Should -Be "Stop-Process -Id $PID"
        }
        finally {
            $listener.Stop()
        }
    }

    It 'checks edgeHub''s three ports by default, and passes a free one' {
        $results = Test-IoTEdgeFirewall -Local
        $results.Port | Select-Object -Unique | Should -Be 8883, 5671, 443
        $results.CheckId | Select-Object -Unique | Should -Be 'edgehub-port-free-8883', 'edgehub-port-free-5671', 'edgehub-port-free-443'
        $free = Test-IoTEdgeFirewall -Local -Port (Get-ClosedPort)
        "$($free.Status)" | Should -Be 'Pass'
        $free.ProcessId | Should -BeNullOrEmpty
    }

    It 'shows the process in its table view' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $text = Test-IoTEdgeFirewall -Local -Port $listener.LocalEndpoint.Port | Format-Table | Out-String -Width 250
            $text | Should -Match "Status\s+CheckId\s+Port\s+Process\s+Message\s+Remedy"
            $text | Should -Match "Error\s+edgehub-port-free\s+\d+\s+\S+ \($PID\)"
        }
        finally {
            $listener.Stop()
        }
    }
}
