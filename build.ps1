#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the IoTEdgeTroubleshoot module.

.DESCRIPTION
    Build   (default) restores and builds the solution, then assembles the module folder
            out/IoTEdgeTroubleshoot/: the manifest with the version from Directory.Build.props,
            the module's own assemblies at its root (cmdlets, Core, Isolation, Loader), third-party
            assemblies in dependencies/ (a private load context on PowerShell 7, a resolver that
            serves only the module on 5.1), the format file and en-US help, and ReadyToRun images
            of Core (IL plus precompiled native code, build/ReadyToRun) in runtimes/<rid>/ for
            linux-x64, linux-arm64 and win-x64, which the Loader loads on PowerShell 7.6 (.NET 10).
            -NoReadyToRun leaves runtimes/ out (a machine that cannot restore the runtime packs):
            every platform then runs the IL, as any platform without an image does.
    Test    installs Microsoft's KQL parser for the tests with npm ci when Node.js is on PATH
            (tests/KqlParser; without Node that one test is skipped), runs the xunit tests of
            Core, builds and packages the module, then runs the Pester suite in
            tests/Pester against the assembled module in a fresh pwsh process. Pester 5 or later
            is taken from the module path when there; otherwise the version pinned in
            build/Pester.csproj is fetched from NuGet into out/tools (never the user's module path).
            Counts are read from the result files (TRX, NUnit XML) in out/test-results, and the
            run fails when either suite ran no test.
    Package builds the module and writes out/IoTEdgeTroubleshoot.<version>.nupkg with
            PSResourceGet's Compress-PSResource, a package that Install-PSResource installs from a
            repository folder.
    Clean   removes out/ and the bin/obj folders.

    Needs PowerShell 7 and the .NET SDK 10. On a machine with only the SDK:
    `dotnet tool restore` installs the pwsh pinned in .config/dotnet-tools.json; then
    `dotnet pwsh ./build.ps1 ...` from the repository root.

.EXAMPLE
    ./build.ps1
    Import-Module ./out/IoTEdgeTroubleshoot

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Build the module without the ReadyToRun images (runtimes/): IL only, as before.
    [switch] $NoReadyToRun
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleName = 'IoTEdgeTroubleshoot'
$moduleDir = Join-Path $out $moduleName
$resultsDir = Join-Path $out 'test-results'
# The module's own assemblies: at the module root. Everything else goes to dependencies/.
$ownAssemblies = @("$moduleName.dll", "$moduleName.Core.dll", "$moduleName.Isolation.dll", "$moduleName.Loader.dll")
# The platforms that get a ReadyToRun image of Core, in runtimes/<rid>/ (ReadyToRunImageSelection.cs picks one).
$readyToRunRuntimes = @('linux-x64', 'linux-arm64', 'win-x64')

. (Join-Path $root 'build/ChildPwsh.ps1')

# A build and its child processes send nothing to the internet.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'

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
    # Own assemblies at the root, where the runtime finds them beside the cmdlet assembly while
    # PowerShell lays out the cmdlet types; third-party ones in dependencies/ (ModuleInitializer.cs).
    foreach ($dll in Get-ChildItem (Join-Path $staging 'cmdlets') -Filter *.dll) {
        $target = if ($dll.Name -in $ownAssemblies) { $moduleDir } else { $dependencies }
        Copy-Item $dll.FullName $target
    }
    Copy-Item (Join-Path $staging "isolation/$moduleName.Isolation.dll") $moduleDir
    Invoke-Native dotnet @('publish', (Join-Path $root "src/$moduleName.Loader/$moduleName.Loader.csproj"), '-c', $Configuration, '-o', (Join-Path $staging 'loader'), '--nologo', '-v', 'quiet')
    Copy-Item (Join-Path $staging "loader/$moduleName.Loader.dll") $moduleDir
    if (-not $NoReadyToRun) { Add-ReadyToRunImage -Staging $staging }

    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.format.ps1xml") $moduleDir
    Copy-Item -Recurse (Join-Path $root 'en-US') $moduleDir
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir

    $manifest = Get-Content -Raw (Join-Path $root "$moduleName.psd1")
    $manifest = $manifest -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    Set-Content -Path (Join-Path $moduleDir "$moduleName.psd1") -Value $manifest -Encoding utf8NoBOM

    Remove-Item -Recurse -Force $staging
    Write-Host "Module $moduleName $version assembled in $moduleDir" -ForegroundColor Green
}

function Add-ReadyToRunImage {
    # crossgen2 (from the SDK's Crossgen2 pack) precompiles Core for each platform; the image keeps the
    # IL, so it is the same assembly as the root's Core with native code beside it.
    param([string] $Staging)
    foreach ($rid in $readyToRunRuntimes) {
        $published = Join-Path $Staging "r2r-$rid"
        Invoke-Native dotnet @('publish', (Join-Path $root 'build/ReadyToRun/ReadyToRun.csproj'), '-c', $Configuration, "-p:ModuleRuntime=$rid", '-o', $published, '--nologo', '-v', 'quiet')
        $target = New-Item -ItemType Directory -Force (Join-Path $moduleDir "runtimes/$rid")
        Copy-Item (Join-Path $published "$moduleName.Core.dll") $target
    }
}

