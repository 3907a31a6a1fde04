//! Shell completion scripts that know the domain: verbs and objects, `/section:` values, the
//! `/ATTR:` names of the chosen section, enum and bool values, `/commit:` keywords, rule codes
//! and names for `--select`, `--ignore` and `--explain`, and shell names. Every list comes from
//! the schema, rule and flag tables ([`Lists`]), and each script carries the same lists, so
//! they cannot drift apart. Elvish gets clap's generic script.
//!
//! Bash splits words at `:` and `=` (they are in `COMP_WORDBREAKS`), so `/section:sess` reaches
//! the bash function as the three words `/section`, `:`, `sess`; the script rebuilds the
//! parameter from them (and also handles a `COMP_WORDBREAKS` without `:`).

use super::args::FLAGS;
use super::request::COMMIT_KEYWORDS;
use crate::lint::rules::RULES;
use crate::schema::{ValueType, SECTIONS};

/// The shells `completions` takes.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish", "powershell", "elvish"];

/// Every list a completion script needs, space-separated, from the tables.
#[derive(Debug, Clone)]
pub struct Lists {
    /// Verbs.
    pub verbs: String,
    /// Objects after a verb.
    pub objects: String,
    /// `/section:` values.
    pub sections: String,
    /// `/commit:` values.
    pub commits: String,
    /// Rule codes and names.
    pub rules: String,
    /// Shell names.
    pub shells: String,
    /// GNU options with their `--`.
    pub flags: String,
    /// (section short name, attribute names).
    pub attributes: Vec<(&'static str, String)>,
    /// (attribute name, its enum or bool values), for attributes that have a closed set.
    pub values: Vec<(&'static str, String)>,
    /// (option, its values), for options with a closed set.
    pub flag_values: Vec<(&'static str, String)>,
}

impl Lists {
    /// The lists, read from the tables.
    pub fn new() -> Lists {
        let mut values: Vec<(&'static str, String)> = Vec::new();
        for s in SECTIONS {
            for a in s.attributes {
                let v = match &a.ty {
                    ValueType::Enum(e) => e.iter().map(|v| v.name).collect::<Vec<_>>().join(" "),
                    ValueType::Bool => "true false".to_string(),
                    ValueType::TimeSpan { .. } => "Infinite".to_string(),
                    _ => continue,
                };
                if !values.iter().any(|(n, _)| *n == a.name) {
                    values.push((a.name, v));
                }
            }
        }
        let rules: Vec<&str> = RULES.iter().flat_map(|r| [r.code, r.name]).collect();
        let mut flags: Vec<String> = FLAGS.iter().map(|f| format!("--{}", f.long)).collect();
        flags.extend(["--help".to_string(), "--version".to_string()]);
        let mut commits: Vec<&str> = COMMIT_KEYWORDS.to_vec();
        commits.extend(["MACHINE", "MACHINE/WEBROOT", "MACHINE/WEBROOT/APPHOST"]);
        Lists {
            verbs: super::request::VERBS
                .iter()
                .copied()
                .chain(["help"])
                .collect::<Vec<_>>()
                .join(" "),
            objects: "config".into(),
            sections: SECTIONS
                .iter()
                .flat_map(|s| [s.name, s.path])
                .collect::<Vec<_>>()
                .join(" "),
            commits: commits.join(" "),
            rules: rules.join(" "),
            shells: SHELLS.join(" "),
            flags: flags.join(" "),
            attributes: SECTIONS
                .iter()
                .map(|s| {
                    (
                        s.name,
                        s.attributes
                            .iter()
                            .map(|a| a.name)
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .collect(),
            values,
            flag_values: vec![
                ("--format", "human json sarif github".into()),
                ("--color", "auto always never".into()),
                ("--deny", "warnings".into()),
                ("--select", rules.join(" ")),
                ("--ignore", rules.join(" ")),
                ("--explain", rules.join(" ")),
            ],
        }
    }

    /// Every attribute name of every section.
    fn all_attributes(&self) -> String {
        let mut all: Vec<&str> = Vec::new();
        for (_, a) in &self.attributes {
            for n in a.split(' ') {
                if !all.contains(&n) {
                    all.push(n);
                }
            }
        }
        all.join(" ")
    }
}

impl Default for Lists {
    fn default() -> Self {
        Lists::new()
    }
}

/// A `case` arm per (key, list), in the given shell's syntax.
fn arms(pairs: &[(&str, String)], arm: impl Fn(&str, &str) -> String) -> String {
    pairs.iter().map(|(k, v)| arm(k, v)).collect()
}

/// The bash script.
pub fn bash(l: &Lists) -> String {
    let value_arms = arms(&l.values, |k, v| {
        format!("            {k}) vals=\"{v}\" ;;\n")
    });
    let attr_arms = arms(&l.attributes, |k, v| {
        format!("        {}) echo \"{v}\" ;;\n", k.to_ascii_lowercase())
    });
    let flag_arms = arms(&l.flag_values, |k, v| {
        format!("        {k}) vals=\"{v}\" ;;\n")
    });
    format!(
        r#"# bash completion for sessctl (generated by `sessctl completions bash`)

_sessctl_reply() {{
    # Candidates from the word list $1 that start with $2 (no pathname expansion of '*').
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}}

_sessctl_section_attrs() {{
    local s="${{1,,}}"
    s="${{s#system.web/}}"
    case "$s" in
{attr_arms}        *) echo "{all_attrs}" ;;
    esac
}}

_sessctl_param_values() {{
    # $1: the parameter name without its / or -
    local name="${{1#!}}" vals=""
    case "${{name,,}}" in
        section) vals="{sections}" ;;
        commit) vals="{commits}" ;;
        config) vals="*" ;;
        text) vals="* $(_sessctl_section_attrs "$section")" ;;
        *)
            case "$name" in
{value_arms}            esac
            ;;
    esac
    echo "$vals"
}}

_sessctl() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    local prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local verb="" section="" positional=0 i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        case "$w" in
            [/-][Ss][Ee][Cc][Tt][Ii][Oo][Nn])
                if [[ "${{COMP_WORDS[i+1]}}" == ":" && $((i + 2)) -lt $COMP_CWORD ]]; then
                    section="${{COMP_WORDS[i+2]}}"
                fi ;;
            [/-][Ss][Ee][Cc][Tt][Ii][Oo][Nn]:*) section="${{w#*:}}" ;;
            :|=) ;;
            --*|[/-]*) ;;
            *)
                if [[ "${{COMP_WORDS[i-1]}}" != ":" && "${{COMP_WORDS[i-1]}}" != "=" ]]; then
                    positional=$((positional + 1))
                    [[ $positional -eq 1 ]] && verb="${{w,,}}"
                fi ;;
        esac
    done

    # A value after ':' (or '='), whether bash split the word there or not.
    local param="" value="" keep=""
    if [[ "$cur" == ":" || "$cur" == "=" ]]; then
        param="$prev"
    elif [[ "$prev" == ":" || "$prev" == "=" ]] && [[ $COMP_CWORD -ge 2 ]]; then
        param="${{COMP_WORDS[COMP_CWORD-2]}}"
        value="$cur"
    elif [[ "$cur" == --*=* ]]; then
        param="${{cur%%=*}}"
        value="${{cur#*=}}"
        keep="$param="
    elif [[ "$cur" == [/-]*:* && "$cur" != --* ]]; then
        param="${{cur%%:*}}"
        value="${{cur#*:}}"
        keep="$param:"
    fi
    local vals=""
    if [[ -n "$param" ]]; then
        if [[ "$param" == --* ]]; then
            case "$param" in
{flag_arms}            esac
        else
            vals="$(_sessctl_param_values "${{param:1}}")"
        fi
        _sessctl_reply "$vals" "$value"
        if [[ -n "$keep" ]]; then
            COMPREPLY=("${{COMPREPLY[@]/#/$keep}}")
        fi
        return 0
    fi

    case "$prev" in
{flag_arms}        --file) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
    esac
    if [[ -n "$vals" ]]; then
        _sessctl_reply "$vals" "$cur"
        return 0
    fi

    if [[ "$cur" == --* ]]; then
        _sessctl_reply "{flags}" "$cur"
        return 0
    fi
    if [[ "$cur" == [/-]* && "$verb" != "lint" ]]; then
        local params=""
        case "$verb" in
            set)
                for w in $(_sessctl_section_attrs "$section"); do params+=" /$w:"; done
                params+=" /section: /commit: /+providers.[ /-providers.[ /providers.[" ;;
            clear)
                for w in $(_sessctl_section_attrs "$section"); do params+=" /$w"; done
                params+=" /section: /commit: /providers.[" ;;
            list) params="/section: /config:* /text: /commit:" ;;
        esac
        _sessctl_reply "$params" "$cur"
        compopt -o nospace 2>/dev/null
        return 0
    fi

    case "$positional" in
        0) _sessctl_reply "{verbs}" "$cur" ;;
        *)
            case "$verb" in
                set|list|clear|search|lock|unlock) [[ $positional -eq 1 ]] && _sessctl_reply "{objects}" "$cur" ;;
                completions) [[ $positional -eq 1 ]] && _sessctl_reply "{shells}" "$cur" ;;
                help) [[ $positional -eq 1 ]] && _sessctl_reply "{verbs}" "$cur" ;;
                lint) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
            esac ;;
    esac
    return 0
}}

