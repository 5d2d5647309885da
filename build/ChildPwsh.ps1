# Dot-sourced by build.ps1, the Pester suite and the benchmark: how to start a fresh pwsh like the
# one running now. An installed PowerShell has a pwsh executable in $PSHOME; the .NET tool
# (dotnet tool restore, then dotnet pwsh) runs pwsh.dll inside the dotnet host instead.

function Get-ChildPwshCommand {
    # Returns the program and the arguments that come before pwsh's own.
    foreach ($name in 'pwsh', 'pwsh.exe') {
        $executable = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $executable -PathType Leaf) { return @{ Program = $executable; Prefix = @() } }
    }

    $library = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path -LiteralPath $library -PathType Leaf)) { throw "Cannot find pwsh or pwsh.dll in '$PSHOME'." }
    return @{ Program = [System.Environment]::ProcessPath; Prefix = @($library) }
}

function Invoke-ChildPwsh {
    # Runs a fresh pwsh with these arguments and returns what it printed (stdout and stderr).
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $child = Get-ChildPwshCommand
    $arguments = @($child.Prefix) + @('-NoProfile', '-NonInteractive') + $ArgumentList
    & $child.Program @arguments 2>&1
}
