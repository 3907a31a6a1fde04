
use builtin;
use str;

set edit:completion:arg-completer[sessctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sessctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sessctl'= {
            cand --root 'The server tree that stands for the system drive (default: $SESSCTL_ROOT; on Windows the machine itself, its %SystemDrive%)'
            cand --bitness 'Read the 32-bit (Framework) or 64-bit (Framework64) machine.config and root web.config'
            cand --drive 'Map another drive letter (X:=DIR) or a network share (\\server\share=DIR) of the server to a folder'
            cand --file 'Work on this one configuration file (the commit target)'
            cand --color 'Colour: auto (on a terminal), always or never'
            cand --format 'lint: human, json, sarif or github'
            cand --deny 'lint: fail on warnings too'
            cand --select 'lint: run only these rules (codes or names, comma-separated)'
            cand --ignore 'lint: skip these rules (codes or names, comma-separated)'
            cand --exclude 'lint: leave out paths matching GLOB (gitignore syntax) in the folder walk'
            cand --max-timeout 'lint: SS105''s threshold (default 60)'
            cand --explain 'lint: print a rule''s documentation'
            cand --show-origin 'list: show the file and line each effective value comes from'
            cand --dry-run 'Print the unified diff of what would change; write nothing'
            cand --diff 'Write the change and print its unified diff'
            cand --create 'set --file: create FILE when it does not exist (a missing FILE is an error otherwise)'
            cand --force 'Write even if the result breaks an ASP.NET runtime rule'
            cand --json 'Print one JSON document on stdout'
            cand --show-secrets 'Print passwords in connection strings instead of ****'
            cand --fix 'lint: apply the safe fixes (with --dry-run: print them)'
            cand --what-if 'dsc set: compute and report the final state; write nothing'
            cand --farm 'lint: compare the servers ROOT ROOT... of a web farm (SS301-SS304)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
