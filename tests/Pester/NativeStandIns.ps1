# Recording stand-ins for the native tools the module runs (iotedge, systemctl, journalctl, docker ...), as
# Crescendo's EchoTool does: a small POSIX shell script per tool, in a folder put first on PATH, that
# appends the arguments it received to a log, prints fixture output (per verb, its first argument, if one
# is given for it), writes to standard error, and exits with the code asked for. The scripts use only
# shell built-ins, so PATH may hold nothing but their folder (-Exclusive): the machine's own systemctl
# can never answer instead. Self-contained: dot-source this file in a test file's BeforeAll.

function New-NativeStandIn {
    # Creates (or replaces) the stand-in for one tool in $Folder and returns where its log is.
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string] $Name,
        # Printed on standard output for any call; -OutputFile prints a file instead.
        [string] $Output = '',
        [string] $OutputFile,
        # Printed for a call whose first argument is the key ('list', 'show'): verb => file.
        [hashtable] $OutputFileFor = @{},
        # Printed for a call that has the key among its arguments ('iotedge logs edgeHub'): argument => file.
        [hashtable] $OutputFileForArgument = @{},
        # For a call that has the key among its arguments: that message on standard error, and exit code 1.
        [hashtable] $FailFor = @{},
        [string] $StandardError = '',
        # Seconds to wait after printing, before exiting (a tool that keeps running); needs 'sleep' on PATH.
        [int] $SleepSeconds = 0,
        [int] $ExitCode = 0
    )
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $data = Join-Path $Folder ".$Name"
    Remove-Item -Recurse -Force $data -ErrorAction SilentlyContinue
    New-Item -ItemType Directory $data | Out-Null
    if ($OutputFile) { Copy-Item -LiteralPath $OutputFile (Join-Path $data 'out') } else { [IO.File]::WriteAllText((Join-Path $data 'out'), $Output) }
    foreach ($verb in $OutputFileFor.Keys) {
        if ($verb -notmatch '^[A-Za-z0-9_-]+$') { throw "A verb of a stand-in is a plain word, not '$verb'." }
        Copy-Item -LiteralPath $OutputFileFor[$verb] (Join-Path $data "out.$verb")
    }
    foreach ($argument in @($OutputFileForArgument.Keys) + @($FailFor.Keys)) {
        if ($argument -notmatch '^[A-Za-z0-9_-]+$') { throw "An argument a stand-in answers to is a plain word, not '$argument'." }
    }
    foreach ($argument in $OutputFileForArgument.Keys) { Copy-Item -LiteralPath $OutputFileForArgument[$argument] (Join-Path $data "arg.$argument") }
    foreach ($argument in $FailFor.Keys) { [IO.File]::WriteAllText((Join-Path $data "fail.$argument"), $FailFor[$argument]) }
    [IO.File]::WriteAllText((Join-Path $data 'err'), $StandardError)

    # Arguments of one call on one line, separated by the unit separator (0x1F), so spaces stay inside an argument.
    $script = @'
#!/bin/sh
data="${0%/*}/.__NAME__"
sep=$(printf '\037')
line=""
first=1
for argument in "$@"; do
    if [ $first -eq 1 ]; then line="$argument"; first=0; else line="$line$sep$argument"; fi
done
printf '%s\n' "$line" >> "$data/calls"
show() { while IFS= read -r text || [ -n "$text" ]; do printf '%s\n' "$text"; done < "$1"; }
case "$1" in
    ''|*[!A-Za-z0-9_-]*) out="$data/out" ;;
    *) if [ -f "$data/out.$1" ]; then out="$data/out.$1"; else out="$data/out"; fi ;;
esac
for argument in "$@"; do
    case "$argument" in
        ''|*[!A-Za-z0-9_-]*) ;;
        *)
            if [ -f "$data/fail.$argument" ]; then show "$data/fail.$argument" >&2; exit 1; fi
            if [ -f "$data/arg.$argument" ]; then out="$data/arg.$argument"; fi ;;
    esac
done
show "$out"
if [ -s "$data/err" ]; then show "$data/err" >&2; fi
if [ __SLEEP__ -gt 0 ]; then sleep __SLEEP__; fi
exit __EXIT__
'@
    $script = $script.Replace('__NAME__', $Name).Replace('__EXIT__', [string]$ExitCode).Replace('__SLEEP__', [string]$SleepSeconds).Replace("`r`n", "`n")
    $path = Join-Path $Folder $Name
    [IO.File]::WriteAllText($path, $script)
    # .NET rather than chmod: PATH may already hold nothing but stand-ins
    [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    [pscustomobject]@{ Name = $Name; Path = $path; Log = Join-Path $data 'calls' }
}

function Get-NativeStandInCall {
    # The calls a stand-in received, oldest first: each call one string[] of its arguments (never unrolled).
    # Collect them with @(...): @(Get-NativeStandInCall ...)[0] is the first call's argument list.
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $Name)
    $log = Join-Path $Folder ".$Name/calls"
    if (-not (Test-Path -LiteralPath $log)) { return }
    foreach ($line in [IO.File]::ReadAllLines($log)) { , [string[]]($line -split [char]0x1F) }
}

function Use-NativeStandIn {
    # Puts the stand-ins' folder first on PATH (alone with -Exclusive) and returns the PATH to put back.
    param([Parameter(Mandatory)] [string] $Folder, [switch] $Exclusive)
    $previous = $env:PATH
    $env:PATH = if ($Exclusive) { $Folder } else { "$Folder$([IO.Path]::PathSeparator)$env:PATH" }
    $previous
}
