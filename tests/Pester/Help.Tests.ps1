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
}

Describe 'about_IoTEdgeTroubleshoot' {
    It 'exists' {
        Get-Help about_IoTEdgeTroubleshoot | Should -Not -BeNullOrEmpty
    }
}
