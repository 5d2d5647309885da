# Every exported command documents itself: synopsis, description, an example, every parameter.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Commands = Get-Command -Module IoTEdgeTroubleshoot | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ManifestPath -Force
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $Commands {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -BeLike "*$Name*[<]CommonParameters[>]*" # not the generated stub
        ($Help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        @($Help.Examples.Example).Count | Should -BeGreaterThan 0
        $Help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
        (Get-Help $Name -Examples).Examples | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter' {
        $documented = @($Help.Parameters.Parameter.Name)
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $documented | Should -Contain $parameter -Because "-$parameter of $Name needs help"
            $entry = $Help.Parameters.Parameter | Where-Object Name -EQ $parameter
            ($entry.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'says the position each parameter has' {
        foreach ($entry in @($Help.Parameters.Parameter | Where-Object { $Command.Parameters.ContainsKey($_.Name) })) {
            $declared = @($Command.Parameters[$entry.Name].ParameterSets.Values | ForEach-Object { if ($_.Position -lt 0) { 'named' } else { "$($_.Position)" } } | Sort-Object -Unique)
            $declared | Should -Contain "$($entry.Position)" -Because "-$($entry.Name) of $Name is declared at $($declared -join ' or ')"
        }
    }
}

Describe 'about_IoTEdgeTroubleshoot' {
    It 'exists' {
        Get-Help about_IoTEdgeTroubleshoot | Should -Not -BeNullOrEmpty
    }
}

Describe 'about_IoTEdgeTroubleshoot' {
    BeforeAll {
        $script:About = Get-Content (Join-Path (Split-Path $ManifestPath) 'en-US/about_IoTEdgeTroubleshoot.help.txt')
        # The terms of a section: lines indented by exactly four spaces, between its heading and the next.
        function Get-SectionTerm([string] $heading) {
            $start = [array]::IndexOf($About, "  $heading")
            $start | Should -BeGreaterThan 0 -Because "the about topic needs a section '$heading'"
            $terms = @()
            for ($i = $start + 1; $i -lt $About.Count -and $About[$i] -notmatch '^  \S'; $i++) {
                if ($About[$i] -match '^    (\S+)\s*$') { $terms += $Matches[1] }
            }
            $terms
        }
    }

    It 'documents every ErrorId the module can write' {
        $documented = Get-SectionTerm 'ERROR IDS'
        foreach ($id in [IoTEdgeTroubleshoot.Platform.ErrorIds]::All) {
            $documented | Should -Contain $id -Because "ErrorId $id must be explained in about_IoTEdgeTroubleshoot"
        }
        $documented | Where-Object { $_ -notin [IoTEdgeTroubleshoot.Platform.ErrorIds]::All } | Should -BeNullOrEmpty -Because 'the topic lists no id the module does not write'
    }

    It 'documents every check id, in the order the checks run' {
        Get-SectionTerm 'CHECK IDS' | Should -Be ([IoTEdgeTroubleshoot.Edge.Config.ConfigChecks]::CheckIds)
    }

    It 'documents every network check id, in the order Test-IoTEdgeFirewall writes them' {
        Get-SectionTerm 'NETWORK CHECK IDS' | Should -Be ([IoTEdgeTroubleshoot.Edge.Network.PortGuide]::CheckIds)
    }

    It 'is what Get-Help shows' {
        (Get-Help about_IoTEdgeTroubleshoot | Out-String) | Should -Match 'ERROR IDS'
    }
}
