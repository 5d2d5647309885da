# The ReadyToRun images of Core (runtimes/<rid>/, build/ReadyToRun): what ships, that PowerShell 7.6 on
# linux-x64 runs the image and its native code, and that anything amiss falls back to the IL at the root.
BeforeDiscovery {
    # The images carry .NET 10 code; this machine tests the linux-x64 one.
    $script:RunsLinuxX64Image = $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64' -and [Environment]::Version.Major -ge 10
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:ModuleRoot = Split-Path $ManifestPath
    $script:RootCore = Join-Path $ModuleRoot 'IoTEdgeTroubleshoot.Core.dll'
    $script:LinuxX64Image = Join-Path $ModuleRoot 'runtimes/linux-x64/IoTEdgeTroubleshoot.Core.dll'

    function Read-PEImage([string] $Path) {
        # The CLR header, the ReadyToRun header it points to, and the metadata's module id.
        $stream = [System.IO.File]::OpenRead($Path)
        $reader = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        try {
            $headers = $reader.PEHeaders
            $native = $headers.CorHeader.ManagedNativeHeaderDirectory
            $signature = $null; $major = $null
            $offset = 0
            if ($native.Size -gt 0 -and $headers.TryGetDirectoryOffset($native, [ref]$offset)) {
                $blob = $reader.GetEntireImage().GetReader($offset, $native.Size)
                $signature = $blob.ReadUInt32()
                $major = $blob.ReadUInt16()
            }
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($reader)
            [pscustomobject]@{
                Machine          = [int]$headers.CoffHeader.Machine
                Flags            = $headers.CorHeader.Flags
                NativeHeaderSize = $native.Size
                Signature        = $signature
                R2RMajorVersion  = $major
                Mvid             = $metadata.GetGuid($metadata.GetModuleDefinition().Mvid)
                MethodBodies     = @($metadata.MethodDefinitions | Where-Object { $metadata.GetMethodDefinition($_).RelativeVirtualAddress -ne 0 }).Count
            }
        }
        finally {
            $reader.Dispose()
            $stream.Dispose()
        }
    }

    function New-ModuleCopy([string] $Name) {
        $copy = Join-Path $TestDrive $Name
        Copy-Item -Recurse $ModuleRoot $copy
        return $copy
    }

    function Invoke-ModuleInChild([string] $Module) {
        # A fresh pwsh: the loader decides before anything of the module is in the process.
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $Module 'IoTEdgeTroubleshoot.psd1')'
"STATUS=`$([IoTEdgeTroubleshoot.Loading.ReadyToRunLoader]::Status)"
"CORE=`$([IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly.Location)"
"COMMANDS=`$(@(Get-Command -Module IoTEdgeTroubleshoot).Count)"
`$jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount()
"EVENTS=`$(@(Get-IoTHubConnectionEvent -Path '$ConnectionsSample').Count)"
"RESOLUTIONS=`$(@(Get-IoTHubConnectionError -Path '$ConnectionsSample' | Resolve-IoTHubConnectionError).Count)"
"DIAGNOSES=`$(@(Get-IoTHubDisconnectDiagnosis -Path '$ConnectionsSample').Count)"
"CONFIG=`$(@(Test-IoTEdgeConfig -Path '$(Join-Path $RepoRoot 'tests/IoTEdgeTroubleshoot.Core.Tests/Edge/Configs/linux-1.1-manual.yaml')').Count)"
"ISSUES=`$(@(Find-IoTEdgeKnownIssue -Path '$(Join-Path $Samples 'edge/logs')').Count)"
"JIT=`$([System.Runtime.JitInfo]::GetCompiledMethodCount() - `$jitted)"
"@
        $output = Invoke-ChildPwsh -ArgumentList @('-Command', $script) | ForEach-Object { "$_" }
        $values = @{ Output = $output -join [Environment]::NewLine }
        foreach ($line in $output) { if ($line -match '^([A-Z]+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }
        return $values
    }

    function Assert-EveryCommandWorks($Child) {
        # The same answers as the module imported in this session gives.
        $Child.Count | Should -Be 10 -Because $Child.Output
        [int]$Child.COMMANDS | Should -Be (Import-PowerShellDataFile $ManifestPath).CmdletsToExport.Count
        [int]$Child.EVENTS | Should -Be @(Get-IoTHubConnectionEvent -Path $ConnectionsSample).Count
        [int]$Child.RESOLUTIONS | Should -Be @(Get-IoTHubConnectionError -Path $ConnectionsSample | Resolve-IoTHubConnectionError).Count
        [int]$Child.DIAGNOSES | Should -Be @(Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample).Count
        [int]$Child.CONFIG | Should -BeGreaterThan 0
        [int]$Child.ISSUES | Should -BeGreaterThan 0
    }
}

Describe 'The ReadyToRun images of Core' {
    It 'ships one per platform, each the root''s Core (IL kept) with native code for that machine' {
        # IMAGE_FILE_MACHINE_AMD64 / ARM64; a Linux image has the machine XOR-ed with 0x7B79.
        $expected = @{ 'linux-x64' = 0x8664 -bxor 0x7B79; 'linux-arm64' = 0xAA64 -bxor 0x7B79; 'win-x64' = 0x8664 }
        (Get-ChildItem (Join-Path $ModuleRoot 'runtimes') -Directory).Name | Sort-Object | Should -Be @($expected.Keys | Sort-Object)

        $il = Read-PEImage $RootCore
        $il.NativeHeaderSize | Should -Be 0 -Because 'the root keeps the plain IL for Windows PowerShell and every other platform'
        foreach ($rid in $expected.Keys) {
            $image = Read-PEImage (Join-Path $ModuleRoot "runtimes/$rid/IoTEdgeTroubleshoot.Core.dll")
            $image.Flags.HasFlag([System.Reflection.PortableExecutable.CorFlags]::ILLibrary) | Should -BeTrue -Because "$rid is a ReadyToRun image"
            $image.NativeHeaderSize | Should -BeGreaterThan 0
            $image.Signature | Should -Be 0x00525452 -Because "$rid's native header is a ReadyToRun header ('RTR')"
            $image.R2RMajorVersion | Should -BeGreaterOrEqual 16 -Because 'the code is .NET 10''s format, which PowerShell 7.6 runs'
            $image.Machine | Should -Be $expected[$rid]
            $image.Mvid | Should -Be $il.Mvid -Because 'the image is the same compilation as the root''s Core'
            $image.MethodBodies | Should -Be $il.MethodBodies -Because 'every method keeps its IL'
        }
    }

    It 'is loaded here, from runtimes/linux-x64, and the loader says so' -Skip:(-not $RunsLinuxX64Image) {
        $core = [IoTEdgeTroubleshoot.Hub.IoTHubConnectionEvent].Assembly
        $core.Location | Should -Be $LinuxX64Image
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        # Imported in an earlier test file of this run, or freshly: either way the image.
        [IoTEdgeTroubleshoot.Loading.ReadyToRunLoader]::Status | Should -BeIn @("ReadyToRun: $LinuxX64Image", "ReadyToRun: Core already loaded from $LinuxX64Image")
        (Get-Module IoTEdgeTroubleshoot).NestedModules.Name | Should -Contain 'IoTEdgeTroubleshoot.Loader'
    }

    It 'is one Core with the cmdlets: the type PowerShell names is the output''s, and the views apply' -Skip:(-not $RunsLinuxX64Image) {
        $diagnoses = @(Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample)
        $type = [IoTEdgeTroubleshoot.Hub.Diagnosis.IoTHubDisconnectDiagnosis]
        $type.Assembly.Location | Should -Be $LinuxX64Image
        (Get-Command Get-IoTHubDisconnectDiagnosis).OutputType.Type | Should -Contain $type
        $diagnoses[0] -is $type | Should -BeTrue
        $diagnoses[0].GetType() | Should -Be $type
        ($diagnoses | Format-Table | Out-String) | Should -Match 'Pattern\s+Device\s+Confidence\s+Evidence\s+Solution'
        (Get-Command Get-IoTHubDisconnectDiagnosis).Parameters['MinimumConfidence'].ParameterType.Assembly.Location | Should -Be $LinuxX64Image
    }

    It 'answers an import again (-Force) from the Core already loaded' -Skip:(-not $RunsLinuxX64Image) {
        Import-Module $ManifestPath -Force
        [IoTEdgeTroubleshoot.Loading.ReadyToRunLoader]::Status | Should -Be "ReadyToRun: Core already loaded from $LinuxX64Image"
        @(Get-IoTHubDisconnectDiagnosis -Path $ConnectionsSample).Count | Should -BeGreaterThan 10
    }

    It 'runs native code: a fresh process jits fewer methods than the same module without runtimes/' -Skip:(-not $RunsLinuxX64Image) {
        # The IL first: a first process may pay for caches, which would only shrink the difference.
        $ilOnly = New-ModuleCopy 'il-only'
        Remove-Item -Recurse (Join-Path $ilOnly 'runtimes')
        $withIL = Invoke-ModuleInChild $ilOnly
        $withImage = Invoke-ModuleInChild $ModuleRoot

        $withImage.STATUS | Should -Be "ReadyToRun: $LinuxX64Image" -Because $withImage.Output
        Assert-EveryCommandWorks $withImage
        # Without runtimes/ the loader says so, the root's IL serves, and every command still works.
        $withIL.STATUS | Should -Be "IL: $(Join-Path $ilOnly 'runtimes/linux-x64/IoTEdgeTroubleshoot.Core.dll') is missing" -Because $withIL.Output
        $withIL.CORE | Should -Be (Join-Path $ilOnly 'IoTEdgeTroubleshoot.Core.dll')
        Assert-EveryCommandWorks $withIL
        # The methods jitted by the six commands' first calls (the rest is PowerShell's own dynamic code).
        [int]$withImage.JIT | Should -BeLessThan ([int]$withIL.JIT * 0.8) -Because "ReadyToRun $($withImage.JIT), IL $($withIL.JIT)"
    }

    It 'falls back to the IL when the image is <Case>' -Skip:(-not $RunsLinuxX64Image) -ForEach @(
        @{ Case = 'garbage'; Expected = 'could not be loaded' }
        @{ Case = 'cut short'; Expected = 'could not be loaded' }
        @{ Case = 'another assembly'; Expected = 'is another build of Core than the module root''s' }
        @{ Case = 'a folder'; Expected = 'is missing' }
    ) {
        $copy = New-ModuleCopy ($Case -replace ' ', '-')
        $image = Join-Path $copy 'runtimes/linux-x64/IoTEdgeTroubleshoot.Core.dll'
        $bytes = [System.IO.File]::ReadAllBytes($image)
        Remove-Item $image
        switch ($Case) {
            'garbage' { [System.IO.File]::WriteAllBytes($image, [byte[]](1..4096 | ForEach-Object { $_ % 251 })) }
            'cut short' { [System.IO.File]::WriteAllBytes($image, $bytes[0..4095]) }
            'another assembly' { Copy-Item (Join-Path $copy 'IoTEdgeTroubleshoot.Isolation.dll') $image }
            'a folder' { New-Item -ItemType Directory $image | Out-Null }
        }

        $child = Invoke-ModuleInChild $copy

        $child.STATUS | Should -BeLike "IL: $image *$Expected*" -Because $child.Output
        $child.CORE | Should -Be (Join-Path $copy 'IoTEdgeTroubleshoot.Core.dll')
        Assert-EveryCommandWorks $child
    }
}