function Invoke-XunitTests {
    $project = Join-Path $root "tests/$moduleName.Core.Tests/$moduleName.Core.Tests.csproj"
    $trx = Join-Path $resultsDir 'xunit.trx'
    Remove-Item $trx -ErrorAction SilentlyContinue
    Write-Host "> dotnet test $project" -ForegroundColor DarkGray
    & dotnet test $project -c $Configuration --nologo --logger 'trx;LogFileName=xunit.trx' --results-directory $resultsDir | Write-Host
    $exit = $LASTEXITCODE
    $result = [pscustomobject]@{ Passed = 0; Failed = 0; Total = 0; ExitCode = $exit; FailedTests = @() }
    if (Test-Path $trx) {
        # <ResultSummary><Counters total= executed= passed= failed= .../>
        $run = ([xml](Get-Content -Raw $trx)).TestRun
        $counters = $run.ResultSummary.Counters
        $result.Total = [int]$counters.total
        $result.Passed = [int]$counters.passed
        $result.Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # <Results><UnitTestResult testName= outcome="Failed"><Output><ErrorInfo><Message>
        $result.FailedTests = @($run.Results.UnitTestResult | Where-Object { $_.outcome -ne 'Passed' -and $_.outcome -ne 'NotExecuted' } |
            ForEach-Object { Format-FailedTest $_.testName "$($_.Output.ErrorInfo.Message)" })
    }
    return $result
}

function Format-FailedTest([string] $Name, [string] $Message) {
    # One line per failed test: its name and the first line of its message, cut to keep the tail readable.
    $firstLine = ($Message -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
    if ($firstLine -and $firstLine.Length -gt 300) { $firstLine = $firstLine.Substring(0, 300) + '...' }
    if ($firstLine) { return "$Name -- $($firstLine.Trim())" }
    return $Name
}

function Get-PesterModulePath {
    # Pester 5 or later from the module path if the user has it; otherwise the pinned version,
    # fetched from NuGet into out/tools, a folder of the build.
    $installed = Get-Module -ListAvailable Pester | Where-Object Version -GE ([version]'5.0') |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) {
        Write-Host "Pester $($installed.Version) found in $($installed.ModuleBase)" -ForegroundColor DarkGray
        return $installed.Path
    }

    $project = Join-Path $root 'build/Pester.csproj'
    $pinned = ([xml](Get-Content -Raw $project)).Project.PropertyGroup.PesterVersion | Where-Object { $_ } | Select-Object -First 1
    $packages = Join-Path $out 'tools'
    $manifest = Join-Path $packages "pester/$pinned/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        Write-Host "Pester 5 is not installed: fetching Pester $pinned from NuGet into $packages" -ForegroundColor DarkGray
        Invoke-Native dotnet @('restore', $project, '--packages', $packages, '--nologo', '-v', 'quiet')
    }
    if (-not (Test-Path $manifest)) { throw "Restoring $project did not give $manifest." }
    return $manifest
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $resultFile = Join-Path $resultsDir 'pester.xml'
    Remove-Item $resultFile -ErrorAction SilentlyContinue
    $manifest = Join-Path $moduleDir "$moduleName.psd1"
    # A fresh process: the module under test is imported into a clean session, as a user would.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$env:IOTEDGETROUBLESHOOT_MANIFEST = '$manifest'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputFormat = 'NUnitXml'
`$config.TestResult.OutputPath = '$resultFile'
`$run = Invoke-Pester -Configuration `$config
if (`$run.Result -ne 'Passed') { exit 1 }
"@
    Write-Host "> pwsh -NoProfile (Pester from $pester, tests/Pester)" -ForegroundColor DarkGray
    Invoke-ChildPwsh -ArgumentList @('-Command', $script) | ForEach-Object { "$_" } | Write-Host
    $exit = $LASTEXITCODE
    $result = [pscustomobject]@{ Passed = 0; Failed = 0; Total = 0; ExitCode = $exit; FailedTests = @() }
    if (Test-Path $resultFile) {
        # NUnit 2.5: <test-results total= errors= failures= not-run= inconclusive= ignored= skipped= invalid=>
        $document = [xml](Get-Content -Raw $resultFile)
        $summary = $document.'test-results'
        $notPassed = 0
        foreach ($name in 'errors', 'failures', 'not-run', 'inconclusive', 'ignored', 'skipped', 'invalid') { $notPassed += [int]$summary.$name }
        $result.Total = [int]$summary.total
        $result.Failed = [int]$summary.errors + [int]$summary.failures
        $result.Passed = $result.Total - $notPassed
        # <test-case name= result="Failure|Error"><failure><message>
        $result.FailedTests = @($document.SelectNodes('//test-case[@result="Failure" or @result="Error"]') |
            ForEach-Object { Format-FailedTest $_.name "$($_.failure.message.InnerText)" })
    }
    return $result
}

