# The package that ./build.ps1 -Task Package writes, installed as a user would install it: from a
# repository folder with Install-PSResource, into a throw-away user scope (a child pwsh whose HOME
# and data folders are temporary), then used by module name on the samples.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
    $script:Version = [string]($props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1)
    $script:Package = Join-Path $RepoRoot "out/IoTEdgeTroubleshoot.$Version.nupkg"
}

Describe 'The package' {
    It 'is written by ./build.ps1 -Task Package' {
        $Package | Should -Exist
    }

    It 'carries the ReadyToRun images of Core beside the IL' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Should -Contain 'IoTEdgeTroubleshoot.Core.dll'
        foreach ($rid in 'linux-x64', 'linux-arm64', 'win-x64') {
            $entries | Should -Contain "runtimes/$rid/IoTEdgeTroubleshoot.Core.dll"
        }
    }

    It 'installs with Install-PSResource from a repository folder and runs the sample pipeline by module name' -Skip:$IsWindows {
        # Windows keeps the CurrentUser scope under Documents, which a child process cannot redirect; Linux and macOS follow HOME and XDG.
        $repository = Join-Path $TestDrive 'repository'
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $repository, $userHome | Out-Null
        Copy-Item $Package $repository

        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalTest -Uri '$repository' -Trusted
`$found = Find-PSResource -Name IoTEdgeTroubleshoot -Repository LocalTest
Install-PSResource -Name IoTEdgeTroubleshoot -Repository LocalTest -Scope CurrentUser -TrustRepository -Quiet
Import-Module IoTEdgeTroubleshoot
`$module = Get-Module IoTEdgeTroubleshoot
`$resolutions = Get-IoTHubConnectionError -Path '$ConnectionsSample' | Resolve-IoTHubConnectionError
"FOUND=`$(`$found.Version)"
"COMMANDS=`$(`$found.Includes.Command -join ',')"
"BASE=`$(`$module.ModuleBase)"
"VERSION=`$(`$module.Version)"
"CODES=`$(`$resolutions.Count)"
"TOP=`$(`$resolutions[0].ResultType)"
"CORE=`$([IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly.Location)"
"@
        # The folders must exist: .NET answers an empty path for a special folder that does not, and
        # PSResourceGet would then keep its repository list in the current directory.
        $folders = @{ XDG_DATA_HOME = '.local/share'; XDG_CONFIG_HOME = '.config'; XDG_CACHE_HOME = '.cache' }
        $saved = @{ HOME = $env:HOME }
        foreach ($name in $folders.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        Push-Location $TestDrive
        try {
            $env:HOME = $userHome
            foreach ($name in $folders.Keys) {
                $folder = New-Item -ItemType Directory -Force (Join-Path $userHome $folders[$name])
                [Environment]::SetEnvironmentVariable($name, $folder.FullName)
            }
            $output = Invoke-ChildPwsh -ArgumentList @('-Command', $script) | ForEach-Object { "$_" }
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }

        $values = @{}
        foreach ($line in $output) { if ($line -match '^([A-Z]+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }
        $values.Count | Should -Be 7 -Because ($output -join [Environment]::NewLine)
        $values.FOUND | Should -Be $Version
        # PSResourceGet reads a package's commands from its PSCommand_ tags, which galleries search by.
        $listed = (Import-PowerShellDataFile $ManifestPath).CmdletsToExport
        $values.COMMANDS -split ',' | Sort-Object | Should -Be ($listed | Sort-Object)
        $values.BASE | Should -BeLike "$userHome*" -Because 'the module must come from the temporary user scope, not the build folder'
        $values.VERSION | Should -Be $Version
        $values.TOP | Should -Be '404104'
        [int]$values.CODES | Should -BeGreaterThan 5
        # The installed module runs its own image where this platform has one (ReadyToRun.Tests.ps1).
        $rid = if ($IsLinux -and [Environment]::Version.Major -ge 10) { @{ X64 = 'linux-x64'; Arm64 = 'linux-arm64' }["$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)"] }
        $expectedCore = if ($rid) { "runtimes$([IO.Path]::DirectorySeparatorChar)$rid$([IO.Path]::DirectorySeparatorChar)IoTEdgeTroubleshoot.Core.dll" } else { 'IoTEdgeTroubleshoot.Core.dll' }
        $values.CORE | Should -BeLike "$userHome*$expectedCore"
    }
}
