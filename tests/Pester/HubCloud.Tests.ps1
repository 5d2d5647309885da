# The cloud commands in a real pwsh against the loopback HTTPS server (tests/LoopbackAzure): the same
# server the xunit tests use, started as a program. Its certificate is made at run time and trusted only
# by the child pwsh that runs the commands (SSL_CERT_FILE, which .NET honours on Linux only: elsewhere
# these tests are skipped; the xunit tests cover the same paths with the certificate given to the client).
# Nothing leaves 127.0.0.1.
BeforeDiscovery {
    $script:NotLinux = -not $IsLinux
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("iet-cloud-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $Work | Out-Null
    $server = Join-Path $RepoRoot 'tests/LoopbackAzure/bin/Release/net10.0/LoopbackAzure.dll'
    if (-not (Test-Path $server)) {
        & dotnet build (Join-Path $RepoRoot 'tests/LoopbackAzure/LoopbackAzure.csproj') -c Release --nologo -v quiet | Out-Null
    }

    function ConvertTo-Base64Url([string] $text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $expires = [DateTimeOffset]::UtcNow.AddHours(2).ToUnixTimeSeconds()
    $script:Token = (ConvertTo-Base64Url '{"alg":"none","typ":"JWT"}') + '.' + (ConvertTo-Base64Url "{`"upn`":`"ops@contoso.com`",`"oid`":`"99999999-8888-7777-6666-555555555555`",`"exp`":$expires}") + '.cGVzdGVyLXNpZ25hdHVyZQ'

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($server, $Token, $Work)) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $script:ServerProcess = [System.Diagnostics.Process]::Start($start)
    $script:Endpoint = $ServerProcess.StandardOutput.ReadLine()
    $Endpoint | Should -Match '^https://127\.0\.0\.1:\d+/$'
    $script:CertificateFile = Join-Path $Work 'certificate.pem'

    $script:HubId = '/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/iot-prod-rg/providers/Microsoft.Devices/IotHubs/contoso-iot-prod'
    $script:WorkspaceResourceId = '/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.OperationalInsights/workspaces/contoso-logs'
    $script:WorkspaceId = '6a1d0c3e-5b2f-4e7a-9c8d-1f2e3d4c5b6a'

    function Invoke-Control([string] $path, $body) {
        # Only the test's own loopback server: its certificate is not trusted by this process.
        $json = if ($null -eq $body) { '{}' } else { $body | ConvertTo-Json -Depth 10 -Compress }
        Invoke-RestMethod -Uri "${Endpoint}_control/$path" -Method Post -Body $json -ContentType 'application/json' -SkipCertificateCheck
    }

    function Get-ServerRequest { Invoke-Control 'requests' $null | ForEach-Object { $_ } }

    function Get-OnlyRequest {
        $requests = @(Get-ServerRequest)
        $requests.Count | Should -Be 1 -Because 'one request was expected'
        $requests[0]
    }

    function Invoke-Cloud([string] $script, [string] $prelude = '') {
        # A fresh pwsh that trusts the test certificate; prints its results as JSON on the last line.
        $file = Join-Path $Work ("run-" + [guid]::NewGuid().ToString('N') + '.ps1')
        @"
`$ErrorActionPreference = 'Stop'
$prelude
Import-Module '$ManifestPath'
`$Endpoint = '$Endpoint'; `$Token = '$Token'; `$HubId = '$HubId'; `$WorkspaceId = '$WorkspaceId'; `$WorkspaceResourceId = '$WorkspaceResourceId'
`$Samples = '$Samples'
`$PSDefaultParameterValues = @{ '*-IoTHub*:AccessToken' = `$Token; '*-IoTHub*:LogAnalyticsEndpoint' = `$Endpoint; '*-IoTHub*:ResourceManagerEndpoint' = `$Endpoint }
`$result = & { $script }
'#RESULT#' + (ConvertTo-Json -InputObject `$result -Depth 6 -Compress)
"@ | Set-Content -LiteralPath $file
        $before = $env:SSL_CERT_FILE
        $env:SSL_CERT_FILE = $CertificateFile
        try { $out = Invoke-ChildPwsh -ArgumentList @('-File', $file) | ForEach-Object { "$_" } }
        finally { $env:SSL_CERT_FILE = $before }
        $line = $out | Where-Object { $_.StartsWith('#RESULT#') } | Select-Object -Last 1
        if (-not $line) { throw "The child pwsh gave no result:`n$($out -join "`n")" }
        [pscustomobject]@{ Result = ($line.Substring(8) | ConvertFrom-Json); Output = ($out -join "`n") }
    }

    function New-Row([string] $time, [string] $device, [string] $level = 'Error', [string] $code = '404104') {
        @{ TimeGenerated = $time; _ResourceId = $HubId.ToLowerInvariant(); Resource = 'CONTOSO-IOT-PROD'; OperationName = 'deviceDisconnect'; Category = 'Connections'
           Level = $level; ResultType = $code; ResultDescription = 'DeviceConnectionClosedRemotely'
           properties_s = (@{ deviceId = $device; protocol = 'Mqtt'; authType = '{"scope":"device","type":"sas"}'; maskedIpAddress = '203.0.113.XXX'; statusCode = $code } | ConvertTo-Json -Compress) }
    }

    Invoke-Control 'state' @{
        connectionRows = @(
            (New-Row '2026-11-20T10:00:00Z' 'thermostat-1')
            (New-Row '2026-11-20T10:05:00Z' 'quote"device')
            (New-Row '2026-11-20T10:06:00Z' 'thermostat-1' 'Information' '')
        )
        metricPoints = @(0..11 | ForEach-Object { @{ timeStamp = ([datetime]'2026-11-20T10:00:00Z').ToUniversalTime().AddMinutes(5 * $_).ToString('o'); minimum = if ($_ -eq 8) { 600 } else { 1000 }; average = 1000; maximum = 1002 } })
        devices = @(@{ deviceId = 'thermostat-1'; status = 'disabled'; statusReason = 'decommissioned'; connectionState = 'Disconnected'; lastActivityTime = '2026-11-20T09:59:00Z'; authentication = @{ type = 'sas' } })
    } | Out-Null
}

AfterAll {
    if ($ServerProcess) {
        $ServerProcess.StandardInput.Close()
        if (-not $ServerProcess.WaitForExit(5000)) { $ServerProcess.Kill() }
    }
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'Get-IoTHubConnectionError -WorkspaceId' -Skip:$NotLinux {
    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'runs the guide''s query and returns the same event objects as -Path' {
        $run = Invoke-Cloud @'
$events = Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -HubName contoso-iot-prod -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z'
@($events | ForEach-Object { @{ Type = $_.GetType().FullName; DeviceId = $_.DeviceId; ResultType = $_.ResultType; Protocol = $_.Protocol } })
'@
        $run.Result.Count | Should -Be 2 -Because $run.Output
        $run.Result[0].Type | Should -Be 'IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent'
        $run.Result.DeviceId | Should -Be @('thermostat-1', 'quote"device')
        $run.Result[0].Protocol | Should -Be 'Mqtt'
        $request = Get-OnlyRequest
        $request.Method | Should -Be 'POST'
        $request.Path | Should -Be "/v1/workspaces/$WorkspaceId/query"
        $request.Headers.Authorization | Should -Be "Bearer $Token"
        ($request.Body | ConvertFrom-Json).query | Should -Match 'Resource =~ "contoso-iot-prod"'
    }

    It 'puts a hostile -DeviceId into the KQL only as an escaped literal' {
        $run = Invoke-Cloud @'
Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -DeviceId 'quote"device', 'x" | union * //' -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z' |
    ForEach-Object DeviceId
'@
        $run.Result | Should -Be 'quote"device'
        $kql = ((Get-ServerRequest)[0].Body | ConvertFrom-Json).query
        # The * makes the second a wildcard: a regex inside a string literal, its | escaped for the regex, its quote for KQL.
        $kql | Should -Match ([regex]::Escape('| where DeviceId =~ "quote\"device" or DeviceId matches regex "(?i)^x\" \\| union .* //$"'))
    }

    It '-ShowQuery prints the KQL and sends nothing' {
        $run = Invoke-Cloud 'Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -ResourceId $HubId -ShowQuery -StartTime ''2026-11-20T00:00Z'' -EndTime ''2026-11-20T06:00Z'''
        $run.Result | Should -Match '^AzureDiagnostics'
        $run.Result | Should -Match 'Category == "Connections" and Level == "Error"'
        $run.Result | Should -Match 'datetime\(2026-11-20T06:00:00.0000000Z\)'
        Get-ServerRequest | Should -BeNullOrEmpty
    }

    It 'waits out a 429 with Retry-After and then returns the rows' {
        Invoke-Control 'fault' @{ Status = 429; Headers = @{ 'Retry-After' = '1' }; Body = '{"error":{"code":"TooManyRequests","message":"busy"}}' } | Out-Null
        $run = Invoke-Cloud '@(Get-IoTHubConnectionEvent -WorkspaceId $WorkspaceId -StartTime ''2026-11-20T00:00Z'' -EndTime ''2026-11-21T00:00Z'' -Verbose 4>&1 | ForEach-Object { "$_" })'
        @(Get-ServerRequest).Count | Should -Be 2
        ($run.Result -join "`n") | Should -Match 'answered 429 with Retry-After: retry 1 of 4'
        ($run.Result -join "`n") | Should -Match '3 events from workspace'
    }

    It 'a 403 is AzureAccessDenied naming the identity and the role, and never shows the token' {
        Invoke-Control 'fault' @{ Status = 403; Body = '{"error":{"code":"InsufficientAccessError","message":"The provided credentials have insufficient access"}}' } | Out-Null
        $run = Invoke-Cloud @'
try { Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z' -Verbose 4>$null; 'no error' }
catch { @{ Id = $_.FullyQualifiedErrorId; Category = "$($_.CategoryInfo.Category)"; Message = $_.Exception.Message; All = ($_ | Out-String) } }
'@
        $run.Result.Id | Should -Be 'AzureAccessDenied,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionErrorCommand'
        $run.Result.Category | Should -Be 'PermissionDenied'
        $run.Result.Message | Should -Match "user 'ops@contoso.com'"
        $run.Result.Message | Should -Match 'Log Analytics Reader'
        $run.Output | Should -Not -Match ([regex]::Escape($Token.Split('.')[1]))
    }

    It 'stops a slow query on Ctrl+C (StopProcessing cancels the request)' {
        Invoke-Control 'fault' @{ Status = 200; DelayMilliseconds = 60000; Body = '{"tables":[]}' } | Out-Null
        $run = Invoke-Cloud @'
$ps = [powershell]::Create()
$null = $ps.AddScript("Import-Module '$((Get-Module IoTEdgeTroubleshoot).Path)'; Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -AccessToken '$Token' -LogAnalyticsEndpoint '$Endpoint'")
$handle = $ps.BeginInvoke()
$deadline = [DateTime]::UtcNow.AddSeconds(30)
while (-not (Invoke-RestMethod "${Endpoint}_control/requests" -Method Post -SkipCertificateCheck) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
$clock = [Diagnostics.Stopwatch]::StartNew()
$ps.Stop()
@{ Seconds = $clock.Elapsed.TotalSeconds; State = "$($ps.InvocationStateInfo.State)" }
'@
        $run.Result.State | Should -Be 'Stopped' -Because $run.Output
        $run.Result.Seconds | Should -BeLessThan 10
    }

    It 'a range that ends before it starts is EndTimeBeforeStartTime' {
        $run = Invoke-Cloud 'try { Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -StartTime (Get-Date).AddDays(2) } catch { $_.FullyQualifiedErrorId }'
        $run.Result | Should -Be 'EndTimeBeforeStartTime,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionErrorCommand'
    }

    It 'takes the object Get-AzAccessToken returns as -AccessToken' {
        $run = Invoke-Cloud @'
$azToken = [pscustomobject]@{ Token = (ConvertTo-SecureString $Token -AsPlainText -Force); ExpiresOn = [DateTimeOffset]::UtcNow.AddHours(1); UserId = 'ops@contoso.com' }
@(Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -AccessToken $azToken -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z').Count
'@
        $run.Result | Should -Be 2
    }

    It 'keeps the -Path behaviour: the exported sample still reads' {
        $run = Invoke-Cloud '@(Get-IoTHubConnectionError -Path (Join-Path $Samples ''exports/eventhub-records.json'')).Count'
        $run.Result | Should -BeGreaterThan 100
    }
}

Describe 'Get-IoTHubConnectedDeviceMetric' -Skip:$NotLinux {
    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'flags the drop and its points pipe into Get-IoTHubDisconnectDiagnosis -Metric' {
        $run = Invoke-Cloud @'
$points = Get-IoTHubConnectedDeviceMetric -ResourceId $HubId -StartTime '2026-11-20T10:00Z' -EndTime '2026-11-20T11:00Z'
$errors = @()
Get-IoTHubDisconnectDiagnosis -Path (Join-Path $Samples 'connections') -Metric $points -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
@{ Count = @($points).Count; Drops = @($points | Where-Object IsDrop | ForEach-Object { $_.Timestamp.ToUnixTimeSeconds() }); Percent = ($points | Where-Object IsDrop).DropPercent; Errors = @($errors).Count; Type = $points[0].GetType().FullName }
'@
        $run.Result.Count | Should -Be 12 -Because $run.Output
        $run.Result.Drops | Should -Be @(([DateTimeOffset]'2026-11-20T10:40:00Z').ToUnixTimeSeconds())
        $run.Result.Percent | Should -Be 40
        $run.Result.Errors | Should -Be 0
        $run.Result.Type | Should -Be 'IoTEdgeTroubleshoot.Hub.Diagnosis.ConnectedDeviceMetricPoint'
        $request = Get-OnlyRequest
        $request.Target | Should -Match 'metricnames=connectedDeviceCount'
        $request.Target | Should -Match 'aggregation=minimum,average,maximum'
    }
}

Describe 'Get-IoTHubDeviceStatus' -Skip:$NotLinux {
    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'looks up each device of the piped events once, and an unknown device is DeviceNotFound' {
        $run = Invoke-Cloud @'
$events = Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z'
$events += $events
$errors = @()
$status = $events | Get-IoTHubDeviceStatus -HubEndpoint $Endpoint -ErrorVariable errors -ErrorAction SilentlyContinue
@{ Status = @($status | ForEach-Object { "$($_.DeviceId) $($_.Status) $($_.StatusReason)" }); Errors = @($errors | ForEach-Object FullyQualifiedErrorId); Targets = @($errors | ForEach-Object { $_.TargetObject }) }
'@
        $run.Result.Status | Should -Be @('thermostat-1 Disabled decommissioned') -Because $run.Output
        $run.Result.Errors | Should -Be @('DeviceNotFound,IoTEdgeTroubleshoot.Commands.GetIoTHubDeviceStatusCommand')
        $run.Result.Targets | Should -Be @('quote"device')
        (Get-ServerRequest | Where-Object Path -Like '/devices/*').Count | Should -Be 2
        (Get-ServerRequest | Where-Object Path -Like '/devices/*')[1].Path | Should -Be '/devices/quote%22device'
    }
}

Describe 'Values refused before any request' -Skip:$NotLinux {
    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'an empty -AccessToken is InvalidAccessToken; a device id ''..'' is a per-device InvalidAzureName and the next device is still asked' {
        $run = Invoke-Cloud @'
$empty = try { Get-IoTHubDiagnosticSetting -ResourceId $HubId -AccessToken ''; 'none' } catch { $_.FullyQualifiedErrorId }
$errors = @()
$status = Get-IoTHubDeviceStatus -HubName contoso-iot-prod -DeviceId '..', 'thermostat-1' -HubEndpoint $Endpoint -ErrorVariable errors -ErrorAction SilentlyContinue
@{ Empty = $empty; Errors = @($errors | ForEach-Object FullyQualifiedErrorId); Status = @($status | ForEach-Object DeviceId) }
'@
        $run.Result.Empty | Should -Be 'InvalidAccessToken,IoTEdgeTroubleshoot.Commands.GetIoTHubDiagnosticSettingCommand' -Because $run.Output
        $run.Result.Errors | Should -Be @('InvalidAzureName,IoTEdgeTroubleshoot.Commands.GetIoTHubDeviceStatusCommand')
        $run.Result.Status | Should -Be @('thermostat-1')
        @(Get-ServerRequest).Path | Should -Be @('/devices/thermostat-1')
    }
}

Describe 'Reversed time ranges' -Skip:$NotLinux {
    It 'a -StartTime after now (-EndTime defaults to now): the metric and the workspace query say it with one id and one message, and send nothing' {
        Invoke-Control 'clear' $null | Out-Null
        $run = Invoke-Cloud @'
@(
    try { Get-IoTHubConnectedDeviceMetric -ResourceId $HubId -StartTime (Get-Date).AddDays(1) } catch { @{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
    try { Get-IoTHubConnectionEvent -WorkspaceId $WorkspaceId -StartTime (Get-Date).AddDays(1) } catch { @{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
)
'@
        $run.Result.Id | Should -Be @('EndTimeBeforeStartTime,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectedDeviceMetricCommand', 'EndTimeBeforeStartTime,IoTEdgeTroubleshoot.Commands.GetIoTHubConnectionEventCommand') -Because $run.Output
        $run.Result.Message | ForEach-Object { $_ | Should -Match '^The time range ends .* before it starts .*: -StartTime must be earlier than -EndTime, which is now when not given\.$' }
        Get-ServerRequest | Should -BeNullOrEmpty
    }
}

Describe 'Get-IoTHubDiagnosticSetting and Enable-IoTHubConnectionLog' -Skip:$NotLinux {
    It 'warns when Connections reaches no workspace, -WhatIf sends nothing, then creates the setting once' {
        Invoke-Control 'clear' $null | Out-Null
        $run = Invoke-Cloud @'
$before = @(Get-IoTHubDiagnosticSetting -ResourceId $HubId -WarningVariable warned -WarningAction SilentlyContinue)
Enable-IoTHubConnectionLog -ResourceId $HubId -WorkspaceResourceId $WorkspaceResourceId -WhatIf
$first = Enable-IoTHubConnectionLog -ResourceId $HubId -WorkspaceResourceId $WorkspaceResourceId -Confirm:$false
$second = Enable-IoTHubConnectionLog -ResourceId $HubId -WorkspaceResourceId $WorkspaceResourceId -Confirm:$false
$after = Get-IoTHubDiagnosticSetting -ResourceId $HubId
@{ Before = $before.Count; Warned = "$warned"; First = $first.Changed; Second = $second.Changed; After = $after.ConnectionsToWorkspace; Name = $after.Name }
'@
        $run.Result.Before | Should -Be 0 -Because $run.Output
        $run.Result.Warned | Should -Match 'Enable-IoTHubConnectionLog'
        $run.Result.First | Should -BeTrue
        $run.Result.Second | Should -BeFalse
        $run.Result.After | Should -BeTrue
        $run.Result.Name | Should -Be 'connections-to-log-analytics'
        $puts = @(Get-ServerRequest | Where-Object Method -EQ 'PUT')
        $puts.Count | Should -Be 1
        $puts[0].Target | Should -Match 'diagnosticSettings/connections-to-log-analytics\?api-version=2021-05-01-preview$'
        ($puts[0].Body | ConvertFrom-Json).properties.logs[0].category | Should -Be 'Connections'
    }
}

Describe 'New-IoTHubConnectedDeviceAlert' -Skip:$NotLinux {
    It 'puts a metric alert on connectedDeviceCount Minimum, and -WhatIf puts nothing' {
        Invoke-Control 'clear' $null | Out-Null
        $run = Invoke-Cloud @'
$ag = '/subscriptions/0f3c2a5e-7d41-4b8e-9a6c-2d5b8e1f4a70/resourceGroups/monitor-rg/providers/Microsoft.Insights/actionGroups/oncall'
New-IoTHubConnectedDeviceAlert -ResourceId $HubId -Threshold 900 -ActionGroupId $ag -WhatIf
$rule = New-IoTHubConnectedDeviceAlert -ResourceId $HubId -Threshold 900 -ActionGroupId $ag -Severity 1 -Confirm:$false
@{ Name = $rule.Name; Type = $rule.GetType().FullName }
'@
        $run.Result.Name | Should -Be 'contoso-iot-prod connected devices below 900' -Because $run.Output
        $put = Get-OnlyRequest
        $put.Target | Should -Match '/providers/Microsoft.Insights/metricAlerts/contoso-iot-prod%20connected%20devices%20below%20900\?api-version=2018-03-01$'
        $criterion = ($put.Body | ConvertFrom-Json).properties.criteria.allOf[0]
        $criterion.metricName | Should -Be 'connectedDeviceCount'
        $criterion.timeAggregation | Should -Be 'Minimum'
        $criterion.threshold | Should -Be 900
    }

    It 'refuses a -WindowSize the service does not take, before any request' {
        Invoke-Control 'clear' $null | Out-Null
        $run = Invoke-Cloud @'
try { New-IoTHubConnectedDeviceAlert -ResourceId $HubId -Threshold 1 -ActionGroupId '/subscriptions/s/resourceGroups/g/providers/Microsoft.Insights/actionGroups/a' -WindowSize 00:07:00 -Confirm:$false; 'none' }
catch { $_.FullyQualifiedErrorId }
'@
        $run.Result | Should -Be 'InvalidAlertTiming,IoTEdgeTroubleshoot.Commands.NewIoTHubConnectedDeviceAlertCommand'
        Get-ServerRequest | Should -BeNullOrEmpty
    }
}

Describe 'The cloud objects in the console' -Skip:$NotLinux {
    It 'has a table view for each output type, and it renders' {
        $run = Invoke-Cloud @'
$point = [IoTEdgeTroubleshoot.Hub.Diagnosis.ConnectedDeviceMetricPoint]::new([DateTimeOffset]'2026-11-20T10:40Z', 600)
$point.IsDrop = $true; $point.DropPercent = 40
$objects = @($point,
    [IoTEdgeTroubleshoot.Hub.Cloud.IoTHubDeviceStatus]@{ DeviceId = 'thermostat-1'; Status = 'Disabled'; ConnectionState = 'Disconnected'; LastActivityTime = [DateTimeOffset]'2026-11-20T09:59Z' },
    [IoTEdgeTroubleshoot.Hub.Cloud.DiagnosticSettingInfo]@{ Name = 'main'; WorkspaceId = $WorkspaceResourceId; Categories = @('Connections', 'Routes'); ConnectionsEnabled = $true },
    [IoTEdgeTroubleshoot.Hub.Cloud.ConnectedDeviceAlertInfo]@{ Name = 'low'; Threshold = 900; ActionGroupId = @('/subscriptions/s/resourceGroups/g/providers/Microsoft.Insights/actionGroups/oncall') })
@($objects | ForEach-Object { @{ Type = $_.GetType().FullName; View = [bool](Get-FormatData -TypeName $_.GetType().FullName); Text = ($_ | Format-Table | Out-String -Width 200) } })
'@
        $run.Result.Count | Should -Be 4 -Because $run.Output
        $run.Result.View | Should -Not -Contain $false
        $run.Result[0].Text | Should -Match '2026-11-20 10:40:00Z\s+600.*True\s+40'
        $run.Result[1].Text | Should -Match 'thermostat-1\s+Disabled'
        $run.Result[2].Text | Should -Match 'main\s+True\s+contoso-logs\s+Connections, Routes'
        $run.Result[3].Text | Should -Match 'low\s+900.*oncall'
    }
}

Describe 'Isolation from other Azure.Core versions' -Skip:$NotLinux {
    BeforeAll {
        # Another Azure.Core from the NuGet package cache (restored there if it is not yet).
        $cache = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
        $script:OtherAzureCore = Get-ChildItem (Join-Path $cache 'azure.core') -Directory -ErrorAction SilentlyContinue |
            Where-Object Name -NE '1.64.0' | ForEach-Object { Join-Path $_.FullName 'lib/net8.0/Azure.Core.dll' } | Where-Object { Test-Path $_ } | Select-Object -First 1
        if (-not $OtherAzureCore) {
            $project = Join-Path $Work 'other-azure-core'
            New-Item -ItemType Directory $project | Out-Null
            Set-Content (Join-Path $project 'other.csproj') '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Azure.Core" Version="1.53.0" /></ItemGroup></Project>'
            & dotnet restore $project --nologo -v quiet | Out-Null
            $script:OtherAzureCore = Join-Path $cache 'azure.core/1.53.0/lib/net8.0/Azure.Core.dll'
        }
    }

    It 'ships Azure.Core, Azure.Identity and what they bring in dependencies/' {
        $shipped = (Get-ChildItem (Join-Path (Split-Path $ManifestPath) 'dependencies') -Filter *.dll).Name
        foreach ($name in 'Azure.Core.dll', 'Azure.Identity.dll', 'System.ClientModel.dll', 'System.Memory.Data.dll', 'Microsoft.Bcl.AsyncInterfaces.dll', 'Microsoft.Identity.Client.dll', 'System.Text.Json.dll') {
            $shipped | Should -Contain $name
        }
    }

    It 'works after <Name> was loaded into the default context' -ForEach @(
        @{ Name = 'a newer Azure.Core (1.65.0)'; Packages = @(@{ Id = 'Azure.Core'; Version = '1.65.0' }) }
        @{ Name = 'what an older Az.Accounts brings (Azure.Identity 1.14.2, Azure.Core 1.47.1, System.ClientModel 1.5.1, MSAL 4.73.1)'
           Packages = @(@{ Id = 'Azure.Identity'; Version = '1.14.2' }, @{ Id = 'Azure.Core'; Version = '1.47.1' }, @{ Id = 'System.ClientModel'; Version = '1.5.1' }, @{ Id = 'Microsoft.Identity.Client'; Version = '4.73.1' }) }
        @{ Name = 'a newer System.ClientModel (1.17.0)'; Packages = @(@{ Id = 'System.ClientModel'; Version = '1.17.0' }) }
    ) {
        # Restored into the NuGet cache when missing (a NuGet restore is the only download the tests make).
        $cache = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
        $dlls = foreach ($package in $Packages) {
            $dll = Join-Path $cache "$($package.Id.ToLowerInvariant())/$($package.Version)/lib/net8.0/$($package.Id).dll"
            if (-not (Test-Path $dll)) {
                $project = Join-Path $Work ("restore-" + [guid]::NewGuid().ToString('N'))
                New-Item -ItemType Directory $project | Out-Null
                Set-Content (Join-Path $project 'p.csproj') "<Project Sdk=`"Microsoft.NET.Sdk`"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=`"$($package.Id)`" Version=`"$($package.Version)`" /></ItemGroup></Project>"
                & dotnet restore $project --nologo -v quiet | Out-Null
            }
            Test-Path $dll | Should -BeTrue -Because "$dll is needed"
            $dll
        }
        Invoke-Control 'clear' $null | Out-Null
        $prelude = "`$others = @(" + (($dlls | ForEach-Object { "[System.Reflection.Assembly]::LoadFrom('$_')" }) -join ', ') + ')'
        $run = Invoke-Cloud -prelude $prelude -script @'
$count = @(Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z').Count
$settings = try { Get-IoTHubDiagnosticSetting -ResourceId $HubId -WarningAction SilentlyContinue | Out-Null; 'read' } catch { "$_" }
@{ Count = $count; Settings = $settings; Others = @($others | ForEach-Object { "$($_.GetName().Name) $($_.GetName().Version) $([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name)" }) }
'@
        $run.Result.Count | Should -Be 2 -Because $run.Output
        $run.Result.Settings | Should -Be 'read'
        foreach ($package in $Packages) { $run.Result.Others | Should -Contain "$($package.Id) $($package.Version).0 Default" }
    }

    It 'works after another Azure.Core version was loaded into the default context' {
        Test-Path $OtherAzureCore | Should -BeTrue -Because 'the test needs another Azure.Core in the NuGet cache'
        Invoke-Control 'clear' $null | Out-Null
        $run = Invoke-Cloud -prelude "`$other = [System.Reflection.Assembly]::LoadFrom('$OtherAzureCore')" -script @'
$count = @(Get-IoTHubConnectionError -WorkspaceId $WorkspaceId -StartTime '2026-11-20T00:00Z' -EndTime '2026-11-21T00:00Z').Count
$ours = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Azure.Core' -and $_ -ne $other }
@{ Count = $count; Other = "$($other.GetName().Version)"; OtherContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($other).Name
   Ours = "$($ours.GetName().Version)"; OursContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($ours).Name }
'@
        # The other Azure.Core was loaded before Import-Module (the prelude).
        $run.Result.Count | Should -Be 2 -Because $run.Output
        $run.Result.OtherContext | Should -Be 'Default'
        $run.Result.Other | Should -Not -Be '1.64.0.0'
        $run.Result.Ours | Should -Be '1.64.0.0'
        $run.Result.OursContext | Should -Be 'IoTEdgeTroubleshoot'
    }
}

Describe 'Get-IoTHubDisconnectDiagnosis -WorkspaceId' -Skip:$NotLinux {
    BeforeAll {
        # The shipped samples as the workspace holds them, under a second hub's name (the rows above are contoso-iot-prod's).
        $samplesHubId = $HubId -replace 'contoso-iot-prod$', 'contoso-iot-samples'
        $rows = foreach ($file in Get-ChildItem -LiteralPath $ConnectionsSample -Recurse -File -Filter 'PT1H.json') {
            foreach ($line in [System.IO.File]::ReadLines($file.FullName)) {
                if (-not $line.Trim()) { continue }
                $record = $line | ConvertFrom-Json -DateKind String
                @{ TimeGenerated = $record.time; _ResourceId = $samplesHubId.ToLowerInvariant(); Resource = 'CONTOSO-IOT-SAMPLES'; OperationName = $record.operationName
                   Category = $record.category; Level = $record.level; ResultType = "$($record.resultType)"; ResultDescription = "$($record.resultDescription)"; properties_s = $record.properties }
            }
        }
        $script:SampleRowCount = @($rows).Count
        Invoke-Control 'state' @{ connectionRows = @($rows) } | Out-Null
        $script:Verdicts = @'
function Verdicts($diagnoses) { @($diagnoses | ForEach-Object { "$($_.Pattern)|$($_.DeviceId)|$($_.DeviceCount)|$($_.FirstSeen.ToString('o'))|$($_.LastSeen.ToString('o'))|$($_.DisconnectCount)|$($_.MedianIntervalMinutes)|$($_.MedianReconnectSeconds)|$($_.RelatedResultTypes -join ',')|$($_.Protocol)|$($_.SdkVersion)|$($_.Confidence)|$($_.Evidence)" }) }
$range = @{ StartTime = [DateTime]::new(2026, 11, 19, 0, 0, 0, [DateTimeKind]::Utc); EndTime = [DateTime]::new(2026, 11, 22, 0, 0, 0, [DateTimeKind]::Utc) }
'@ + "`n"
    }

    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'gives every device of the shipped samples the verdict -Path gives, from two queries' {
        $SampleRowCount | Should -BeGreaterThan 3000
        $run = Invoke-Cloud ($Verdicts + @'
$fromPath = Get-IoTHubDisconnectDiagnosis -Path (Join-Path $Samples 'connections') @range
$fromWorkspace = Get-IoTHubDisconnectDiagnosis -WorkspaceId $WorkspaceId -HubName contoso-iot-samples @range
@{ Path = Verdicts $fromPath; Workspace = Verdicts $fromWorkspace; Type = $fromWorkspace[0].GetType().FullName }
'@)
        $run.Result.Path.Count | Should -BeGreaterThan 20 -Because $run.Output
        $run.Result.Workspace | Should -Be $run.Result.Path
        $run.Result.Type | Should -Be 'IoTEdgeTroubleshoot.Hub.Diagnosis.IoTHubDisconnectDiagnosis'
        $requests = @(Get-ServerRequest)
        $requests.Count | Should -Be 2
        ($requests[0].Body | ConvertFrom-Json).query | Should -Match 'summarize Rows = count\(\), Devices = dcount\(Key\)'
        ($requests[1].Body | ConvertFrom-Json).query | Should -Match 'make_list_if\(Entry, Rank <= 4096, 4096\)'
    }

    It '-ShowQuery prints the count and the summary query, with a hostile -DeviceId only as a literal, and sends nothing' {
        $run = Invoke-Cloud 'Get-IoTHubDisconnectDiagnosis -WorkspaceId $WorkspaceId -HubName contoso-iot-samples -DeviceId ''quote"device'', ''x" | union * //'' -ShowQuery -StartTime ''2026-11-20T00:00Z'' -EndTime ''2026-11-21T00:00Z'''
        $run.Result.Count | Should -Be 2
        $run.Result[0] | Should -Match '^AzureDiagnostics'
        $run.Result[1] | Should -Match '^let Events = AzureDiagnostics'
        $run.Result | ForEach-Object { $_ | Should -Match ([regex]::Escape('| where DeviceId =~ "quote\"device" or DeviceId matches regex "(?i)^x\" \\| union .* //$"')) }
        Get-ServerRequest | Should -BeNullOrEmpty
    }

    It 'waits out a 429 with Retry-After on the summary and still diagnoses' {
        Invoke-Control 'fault' @{ Status = 429; BodyContains = 'make_list_if'; Headers = @{ 'Retry-After' = '1' }; Body = '{"error":{"code":"TooManyRequests","message":"busy"}}' } | Out-Null
        $run = Invoke-Cloud ($Verdicts + '@(Verdicts (Get-IoTHubDisconnectDiagnosis -WorkspaceId $WorkspaceId -HubName contoso-iot-samples @range)).Count')
        $run.Result | Should -BeGreaterThan 20 -Because $run.Output
        @(Get-ServerRequest).Count | Should -Be 3
    }

    It 'stops on Ctrl+C while a partition''s query is slow' {
        Invoke-Control 'fault' @{ Status = 200; BodyContains = 'make_list_if'; DelayMilliseconds = 60000; Body = '{"tables":[]}' } | Out-Null
        $run = Invoke-Cloud @'
$ps = [powershell]::Create()
$null = $ps.AddScript("Import-Module '$((Get-Module IoTEdgeTroubleshoot).Path)'; Get-IoTHubDisconnectDiagnosis -WorkspaceId $WorkspaceId -HubName contoso-iot-samples -StartTime '2026-11-19T00:00Z' -EndTime '2026-11-22T00:00Z' -AccessToken '$Token' -LogAnalyticsEndpoint '$Endpoint'")
$handle = $ps.BeginInvoke()
$deadline = [DateTime]::UtcNow.AddSeconds(30)
while (@(Invoke-RestMethod "${Endpoint}_control/requests" -Method Post -SkipCertificateCheck).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
$clock = [Diagnostics.Stopwatch]::StartNew()
$ps.Stop()
@{ Seconds = $clock.Elapsed.TotalSeconds; State = "$($ps.InvocationStateInfo.State)" }
'@
        $run.Result.State | Should -Be 'Stopped' -Because $run.Output
        $run.Result.Seconds | Should -BeLessThan 10
    }
}

Describe 'Remote edge devices through IoT Hub (edgeAgent direct methods)' -Skip:$NotLinux {
    BeforeAll {
        $agentLog = @(
            '<6> 2026-11-20 10:00:00.000 +00:00 [INF] - Starting module management agent.'
            '<3> 2026-11-20 10:00:05.123 +00:00 [ERR] - Error starting module edgeHub'
            'Docker.DotNet.DockerApiException: Docker API responded with status code=InternalServerError, response={"message":"driver failed programming external connectivity on endpoint edgeHub: Bind for 0.0.0.0:443 failed: port is already allocated"}'
            '<4> 2026-11-20 10:00:10.000 +00:00 [WRN] - Module edgeHub is not running.'
        ) -join "`n"
        $chatty = [System.Text.StringBuilder]::new()
        for ($i = 0; $chatty.Length -lt 200KB; $i++) {
            [void]$chatty.Append('<6> ').Append(([datetime]'2026-11-20T00:00:00').AddSeconds($i).ToString('yyyy-MM-dd HH:mm:ss.fff')).Append(' +00:00 [INF] - Message ').Append($i).Append(" sent upstream with a body long enough to fill the answer`n")
        }
        $hub = '<6> 2026-11-20 10:01:00.000 +00:00 [INF] - Starting Edge Hub'
        Invoke-Control 'state' @{
            edgeDevices = @(
                @{ deviceId = 'edge-01'; state = 'online'; modules = @{ edgeAgent = $agentLog; edgeHub = $hub } }
                @{ deviceId = 'edge-off'; state = 'offline'; modules = @{ edgeAgent = $agentLog } }
                @{ deviceId = 'edge-slow'; state = 'slow'; modules = @{ edgeAgent = $agentLog } }
                @{ deviceId = 'edge-chatty'; state = 'online'; modules = @{ edgeAgent = $chatty.ToString() } }
            )
            devices = @(@{ deviceId = 'edge-01'; status = 'enabled'; connectionState = 'Connected'; authentication = @{ type = 'selfSigned' }; capabilities = @{ iotEdge = $true } })
        } | Out-Null
        $script:Remote = '$PSDefaultParameterValues[''*-IoTEdge*:AccessToken''] = $Token; $PSDefaultParameterValues[''*-IoTEdge*:HubEndpoint''] = $Endpoint'
        $script:SasUrl = 'https://contosodiag.blob.core.windows.net/bundles?sv=2022-11-02&sp=w&se=2026-12-02T00%3A00%3A00Z&sig=UGVzdGVyU2VjcmV0%2Bx%3D'
    }

    BeforeEach { Invoke-Control 'clear' $null | Out-Null }

    It 'Get-IoTEdgeModuleLog -HubName -DeviceId returns log entries that Find-IoTEdgeKnownIssue reads' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
$entries = Get-IoTEdgeModuleLog -HubName contoso-iot-prod -DeviceId edge-01 -Name edgeAgent -Tail 500
$issues = $entries | Find-IoTEdgeKnownIssue
@{ Types = @($entries | ForEach-Object { $_.GetType().FullName } | Select-Object -Unique); Devices = @($entries.DeviceId | Select-Object -Unique); Count = @($entries).Count; Issues = @($issues.IssueId) }
'@)
        $run.Result.Types | Should -Be @('IoTEdgeTroubleshoot.Edge.Logs.IoTEdgeLogEntry') -Because $run.Output
        $run.Result.Devices | Should -Be @('edge-01')
        $run.Result.Count | Should -Be 3
        $run.Result.Issues | Should -Be @('edgehub-port-in-use')
        $request = Get-OnlyRequest
        $request.Path | Should -Be '/twins/edge-01/modules/%24edgeAgent/methods'
        $request.Headers.Authorization | Should -Be "Bearer $Token"
        $body = $request.Body | ConvertFrom-Json
        $body.methodName | Should -Be 'GetModuleLogs'
        $body.payload.items[0].id | Should -Be '^edgeAgent$'
        $body.payload.items[0].filter.tail | Should -Be 500
    }

    It 'runs piped devices in parallel: an offline and a slow device are errors of their own, the others are kept' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
$errors = @()
$entries = 'edge-off', 'edge-01', 'edge-slow' | Get-IoTEdgeModuleLog -HubName contoso-iot-prod -Name edgeAgent -ThrottleLimit 3 -ErrorVariable errors -ErrorAction SilentlyContinue
@{ Devices = @($entries.DeviceId | Select-Object -Unique); Errors = @($errors | Sort-Object { "$($_.TargetObject)" } | ForEach-Object { "$($_.TargetObject) $($_.FullyQualifiedErrorId) $($_.CategoryInfo.Category)" }) }
'@)
        $run.Result.Devices | Should -Be @('edge-01') -Because $run.Output
        $run.Result.Errors | Should -Be @(
            'edge-off EdgeDeviceNotOnline,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand ConnectionError'
            'edge-slow EdgeMethodTimedOut,IoTEdgeTroubleshoot.Commands.GetIoTEdgeModuleLogCommand OperationTimeout')
    }

    It 'takes the devices Get-IoTHubDeviceStatus returns' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
Get-IoTHubDeviceStatus -HubName contoso-iot-prod -DeviceId edge-01 -HubEndpoint $Endpoint | Get-IoTEdgeModuleLog -HubName contoso-iot-prod -Name edgeHub | ForEach-Object { "$($_.DeviceId) $($_.Source) $($_.Message)" }
'@)
        $run.Result | Should -Be 'edge-01 edgeHub Starting Edge Hub' -Because $run.Output
    }

    It 'warns when a log was cut at the 128 KB cap and says how to page' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
$warnings = @()
$entries = Get-IoTEdgeModuleLog -HubName contoso-iot-prod -DeviceId edge-chatty -Name edgeAgent -WarningVariable warnings -WarningAction SilentlyContinue
@{ Count = @($entries).Count; Warnings = @($warnings | ForEach-Object { "$_" }) }
'@)
        $run.Result.Count | Should -BeGreaterThan 1000 -Because $run.Output
        $run.Result.Warnings.Count | Should -Be 1
        $run.Result.Warnings[0] | Should -Match 'edgeAgent on edge-chatty was cut at about 128 KB'
        $run.Result.Warnings[0] | Should -Match "-Until '2026-11-20T00:00:00Z'"
    }

    It 'Restart-IoTEdgeModule -HubName -WhatIf sends nothing; without it, RestartModule goes to each device' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
Restart-IoTEdgeModule -HubName contoso-iot-prod -DeviceId edge-01 -Name edgeHub -WhatIf
$whatIf = @(Invoke-RestMethod -Uri "${Endpoint}_control/requests" -Method Post -Body '{}' -SkipCertificateCheck | ForEach-Object { $_ }).Count
$errors = @()
Restart-IoTEdgeModule -HubName contoso-iot-prod -DeviceId edge-01, edge-off -Name edgeHub -ErrorVariable errors -ErrorAction SilentlyContinue
@{ WhatIf = $whatIf; Errors = @($errors | ForEach-Object FullyQualifiedErrorId) }
'@)
        $run.Result.WhatIf | Should -Be 0 -Because $run.Output
        $run.Result.Errors | Should -Be @('EdgeDeviceNotOnline,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand')
        $sent = @(Get-ServerRequest | Where-Object Path -EQ '/twins/edge-01/modules/%24edgeAgent/methods')
        $sent.Count | Should -Be 1
        ($sent[0].Body | ConvertFrom-Json).payload.id | Should -Be 'edgeHub'
    }

    It 'Export-IoTEdgeSupportBundle uploads, polls to Completed, and never shows the SAS URL''s query' {
        $run = Invoke-Cloud ($Remote + "`n`$SasUrl = '$SasUrl'`n" + @'
$all = Export-IoTEdgeSupportBundle -HubName contoso-iot-prod -DeviceId edge-01, edge-off -SasUrl $SasUrl -EdgeRuntimeOnly -Verbose -ErrorAction Continue *>&1 | ForEach-Object { if ($_ -is [IoTEdgeTroubleshoot.Edge.Remote.IoTEdgeSupportBundleUpload]) { $_ } else { "$_" } }
$upload = $all | Where-Object { $_ -is [IoTEdgeTroubleshoot.Edge.Remote.IoTEdgeSupportBundleUpload] }
@{ Status = $upload.Status; Destination = $upload.Destination; Text = (($all | Out-String -Width 300) + ($upload | Format-List * | Out-String -Width 300)) }
'@)
        $run.Result.Status | Should -Be 'Completed' -Because $run.Output
        $run.Result.Destination | Should -Be 'https://contosodiag.blob.core.windows.net/bundles'
        $run.Result.Text | Should -Match 'EdgeDeviceNotOnline|not connected'
        $run.Result.Text | Should -Match 'UploadSupportBundle|support bundle'
        $run.Output | Should -Not -Match 'UGVzdGVy'
        $run.Output | Should -Not -Match 'sp=w'
        $sent = (Get-ServerRequest | Where-Object { $_.Body -match 'UploadSupportBundle' } | Select-Object -First 1).Body | ConvertFrom-Json
        $sent.payload.sasUrl | Should -Be $SasUrl
        $sent.payload.edgeRuntimeOnly | Should -BeTrue
    }

    It 'refuses a -ConnectionString of another hub than -HubName before any request, naming both and never the key' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
$key = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('pester-service-key-0123456789'))
try { Restart-IoTEdgeModule -HubName contoso-iot-test -ConnectionString "HostName=contoso-iot-prod.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey=$key" -DeviceId edge-01 -Name edgeHub -Confirm:$false; 'no error' }
catch { @{ Id = $_.FullyQualifiedErrorId; All = ($_ | Out-String -Width 300); Leaks = ($_ | Format-List * -Force | Out-String -Width 300).Contains($key) } }
'@)
        $run.Result.Id | Should -Be 'InvalidHubConnectionString,IoTEdgeTroubleshoot.Commands.RestartIoTEdgeModuleCommand' -Because $run.Output
        $run.Result.All | Should -Match 'contoso-iot-prod\.azure-devices\.net'
        $run.Result.All | Should -Match 'contoso-iot-test'
        $run.Result.Leaks | Should -BeFalse
        Get-ServerRequest | Should -BeNullOrEmpty
    }

    It 'Export-IoTEdgeSupportBundle refuses a -SasUrl without a signature before any request, without echoing it' {
        $run = Invoke-Cloud ($Remote + "`n" + @'
try { Export-IoTEdgeSupportBundle -HubName contoso-iot-prod -DeviceId edge-01 -SasUrl 'https://contosodiag.blob.core.windows.net/bundles?sv=2022&sp=w&se=secretExpiry'; 'no error' }
catch { @{ Id = $_.FullyQualifiedErrorId; All = ($_ | Out-String) } }
'@)
        $run.Result.Id | Should -Be 'InvalidSasUrl,IoTEdgeTroubleshoot.Commands.ExportIoTEdgeSupportBundleCommand' -Because $run.Output
        $run.Result.All | Should -Not -Match 'secretExpiry'
        Get-ServerRequest | Should -BeNullOrEmpty
    }
}
