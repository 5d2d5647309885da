BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force

    function New-Folder {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $folder
    }
}

Describe 'Set-IoTEdgeContainerLogRotation' {
    It 'creates a missing daemon.json in the checklist layout and says the engine must restart' {
        $path = Join-Path (New-Folder) 'etc/docker/daemon.json'
        Set-IoTEdgeContainerLogRotation -DaemonConfigPath $path -WarningVariable said -WarningAction SilentlyContinue
        Get-Content -Raw $path | Should -BeExactly "{`n    `"log-driver`": `"json-file`",`n    `"log-opts`": {`n        `"max-size`": `"10m`",`n        `"max-file`": `"3`"`n    }`n}`n"
        "$said" | Should -Match 'systemctl restart docker'
    }

    It 'merges into the sample daemon.json, other keys kept, with a backup; a second run writes nothing' {
        $folder = New-Folder
        $path = Join-Path $folder 'daemon.json'
        Copy-Item (Join-Path $Samples 'edge/daemon.json') $path
        Set-IoTEdgeContainerLogRotation -DaemonConfigPath $path -Driver json-file -MaxSize 20m -MaxFile 5 -WarningAction SilentlyContinue
        $text = Get-Content -Raw $path
        $text | Should -Match '"log-driver": "json-file"'
        $text | Should -Match '"max-size": "20m"'
        $text | Should -Match '"registry-mirrors": \["https://mirror.contoso.com"\]'
        Get-ChildItem $folder -Filter 'daemon.json.*.bak' | Should -HaveCount 1

        Set-IoTEdgeContainerLogRotation -DaemonConfigPath $path -Driver json-file -MaxSize 20m -MaxFile 5 -WarningVariable again -WarningAction SilentlyContinue
        Get-ChildItem $folder -Filter 'daemon.json.*.bak' | Should -HaveCount 1
        $again | Should -BeNullOrEmpty -Because 'nothing changed, so there is no engine to restart'
        Get-Content -Raw $path | Should -BeExactly $text
    }

    It 'shows the change with -WhatIf and writes nothing' {
        $path = Join-Path (New-Folder) 'daemon.json'
        Set-Content -Path $path -Value "{`n    `"debug`": true`n}`n" -NoNewline
        $shown = Invoke-ChildPwsh -ArgumentList @('-Command', "Import-Module '$ManifestPath'; Set-IoTEdgeContainerLogRotation -DaemonConfigPath '$path' -Driver local -WhatIf") | Out-String
        $shown | Should -Match 'Rotate container logs: log-driver local, max-size 10m, max-file 3'
        $shown | Should -Match '\+    "log-driver": "local",'
        Get-Content -Raw $path | Should -BeExactly "{`n    `"debug`": true`n}`n"
    }

    It 'returns the passing container-engine-logrotate check with -PassThru, and takes a check result''s Path from the pipeline' {
        $path = Join-Path (New-Folder) 'daemon.json'
        Set-Content -Path $path -Value '{ "dns": ["10.0.0.53"] }'
        $result = [pscustomobject]@{ Path = $path } | Set-IoTEdgeContainerLogRotation -PassThru -WarningAction SilentlyContinue
        $result.CheckId | Should -Be 'container-engine-logrotate'
        $result.Status | Should -Be 'Pass'
        $result.PSObject.TypeNames[0] | Should -Be 'IoTEdgeTroubleshoot.Edge.IoTEdgeCheckResult'
    }

    It 'refuses malformed JSON with file, line and column, and writes nothing' {
        $path = Join-Path (New-Folder) 'daemon.json'
        Set-Content -Path $path -Value "{`n  `"debug`": true,`n}" -NoNewline
        Set-IoTEdgeContainerLogRotation -DaemonConfigPath $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'JsonNotValid,IoTEdgeTroubleshoot.Commands.SetIoTEdgeContainerLogRotationCommand'
        "$($failed[0])" | Should -BeLike "$($path):3:1: *"
        Get-Content -Raw $path | Should -BeExactly "{`n  `"debug`": true,`n}"
        Get-ChildItem (Split-Path $path) -Filter '*.bak' | Should -BeNullOrEmpty
    }

    It 'refuses log-opts that is not an object at its place' {
        $path = Join-Path (New-Folder) 'daemon.json'
        Set-Content -Path $path -Value "{`n  `"log-opts`": `"max-size=10m`"`n}`n" -NoNewline
        Set-IoTEdgeContainerLogRotation -DaemonConfigPath $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'JsonNotValid,IoTEdgeTroubleshoot.Commands.SetIoTEdgeContainerLogRotationCommand'
        "$($failed[0])" | Should -BeLike "$($path):2:15: *log-opts is a string*"
    }

    It 'refuses a size docker would not take, before reading any file' {
        { Set-IoTEdgeContainerLogRotation -DaemonConfigPath (Join-Path $TestDrive 'x.json') -MaxSize '10 MB' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.SetIoTEdgeContainerLogRotationCommand'
        { Set-IoTEdgeContainerLogRotation -DaemonConfigPath (Join-Path $TestDrive 'x.json') -Driver syslog } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IoTEdgeTroubleshoot.Commands.SetIoTEdgeContainerLogRotationCommand'
        Test-Path (Join-Path $TestDrive 'x.json') | Should -BeFalse
    }
}