complete -o default -F _sessctl sessctl
"#,
        all_attrs = l.all_attributes(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
        objects = l.objects,
        shells = l.shells,
    )
}

/// The zsh script.
pub fn zsh(l: &Lists) -> String {
    let value_arms = arms(&l.values, |k, v| {
        format!("            {k}) vals=({v}) ;;\n")
    });
    let attr_arms = arms(&l.attributes, |k, v| {
        format!("        {}) attrs=({v}) ;;\n", k.to_ascii_lowercase())
    });
    let flag_arms = arms(&l.flag_values, |k, v| {
        format!("        {k}) vals=({v}) ;;\n")
    });
    format!(
        r#"#compdef sessctl
# zsh completion for sessctl (generated by `sessctl completions zsh`)

_sessctl() {{
    setopt localoptions extendedglob
    local cur="${{words[CURRENT]}}" prev="${{words[CURRENT-1]}}"
    local verb="" section="" w
    local -i positional=0 i
    local -a vals attrs params
    for ((i = 2; i < CURRENT; i++)); do
        w="${{words[i]}}"
        case "$w" in
            (#i)[/-]section:*) section="${{w#*:}}" ;;
            --*|[/-]*) ;;
            *) positional+=1; (( positional == 1 )) && verb="${{w:l}}" ;;
        esac
    done
    local s="${{section:l}}"
    s="${{s#system.web/}}"
    case "$s" in
{attr_arms}        *) attrs=({all_attrs}) ;;
    esac

    if [[ "$cur" == --*=* ]]; then
        case "${{cur%%=*}}" in
{flag_arms}        esac
        compadd -P "${{cur%%=*}}=" -- $vals
        return
    fi
    if [[ "$cur" == [/-]*:* && "$cur" != --* ]]; then
        local name="${{${{cur%%:*}}#?}}"
        name="${{name#!}}"
        case "${{name:l}}" in
            section) vals=({sections}) ;;
            commit) vals=({commits}) ;;
            config) vals=('*') ;;
            text) vals=('*' $attrs) ;;
            *)
                case "$name" in
{value_arms}                esac ;;
        esac
        compadd -P "${{cur%%:*}}:" -- $vals
        return
    fi
    case "$prev" in
{flag_arms}        --file) _files; return ;;
    esac
    if (( ${{#vals}} )); then
        compadd -- $vals
        return
    fi
    if [[ "$cur" == --* ]]; then
        compadd -- {flags}
        return
    fi
    if [[ "$cur" == [/-]* && "$verb" != lint ]]; then
        case "$verb" in
            set) params=(${{attrs/#/\/}}); params=(${{params/%/:}} /section: /commit: '/+providers.[' '/-providers.[' '/providers.[') ;;
            clear) params=(${{attrs/#/\/}} /section: /commit: '/providers.[') ;;
            list) params=(/section: '/config:*' /text: /commit:) ;;
        esac
        compadd -S '' -- $params
        return
    fi
    case "$positional" in
        0) compadd -- {verbs} ;;
        *)
            case "$verb" in
                set|list|clear|search|lock|unlock) (( positional == 1 )) && compadd -- {objects} ;;
                completions) (( positional == 1 )) && compadd -- {shells} ;;
                help) (( positional == 1 )) && compadd -- {verbs} ;;
                lint) _files ;;
            esac ;;
    esac
}}

