BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
}

Describe 'The module manifest and loading' {
    It 'is a valid manifest for Windows PowerShell 5.1 and PowerShell 7' {
        $manifest = Test-ModuleManifest $ManifestPath
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.RootModule | Should -Be 'IoTEdgeTroubleshoot.dll'
    }

    It 'carries the version from Directory.Build.props' {
        $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
        (Get-Module IoTEdgeTroubleshoot).Version | Should -Be ([version]$props.Project.PropertyGroup.VersionPrefix)
    }

    It 'exports exactly the cmdlets the manifest lists, without wildcards' {
        $listed = (Import-PowerShellDataFile $ManifestPath).CmdletsToExport
        $listed | Should -Not -Contain '*'
        (Get-Command -Module IoTEdgeTroubleshoot).Name | Sort-Object | Should -Be ($listed | Sort-Object)
    }

    It 'loads its own assemblies from the module, Core in the default load context so its types can be named in scripts' {
        Get-IoTHubConnectionEvent -Path (Get-ChildItem $ConnectionsSample -Recurse -Filter PT1H.json)[0].FullName | Select-Object -First 1 | Out-Null
        $root = Split-Path $ManifestPath
        $core = [IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly
        # The root's IL, or this platform's ReadyToRun image (ReadyToRun.Tests.ps1 says which).
        $core.Location | Should -BeIn (@(Join-Path $root 'IoTEdgeTroubleshoot.Core.dll') + @(Get-ChildItem (Join-Path $root 'runtimes') -Recurse -Filter 'IoTEdgeTroubleshoot.Core.dll').FullName)
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        [IoTEdgeTroubleshoot.Hub.ErrorCatalog]::All.Count | Should -BeGreaterThan 10
    }

    It 'keeps only third-party assemblies in dependencies/, and loads them into its private context' {
        $root = Split-Path $ManifestPath
        $shipped = (Get-ChildItem (Join-Path $root 'dependencies') -Filter *.dll).Name
        $shipped | Should -Contain 'YamlDotNet.dll'
        $shipped | Where-Object { $_ -like 'IoTEdgeTroubleshoot*' } | Should -BeNullOrEmpty
        (Get-ChildItem $root -Filter *.dll).Name | Sort-Object | Should -Be @('IoTEdgeTroubleshoot.Core.dll', 'IoTEdgeTroubleshoot.dll', 'IoTEdgeTroubleshoot.Isolation.dll', 'IoTEdgeTroubleshoot.Loader.dll')

        Test-IoTEdgeConfig -Path (Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Configs/linux-1.1-manual.yaml') | Out-Null
        $yaml = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.Location -eq (Join-Path $root 'dependencies/YamlDotNet.dll') }
        $yaml | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($yaml).Name | Should -Be 'IoTEdgeTroubleshoot'
    }

    It 'takes parameters of Core''s enum types, with tab completion of their values' {
        (Get-Command Get-IoTHubDisconnectDiagnosis).Parameters['MinimumConfidence'].ParameterType |
            Should -Be ([IoTEdgeTroubleshoot.Hub.Diagnosis.DiagnosisConfidence])
        $line = 'Get-IoTHubDisconnectDiagnosis -MinimumConfidence '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('High', 'Low', 'Medium')
        { Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample -MinimumConfidence Certain } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,IoTEdgeTroubleshoot.Commands.GetIoTHubDisconnectDiagnosisCommand'
    }

    It 'imports in a fresh process whose first command binds a Core enum (no initializer has run before binding)' {
        $out = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; (Get-IoTHubDisconnectDiagnosis -Path '$ConnectionsSample' -MinimumConfidence High -Pattern HubWide).DeviceCount") | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 0 -Because ($out -join [Environment]::NewLine)
        [int]($out | Select-Object -Last 1) | Should -BeGreaterThan 50
    }

    It 'declares an output type on every cmdlet' {
        foreach ($command in Get-Command -Module IoTEdgeTroubleshoot) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) needs [OutputType]"
        }
    }

    It 'has a table view for every output type' {
        foreach ($type in 'IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent', 'IoTEdgeTroubleshoot.Hub.IoTHubErrorResolution') {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view"
        }
    }
}
