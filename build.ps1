#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the IoTEdgeTroubleshoot module.

.DESCRIPTION
    Build   (default) restores and builds the solution, then assembles the module folder
            out/IoTEdgeTroubleshoot/: the manifest with the version from Directory.Build.props,
            the cmdlet assembly, dependencies/ (Core and third-party assemblies, loaded in a
            private context on PowerShell 7), the format file and en-US help.
    Test    runs the xunit tests of Core, builds the module, then runs the Pester suite in
            tests/Pester against the assembled module in a fresh pwsh process.
    Package builds the module and writes out/IoTEdgeTroubleshoot.<version>.nupkg, a package
            that PowerShellGet and PSResourceGet install from a local or remote repository.
    Clean   removes out/ and the bin/obj folders.

    Needs PowerShell 7 and the .NET SDK; -Task Test also needs Pester 5 in a module path.

.EXAMPLE
    ./build.ps1
    Import-Module ./out/IoTEdgeTroubleshoot/IoTEdgeTroubleshoot.psd1

.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleName = 'IoTEdgeTroubleshoot'
$moduleDir = Join-Path $out $moduleName

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $Command, [string[]] $Arguments)
    Write-Host "> $Command $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments[0])' failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no VersionPrefix.' }
    return [string]$version
}

function Invoke-Build {
    $version = Get-ModuleVersion
    $staging = Join-Path $out 'staging'
    Remove-Item -Recurse -Force $moduleDir, $staging -ErrorAction SilentlyContinue

    Invoke-Native dotnet @('publish', (Join-Path $root "src/$moduleName/$moduleName.csproj"), '-c', $Configuration, '-o', (Join-Path $staging 'cmdlets'), '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $root "src/$moduleName.Isolation/$moduleName.Isolation.csproj"), '-c', $Configuration, '-o', (Join-Path $staging 'isolation'), '--nologo', '-v', 'quiet')

    $dependencies = Join-Path $moduleDir 'dependencies'
    New-Item -ItemType Directory -Force $dependencies | Out-Null
    # The cmdlet assembly alone sits at the root; everything it depends on goes to dependencies/,
    # where only the module's own loader finds it (see ModuleInitializer.cs).
    Copy-Item (Join-Path $staging "cmdlets/$moduleName.dll") $moduleDir
    Get-ChildItem (Join-Path $staging 'cmdlets') -Filter *.dll |
        Where-Object Name -NE "$moduleName.dll" |
        Copy-Item -Destination $dependencies
    Copy-Item (Join-Path $staging "isolation/$moduleName.Isolation.dll") $dependencies

    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.format.ps1xml") $moduleDir
    Copy-Item -Recurse (Join-Path $root 'en-US') $moduleDir
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir

    $manifest = Get-Content -Raw (Join-Path $root "$moduleName.psd1")
    $manifest = $manifest -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    Set-Content -Path (Join-Path $moduleDir "$moduleName.psd1") -Value $manifest -Encoding utf8NoBOM

    Remove-Item -Recurse -Force $staging
    Write-Host "Module $moduleName $version assembled in $moduleDir" -ForegroundColor Green
}

function Invoke-XunitTests {
    $project = Join-Path $root "tests/$moduleName.Core.Tests/$moduleName.Core.Tests.csproj"
    Write-Host "> dotnet test $project" -ForegroundColor DarkGray
    $lines = & dotnet test $project -c $Configuration --nologo 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable captured
    $lines | Write-Host
    $exit = $LASTEXITCODE
    # dotnet test ends with "Passed!  - Failed: 0, Passed: 52, Skipped: 0, Total: 52".
    $summary = $captured | Select-String 'Failed:\s*(\d+),\s*Passed:\s*(\d+)' | Select-Object -Last 1
    $result = [pscustomobject]@{ Passed = 0; Failed = 0; ExitCode = $exit }
    if ($summary) {
        $result.Failed = [int]$summary.Matches[0].Groups[1].Value
        $result.Passed = [int]$summary.Matches[0].Groups[2].Value
    }
    return $result
}

function Invoke-PesterTests {
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        throw 'Pester 5 is not installed, so the module tests cannot run. Install it (Install-PSResource Pester, or Install-Module Pester -MinimumVersion 5.0) and run ./build.ps1 -Task Test again.'
    }

    $resultFile = Join-Path $out 'pester-results.xml'
    $manifest = Join-Path $moduleDir "$moduleName.psd1"
    # A fresh process: the module under test is imported into a clean session, as a user would.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion '$($pester.Version)'
`$env:IOTEDGETROUBLESHOOT_MANIFEST = '$manifest'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$resultFile'
`$run = Invoke-Pester -Configuration `$config
"PESTER-SUMMARY `$(`$run.PassedCount) `$(`$run.FailedCount) `$(`$run.SkippedCount) `$(`$run.NotRunCount)"
if (`$run.Result -ne 'Passed') { exit 1 }
"@
    Write-Host "> pwsh -NoProfile (Pester $($pester.Version), tests/Pester)" -ForegroundColor DarkGray
    $captured = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable lines
    $lines | Where-Object { $_ -notmatch '^PESTER-SUMMARY' } | Write-Host
    $exit = $LASTEXITCODE
    $summary = $lines | Where-Object { $_ -match '^PESTER-SUMMARY (\d+) (\d+)' } | Select-Object -Last 1
    $result = [pscustomobject]@{ Passed = 0; Failed = 0; ExitCode = $exit }
    if ($summary -match '^PESTER-SUMMARY (\d+) (\d+)') {
        $result.Passed = [int]$Matches[1]
        $result.Failed = [int]$Matches[2]
    }
    return $result
}

function Invoke-Test {
    $xunit = Invoke-XunitTests
    Invoke-Build
    $pester = Invoke-PesterTests
    Write-Host ''
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
    Write-Host "pester: $($pester.Passed) passed, $($pester.Failed) failed"
    Write-Host "$($xunit.Passed + $pester.Passed) passed, $($xunit.Failed + $pester.Failed) failed"
    if ($xunit.ExitCode -ne 0 -or $pester.ExitCode -ne 0 -or $xunit.Failed -gt 0 -or $pester.Failed -gt 0) {
        throw 'Tests failed.'
    }
}

function Invoke-Package {
    Invoke-Build
    $version = Get-ModuleVersion
    $manifest = Import-PowerShellDataFile (Join-Path $moduleDir "$moduleName.psd1")
    $package = Join-Path $out "$moduleName.$version.nupkg"
    Remove-Item $package -ErrorAction SilentlyContinue

    # The tags PowerShellGet and PSResourceGet read to know a module and its commands.
    $tags = @('PSModule', 'PSIncludes_Cmdlet') + $manifest.PrivateData.PSData.Tags +
        ($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    $escape = { param($s) [System.Security.SecurityElement]::Escape([string]$s) }
    $nuspec = @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>$moduleName</id>
    <version>$version</version>
    <authors>$(& $escape $manifest.Author)</authors>
    <owners>$(& $escape $manifest.CompanyName)</owners>
    <requireLicenseAcceptance>false</requireLicenseAcceptance>
    <license type="expression">MIT</license>
    <projectUrl>$(& $escape $manifest.PrivateData.PSData.ProjectUri)</projectUrl>
    <description>$(& $escape $manifest.Description)</description>
    <releaseNotes>$(& $escape $manifest.PrivateData.PSData.ReleaseNotes)</releaseNotes>
    <copyright>$(& $escape $manifest.Copyright)</copyright>
    <tags>$(& $escape ($tags -join ' '))</tags>
  </metadata>
</package>
"@
    $contentTypes = @'
<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="psd1" ContentType="application/octet" /><Default Extension="dll" ContentType="application/octet" /><Default Extension="ps1xml" ContentType="application/octet" /><Default Extension="xml" ContentType="application/octet" /><Default Extension="txt" ContentType="application/octet" /><Override PartName="/LICENSE" ContentType="application/octet" /></Types>
'@
    $rels = @"
<?xml version="1.0" encoding="utf-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/$moduleName.nuspec" Id="R0" /></Relationships>
"@
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::Open($package, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        function Add-Text([string] $name, [string] $text) {
            $entry = $zip.CreateEntry($name)
            $writer = [System.IO.StreamWriter]::new($entry.Open(), [System.Text.UTF8Encoding]::new($false))
            try { $writer.Write($text) } finally { $writer.Dispose() }
        }
        Add-Text "$moduleName.nuspec" $nuspec
        Add-Text '[Content_Types].xml' $contentTypes
        Add-Text '_rels/.rels' $rels
        foreach ($file in Get-ChildItem $moduleDir -Recurse -File) {
            $relative = [System.IO.Path]::GetRelativePath($moduleDir, $file.FullName).Replace('\', '/')
            [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $file.FullName, $relative) | Out-Null
        }
    }
    finally {
        $zip.Dispose()
    }
    Write-Host "Package written: $package" -ForegroundColor Green
}

function Invoke-Clean {
    Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
    Get-ChildItem $root -Directory -Recurse -Include bin, obj |
        Where-Object FullName -NotLike "*$([System.IO.Path]::DirectorySeparatorChar).git*" |
        Remove-Item -Recurse -Force
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
