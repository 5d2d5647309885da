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

    It 'puts Core in the default load context, so its types can be named in scripts' {
        Get-IoTHubConnectionEvent -Path (Get-ChildItem $ConnectionsSample -Recurse -Filter PT1H.json)[0].FullName | Select-Object -First 1 | Out-Null
        $core = [IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly
        $core.Location | Should -BeLike '*dependencies*IoTEdgeTroubleshoot.Core.dll'
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        [IoTEdgeTroubleshoot.Hub.ErrorCatalog]::All.Count | Should -BeGreaterThan 10
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
