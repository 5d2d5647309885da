@{
    # The source of the manifest in the built module; build.ps1 stamps ModuleVersion from Directory.Build.props.
    RootModule             = 'IoTEdgeTroubleshoot.dll'
    # Imported before the root module: on PowerShell 7.6 it loads the ReadyToRun image of Core for this
    # platform (runtimes/<rid>/) before the cmdlets bind to Core; elsewhere it leaves the IL at the root.
    NestedModules          = @('IoTEdgeTroubleshoot.Loader.dll')
    ModuleVersion          = '0.0.0'
    GUID                   = '7c1b2d4e-5a3f-4e8b-9c6d-1f2e3a4b5c6d'
    Author                 = 'IoTEdgeTroubleshoot contributors'
    CompanyName            = 'IoTEdgeTroubleshoot contributors'
    Copyright              = '(c) IoTEdgeTroubleshoot contributors. MIT License.'
    Description            = 'Troubleshoot Azure IoT Hub device disconnects and IoT Edge devices from PowerShell: read and explain the hub''s connection logs, recognise disconnect patterns, check and safely repair edge devices. Every step of the public Azure troubleshooting guides as a command whose objects pipe into the next.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('IoTEdgeTroubleshoot.format.ps1xml')
    CmdletsToExport        = @(
        'Get-IoTHubConnectionEvent'
        'Get-IoTHubConnectionError'
        'Resolve-IoTHubConnectionError'
        'Get-IoTHubDisconnectDiagnosis'
        'Test-IoTEdgeConfig'
        'Set-IoTEdgeHostname'
        'Set-IoTEdgeRuntimeLogLevel'
        'Get-IoTHubConnectedDeviceMetric'
        'Get-IoTHubDeviceStatus'
        'Get-IoTHubDiagnosticSetting'
        'Enable-IoTHubConnectionLog'
        'New-IoTHubConnectedDeviceAlert'
        'Test-IoTEdgeFirewall'
        'Get-IoTEdgeDaemonStatus'
        'Set-IoTEdgeDaemonLogLevel'
        'Restart-IoTEdgeModule'
        'Restart-IoTEdgeDaemon'
        'Test-IoTEdgeDns'
        'Set-IoTEdgeDns'
        'Test-IoTEdgeDeployment'
        'Set-IoTEdgeHubOptimization'
        'Test-IoTEdgeModuleDockerfile'
        'Repair-IoTEdgeEventLog'
        'Get-IoTEdgeDaemonLog'
        'Get-IoTEdgeModuleLog'
        'Find-IoTEdgeKnownIssue'
        'Export-IoTEdgeSupportBundle'
        'Test-IoTEdge'
        'Set-IoTEdgeContainerLogRotation'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Azure', 'IoT', 'IoTHub', 'IoTEdge', 'Troubleshooting', 'Diagnostics', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux')
            ProjectUri   = 'https://github.com/iotedgetroubleshoot/IoTEdgeTroubleshoot'
            LicenseUri   = 'https://github.com/iotedgetroubleshoot/IoTEdgeTroubleshoot/blob/main/LICENSE'
            ReleaseNotes = 'Get-IoTHubConnectionEvent, Get-IoTHubConnectionError and Resolve-IoTHubConnectionError over exported IoT Hub Connections logs (storage export, Event Hubs records, Log Analytics CSV; damaged records, loops, pipes and endless lines reported, never fatal); Get-IoTHubDisconnectDiagnosis recognises periodic, random and hub-wide disconnects, duplicate identities, devices that never reconnected, failing authentication (token renewals excluded) and unknown devices; Test-IoTEdgeConfig checks IoT Edge 1.2+ config.toml and 1.0/1.1 config.yaml by the daemons'' rules, and Set-IoTEdgeHostname and Set-IoTEdgeRuntimeLogLevel change them safely (backup, atomic replace born with the original''s mode, -WhatIf with a diff, -Apply). The hub in the cloud, from a shell or a runbook (DefaultAzureCredential, -TenantId, -AccessToken, -Environment for the three clouds): Get-IoTHubConnectionError/Event -WorkspaceId run the guide''s Log Analytics query (-ResourceId or -HubName for a shared workspace, -ShowQuery; pages that are never cut), Get-IoTHubConnectedDeviceMetric flags drops of connectedDeviceCount, Get-IoTHubDiagnosticSetting and Enable-IoTHubConnectionLog (-WhatIf) send Connections to a workspace, New-IoTHubConnectedDeviceAlert puts the guide''s alert on the metric, Get-IoTHubDeviceStatus says whether a device is Enabled; 429/5xx retried after Retry-After, 401/403 name the identity and the role, Ctrl+C cancels, tokens and keys never shown. Fleets and whole devices: Get-IoTHubDisconnectDiagnosis -WorkspaceId diagnoses inside Log Analytics (per-device summaries in KQL, partitions, at most 5 queries at once); Get-IoTEdgeModuleLog, Restart-IoTEdgeModule and Export-IoTEdgeSupportBundle -HubName -DeviceId reach edge devices through IoT Hub''s edgeAgent direct methods, many at once; Test-IoTEdge runs every local check (config, services, logs, ports, DNS, probes, certificates, clock, disk, log rotation) with -Quiet and -AsIotEdgeCheckJson; Export-IoTEdgeSupportBundle writes a masked local bundle; Set-IoTEdgeContainerLogRotation.'
        }
    }
}
