complete -c sessctl -l file -d 'Work on this one configuration file (the commit target)' -r
complete -c sessctl -l color -d 'Colour: auto (on a terminal), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sessctl -l format -d 'lint: human, json, sarif or github' -r -f -a "human\t''
json\t''
sarif\t''
github\t''"
complete -c sessctl -l deny -d 'lint: fail on warnings too' -r -f -a "warnings\t''"
complete -c sessctl -l select -d 'lint: run only these rules (codes or names, comma-separated)' -r
complete -c sessctl -l ignore -d 'lint: skip these rules (codes or names, comma-separated)' -r
complete -c sessctl -l max-timeout -d 'lint: SS105\'s threshold (default 60)' -r
complete -c sessctl -l explain -d 'lint: print a rule\'s documentation' -r
complete -c sessctl -l dry-run -d 'Print the unified diff of what would change; write nothing'
complete -c sessctl -l diff -d 'Write the change and print its unified diff'
complete -c sessctl -l force -d 'Write even if the result breaks an ASP.NET runtime rule'
complete -c sessctl -l json -d 'Print one JSON document on stdout'
complete -c sessctl -l show-secrets -d 'Print passwords in connection strings instead of ****'
complete -c sessctl -l fix -d 'lint: apply the safe fixes (with --dry-run: print them)'
complete -c sessctl -s h -l help -d 'Print help'
complete -c sessctl -s V -l version -d 'Print version'