if [[ "$funcstack[1]" == "_sessctl" ]]; then
    _sessctl "$@"
else
    compdef _sessctl sessctl
fi
"#,
        all_attrs = l.all_attributes(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
        objects = l.objects,
        shells = l.shells,
    )
}

/// The fish script.
pub fn fish(l: &Lists) -> String {
    let value_arms = arms(&l.values, |k, v| {
        format!("            case {k}\n                set vals {v}\n")
    });
    let attr_arms = arms(&l.attributes, |k, v| {
        format!(
            "        case {}\n            set attrs {v}\n",
            k.to_ascii_lowercase()
        )
    });
    let flag_arms = arms(&l.flag_values, |k, v| {
        format!("        case {k}\n            set vals {v}\n")
    });
    format!(
        r#"# fish completion for sessctl (generated by `sessctl completions fish`)

function __sessctl_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l verb ""
    set -l section ""
    set -l positional 0
    for w in $tokens[2..-1]
        switch $w
            case '/section:*' '-section:*' '/Section:*'
                set section (string replace -r '^[^:]*:' '' -- $w)
            case '--*' '/*' '-*'
            case '*'
                set positional (math $positional + 1)
                test $positional -eq 1; and set verb (string lower -- $w)
        end
    end
    set -l s (string replace -r '^system\.web/' '' -- (string lower -- "$section"))
    set -l attrs
    switch $s
{attr_arms}        case '*'
            set attrs {all_attrs}
    end
    set -l vals
    if string match -qr -- '^--[^=]+=' $cur
        set -l opt (string replace -r '=.*' '' -- $cur)
        switch $opt
{flag_arms}        end
        printf '%s\n' $opt=$vals
        return
    end
    if string match -qr -- '^[/-][^-][^:]*:' $cur
        set -l head (string replace -r ':.*' '' -- $cur)
        set -l name (string replace -r '^[/-]!?' '' -- $head)
        switch (string lower -- $name)
            case section
                set vals {sections}
            case commit
                set vals {commits}
            case config
                set vals '*'
            case text
                set vals '*' $attrs
            case '*'
                switch $name
{value_arms}                end
        end
        printf '%s\n' $head:$vals
        return
    end
    set -l prev $tokens[-1]
    switch $prev
{flag_arms}    end
    if test (count $vals) -gt 0
        printf '%s\n' $vals
        return
    end
    if string match -q -- '--*' $cur
        printf '%s\n' {flags}
        return
    end
    if string match -q -- '/*' $cur; and test "$verb" != lint
        switch $verb
            case set
                printf '/%s:\n' $attrs
                printf '%s\n' /section: /commit: '/+providers.[' '/-providers.[' '/providers.['
            case clear
                printf '/%s\n' $attrs
                printf '%s\n' /section: /commit: '/providers.['
            case list
                printf '%s\n' /section: '/config:*' /text: /commit:
        end
        return
    end
    if test $positional -eq 0
        printf '%s\n' {verbs}
    else if test $positional -eq 1
        switch $verb
            case set list clear search lock unlock
                printf '%s\n' {objects}
            case completions
                printf '%s\n' {shells}
            case help
                printf '%s\n' {verbs}
            case lint
                __fish_complete_path $cur
        end
    else if test "$verb" = lint
        __fish_complete_path $cur
    end
end

complete -c sessctl -f -a '(__sessctl_complete)'
"#,
        all_attrs = l.all_attributes(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
        objects = l.objects,
        shells = l.shells,
    )
}

/// A PowerShell array literal of the words of a list.
fn ps_array(list: &str) -> String {
    let items: Vec<String> = list.split(' ').map(|w| format!("'{w}'")).collect();
    format!("@({})", items.join(", "))
}

/// The PowerShell script.
pub fn powershell(l: &Lists) -> String {
    let value_arms = arms(&l.values, |k, v| {
        format!("                '{k}' {{ {} }}\n", ps_array(v))
    });
    let attr_arms = arms(&l.attributes, |k, v| {
        format!(
            "        '{}' {{ {} }}\n",
            k.to_ascii_lowercase(),
            ps_array(v)
        )
    });
    let flag_arms = arms(&l.flag_values, |k, v| {
        format!("        '{k}' {{ {} }}\n", ps_array(v))
    });
    format!(
        r#"# PowerShell completion for sessctl (generated by `sessctl completions powershell`)
# Lists: verbs "{verbs}"; sections "{sections}"; commits "{commits}"; rules "{rules}"; shells "{shells}"

Register-ArgumentCompleter -Native -CommandName sessctl -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object {{ $_.ToString() }})
    if ($wordToComplete -ne '' -and $words.Count -gt 0) {{ $words = @($words | Select-Object -SkipLast 1) }}
    $verb = ''
    $section = ''
    $positional = 0
    foreach ($w in $words) {{
        if ($w -match '^[/-]section:(.*)$') {{ $section = $Matches[1] }}
        elseif ($w -like '-*' -or $w -like '/*') {{ }}
        else {{
            $positional++
            if ($positional -eq 1) {{ $verb = $w.ToLower() }}
        }}
    }}
    $s = $section.ToLower() -replace '^system\.web/', ''
    $attrs = switch ($s) {{
{attr_arms}        default {{ {all_attrs} }}
    }}
    $prev = if ($words.Count -gt 0) {{ $words[-1] }} else {{ '' }}
    $candidates = @()
    if ($wordToComplete -match '^(--[^=]+)=') {{
        $opt = $Matches[1]
        $vals = switch ($opt) {{
{flag_arms}            default {{ @() }}
        }}
        $candidates = $vals | ForEach-Object {{ "$opt=$_" }}
    }}
    elseif ($wordToComplete -match '^([/-]!?)([^-:][^:]*):') {{
        $head = $Matches[1] + $Matches[2]
        $name = $Matches[2]
        $vals = switch ($name.ToLower()) {{
            'section' {{ {sections_ps} }}
            'commit' {{ {commits_ps} }}
            'config' {{ @('*') }}
            'text' {{ @('*') + $attrs }}
            default {{
                switch -CaseSensitive ($name) {{
{value_arms}                    default {{ @() }}
                }}
            }}
        }}
        $candidates = $vals | ForEach-Object {{ "${{head}}:$_" }}
    }}
    else {{
        $vals = switch ($prev) {{
{flag_arms}            default {{ $null }}
        }}
        if ($null -ne $vals) {{ $candidates = $vals }}
        elseif ($wordToComplete -like '--*') {{ $candidates = {flags_ps} }}
        elseif (($wordToComplete -like '/*' -or $wordToComplete -like '-*') -and $verb -ne 'lint') {{
            $candidates = switch ($verb) {{
                'set' {{ ($attrs | ForEach-Object {{ "/${{_}}:" }}) + @('/section:', '/commit:', '/+providers.[', '/-providers.[', '/providers.[') }}
                'clear' {{ ($attrs | ForEach-Object {{ "/$_" }}) + @('/section:', '/commit:', '/providers.[') }}
                'list' {{ @('/section:', '/config:*', '/text:', '/commit:') }}
                default {{ @() }}
            }}
        }}
        elseif ($positional -eq 0) {{ $candidates = {verbs_ps} }}
        elseif ($positional -eq 1 -and @('set', 'list', 'clear', 'search', 'lock', 'unlock') -contains $verb) {{ $candidates = {objects_ps} }}
        elseif ($positional -eq 1 -and $verb -eq 'completions') {{ $candidates = {shells_ps} }}
        elseif ($positional -eq 1 -and $verb -eq 'help') {{ $candidates = {verbs_ps} }}
    }}
    $candidates | Where-Object {{ $_ -like "$wordToComplete*" }} | ForEach-Object {{
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }}
}}
"#,
        all_attrs = ps_array(&l.all_attributes()),
        sections_ps = ps_array(&l.sections),
        commits_ps = ps_array(&l.commits),
        flags_ps = ps_array(&l.flags),
        verbs_ps = ps_array(&l.verbs),
        objects_ps = ps_array(&l.objects),
        shells_ps = ps_array(&l.shells),
        verbs = l.verbs,
        sections = l.sections,
        commits = l.commits,
        rules = l.rules,
        shells = l.shells,
    )
}

/// The script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    let l = Lists::new();
    match shell {
        clap_complete::Shell::Bash => bash(&l),
        clap_complete::Shell::Zsh => zsh(&l),
        clap_complete::Shell::Fish => fish(&l),
        clap_complete::Shell::PowerShell => powershell(&l),
        other => {
            let mut buf = Vec::new();
            clap_complete::generate(other, &mut super::request::command(), "sessctl", &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        }
    }
}
