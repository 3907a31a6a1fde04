
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sessctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sessctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sessctl' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Work on this one configuration file (the commit target)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (on a terminal), always or never')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'lint: human, json, sarif or github')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'lint: fail on warnings too')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'lint: run only these rules (codes or names, comma-separated)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'lint: skip these rules (codes or names, comma-separated)')
            [CompletionResult]::new('--max-timeout', '--max-timeout', [CompletionResultType]::ParameterName, 'lint: SS105''s threshold (default 60)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'lint: print a rule''s documentation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the unified diff of what would change; write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Write the change and print its unified diff')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result breaks an ASP.NET runtime rule')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print passwords in connection strings instead of ****')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'lint: apply the safe fixes (with --dry-run: print them)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