function Install-KqlParser {
    # Microsoft's KQL parser (npm @kusto/language-service-next, pinned by tests/KqlParser/package-lock.json)
    # for the test that parses every query the module builds. Without Node the test is skipped, and says so.
    $folder = Join-Path $root 'tests/KqlParser'
    if (-not (Get-Command node -ErrorAction SilentlyContinue) -or -not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Write-Host 'Node.js is not on PATH: the KQL parser test will be skipped.' -ForegroundColor Yellow
        return
    }
    $installed = Join-Path $folder 'node_modules/.package-lock.json'
    if ((Test-Path $installed) -and (Get-Item -Force $installed).LastWriteTimeUtc -ge (Get-Item (Join-Path $folder 'package-lock.json')).LastWriteTimeUtc) { return }
    Write-Host "> npm ci (tests/KqlParser)" -ForegroundColor DarkGray
    # Trust the system's certificate store, as dotnet does (a registry behind a TLS-inspecting proxy is
    # trusted there, not in Node's own bundle); the setting lasts for this call only.
    $nodeOptions = $env:NODE_OPTIONS
    try {
        $env:NODE_OPTIONS = (@($nodeOptions, '--use-openssl-ca') | Where-Object { $_ }) -join ' '
        & npm ci --prefix $folder --no-audit --no-fund --no-update-notifier --loglevel=error | Write-Host
    }
    finally {
        $env:NODE_OPTIONS = $nodeOptions
    }
    if ($LASTEXITCODE -ne 0) { Write-Host 'npm ci failed: the KQL parser test will be skipped.' -ForegroundColor Yellow }
}

function Invoke-Test {
    New-Item -ItemType Directory -Force $resultsDir | Out-Null
    Install-KqlParser
    $xunit = Invoke-XunitTests
    # The package too: a Pester test installs it with Install-PSResource and runs it by name.
    Invoke-Package
    $pester = Invoke-PesterTests
    Write-Host ''
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed (of $($xunit.Total))"
    Write-Host "pester: $($pester.Passed) passed, $($pester.Failed) failed (of $($pester.Total))"
    Write-Host "$($xunit.Passed + $pester.Passed) passed, $($xunit.Failed + $pester.Failed) failed"
    # The names again at the very end: a CI log is often read from its tail, far below the suites' own output.
    foreach ($failed in @($xunit.FailedTests) + @($pester.FailedTests)) { Write-Host "  failed: $failed" }
    $problems = @()
    if ($xunit.ExitCode -ne 0 -or $xunit.Failed -gt 0) { $problems += 'xunit tests failed' }
    if ($pester.ExitCode -ne 0 -or $pester.Failed -gt 0) { $problems += 'Pester tests failed' }
    # A suite that ran nothing is a broken run, not a green one.
    if ($xunit.Passed -eq 0) { $problems += 'the xunit suite ran no test (no result file, or an empty one)' }
    if ($pester.Passed -eq 0) { $problems += 'the Pester suite ran no test (no result file, or an empty one)' }
    if ($problems) { throw "Tests did not pass: $($problems -join '; ')." }
}

function Invoke-Package {
    Invoke-Build
    $version = Get-ModuleVersion
    $package = Join-Path $out "$moduleName.$version.nupkg"
    Remove-Item $package -ErrorAction SilentlyContinue
    # PSResourceGet writes the nuspec from the manifest (tags, PSModule/PSCmdlet_ tags, license and
    # project links, release notes), as Publish-PSResource does for the gallery.
    Import-Module Microsoft.PowerShell.PSResourceGet
    Compress-PSResource -Path $moduleDir -DestinationPath $out
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Add-CommandTag -Package $package -Manifest (Import-PowerShellDataFile (Join-Path $moduleDir "$moduleName.psd1"))
    Write-Host "Package written: $package" -ForegroundColor Green
}

function Add-CommandTag {
    # Compress-PSResource (PSResourceGet 1.2) leaves out the tags that galleries search commands by
    # (Find-PSResource -CommandName, Find-Module -Command): PSIncludes_Cmdlet, PSCmdlet_<name>,
    # PSCommand_<name>, as PowerShellGet 2's Publish-Module wrote them. Add them to its nuspec.
    param([string] $Package, [hashtable] $Manifest)
    $commandTags = @('PSIncludes_Cmdlet') + ($Manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    Add-Type -AssemblyName System.IO.Compression
    $zip = [System.IO.Compression.ZipFile]::Open($Package, [System.IO.Compression.ZipArchiveMode]::Update)
    try {
        $entry = $zip.Entries | Where-Object FullName -EQ "$moduleName.nuspec"
        $reader = [System.IO.StreamReader]::new($entry.Open())
        try { $nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
        $tags = $nuspec.package.metadata['tags']
        $tags.InnerText = ((@($tags.InnerText -split '\s+' | Where-Object { $_ }) + $commandTags) | Select-Object -Unique) -join ' '
        $entry.Delete()
        $writer = [System.IO.StreamWriter]::new($zip.CreateEntry("$moduleName.nuspec").Open(), [System.Text.UTF8Encoding]::new($false))
        try { $nuspec.Save($writer) } finally { $writer.Dispose() }
    }
    finally {
        $zip.Dispose()
    }
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
