//! Shell completion scripts that know the domain: verbs and objects, `/section:` values, the
//! `/ATTR:` names of the chosen section, enum and bool values, `/commit:` keywords, rule codes
//! and names for `--select`, `--ignore` and `--explain`, and shell names. Every list comes from
//! the schema, rule and flag tables ([`Lists`]), and each script carries the same lists, so
//! they cannot drift apart. Elvish gets clap's generic script.
//!
//! Bash splits words at `:` and `=` (they are in `COMP_WORDBREAKS`), so `/section:sess` reaches
//! the bash function as the three words `/section`, `:`, `sess`; the script rebuilds the
//! parameter from them (and also handles a `COMP_WORDBREAKS` without `:`).

use super::args::{Values, FLAGS};
use super::grammar::{self, ConfigParams, Next};
use crate::lint::rules::RULES;
use crate::schema::{ValueType, SECTIONS};

/// The shells `completions` takes.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish", "powershell", "elvish"];

/// Every list a completion script needs, space-separated, from the tables.
#[derive(Debug, Clone)]
pub struct Lists {
    /// Verbs.
    pub verbs: String,
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
    /// (section short name, its collection's name, or "").
    pub collections: Vec<(&'static str, String)>,
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
        let mut commits: Vec<&str> = crate::hierarchy::path::Commit::KEYWORDS.to_vec();
        commits.extend(["MACHINE", "MACHINE/WEBROOT", "MACHINE/WEBROOT/APPHOST"]);
        let flag_values = FLAGS
            .iter()
            .filter_map(|f| {
                let v = match f.values {
                    Values::Words(w) => w.join(" "),
                    Values::Rules => rules.join(" "),
                    _ => return None,
                };
                Some((f.long, v))
            })
            .collect();
        Lists {
            verbs: grammar::verb_names().collect::<Vec<_>>().join(" "),
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
            collections: SECTIONS
                .iter()
                .map(|s| {
                    (
                        s.name,
                        s.collection
                            .as_ref()
                            .map(|c| c.name)
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .collect(),
            values,
            flag_values,
        }
    }

    /// Every attribute name of every section.
    fn all_attributes(&self) -> String {
        union(&self.attributes)
    }

    /// Every collection name of every section.
    fn all_collections(&self) -> String {
        union(&self.collections)
    }

    /// The words offered right after `verb`.
    fn first_words(&self, verb: &grammar::Verb) -> Option<String> {
        match verb.next {
            Next::Words(w) => Some(w.join(" ")),
            Next::Shells => Some(self.shells.clone()),
            Next::Verbs => Some(self.verbs.clone()),
            Next::Files => None,
        }
    }
}

/// The words of every list, each once, in first-seen order.
fn union(lists: &[(&'static str, String)]) -> String {
    let mut all: Vec<&str> = Vec::new();
    for (_, a) in lists {
        for n in a.split(' ').filter(|n| !n.is_empty()) {
            if !all.contains(&n) {
                all.push(n);
            }
        }
    }
    all.join(" ")
}

/// The verbs whose words are files (`lint`).
fn file_verbs() -> Vec<&'static str> {
    grammar::VERBS
        .iter()
        .filter(|v| v.next == Next::Files)
        .map(|v| v.name)
        .collect()
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

/// One `case` arm per verb that takes parameters on `config`.
fn param_arms(arm: impl Fn(&str, &ConfigParams) -> String) -> String {
    grammar::config_verbs()
        .filter_map(|v| v.params.as_ref().map(|p| arm(v.name, p)))
        .collect()
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
        format!("        --{k}) vals=\"{v}\" ;;\n")
    });
    let coll_arms = arms(&l.collections, |k, v| {
        format!("        {}) echo \"{v}\" ;;\n", k.to_ascii_lowercase())
    });
    let param_arms = param_arms(|verb, p| {
        let mut arm = format!("            {verb})\n");
        if let Some(suffix) = p.attributes {
            arm += &format!("                for w in $(_sessctl_section_attrs \"$section\"); do params+=\" /$w{suffix}\"; done\n");
        }
        if !p.collection.is_empty() {
            let forms: Vec<String> = p.collection.iter().map(|f| f.replace("{}", "$c")).collect();
            arm += &format!("                for c in $(_sessctl_section_colls \"$section\"); do params+=\" {}\"; done\n", forms.join(" "));
        }
        arm + &format!("                params+=\" {}\" ;;\n", p.general.join(" "))
    });
    let positional_arms: String = grammar::VERBS
        .iter()
        .map(|v| match l.first_words(v) {
            Some(w) => format!("                {}) [[ $positional -eq 1 ]] && _sessctl_reply \"{w}\" \"$cur\" ;;\n", v.name),
            None => format!("                {}) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n", v.name),
        })
        .collect();
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

_sessctl_section_colls() {{
    local s="${{1,,}}"
    s="${{s#system.web/}}"
    case "$s" in
{coll_arms}        *) echo "{all_colls}" ;;
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
    local verb="" object="" section="" positional=0 i w
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
                    [[ $positional -eq 2 ]] && object="${{w,,}}"
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
        elif [[ "${{param,,}}" == [/-]in ]]; then
            mapfile -t COMPREPLY < <(compgen -f -- "$value")
            [[ -n "$keep" ]] && COMPREPLY=("${{COMPREPLY[@]/#/$keep}}")
            return 0
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
    if [[ "$cur" == [/-]* && "$object" != backup* ]]; then
        local params=""
        case "$verb" in
{param_arms}        esac
        if [[ -n "$params" ]]; then
            _sessctl_reply "$params" "$cur"
            compopt -o nospace 2>/dev/null
            return 0
        fi
    fi

    case "$positional" in
        0) _sessctl_reply "{verbs}" "$cur" ;;
        *)
            case "$verb" in
{positional_arms}            esac ;;
    esac
    return 0
}}

complete -o default -F _sessctl sessctl
"#,
        all_attrs = l.all_attributes(),
        all_colls = l.all_collections(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
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
        format!("        --{k}) vals=({v}) ;;\n")
    });
    let coll_arms = arms(&l.collections, |k, v| {
        format!("        {}) colls=({v}) ;;\n", k.to_ascii_lowercase())
    });
    let param_arms = param_arms(|verb, p| {
        let mut arm = format!("            {verb})\n");
        if let Some(suffix) = p.attributes {
            arm +=
                &format!("                for w in $attrs; do params+=(\"/$w{suffix}\"); done\n");
        }
        if !p.collection.is_empty() {
            let forms: Vec<String> = p
                .collection
                .iter()
                .map(|f| format!("\"{}\"", f.replace("{}", "$c")))
                .collect();
            arm += &format!(
                "                for c in $colls; do params+=({}); done\n",
                forms.join(" ")
            );
        }
        let general: Vec<String> = p.general.iter().map(|g| format!("'{g}'")).collect();
        arm + &format!("                params+=({}) ;;\n", general.join(" "))
    });
    let positional_arms: String = grammar::VERBS
        .iter()
        .map(|v| match l.first_words(v) {
            Some(w) => format!(
                "                {}) (( positional == 1 )) && compadd -- {w} ;;\n",
                v.name
            ),
            None => format!("                {}) _files ;;\n", v.name),
        })
        .collect();
    format!(
        r#"#compdef sessctl
# zsh completion for sessctl (generated by `sessctl completions zsh`)

_sessctl() {{
    setopt localoptions extendedglob
    local cur="${{words[CURRENT]}}" prev="${{words[CURRENT-1]}}"
    local verb="" object="" section="" w
    local -i positional=0 i
    local -a vals attrs colls params
    for ((i = 2; i < CURRENT; i++)); do
        w="${{words[i]}}"
        case "$w" in
            (#i)[/-]section:*) section="${{w#*:}}" ;;
            --*|[/-]*) ;;
            *)
                positional+=1
                (( positional == 1 )) && verb="${{w:l}}"
                (( positional == 2 )) && object="${{w:l}}" ;;
        esac
    done
    local s="${{section:l}}"
    s="${{s#system.web/}}"
    case "$s" in
{attr_arms}        *) attrs=({all_attrs}) ;;
    esac
    case "$s" in
{coll_arms}        *) colls=({all_colls}) ;;
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
            in) compset -P '*:'; _files; return ;;
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
    if [[ "$cur" == [/-]* && "$object" != backup* ]]; then
        case "$verb" in
{param_arms}        esac
        if (( ${{#params}} )); then
            compadd -S '' -- $params
            return
        fi
    fi
    case "$positional" in
        0) compadd -- {verbs} ;;
        *)
            case "$verb" in
{positional_arms}            esac ;;
    esac
}}

if [[ "$funcstack[1]" == "_sessctl" ]]; then
    _sessctl "$@"
else
    compdef _sessctl sessctl
fi
"#,
        all_attrs = l.all_attributes(),
        all_colls = l.all_collections(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
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
        format!("        case --{k}\n            set vals {v}\n")
    });
    let coll_arms = arms(&l.collections, |k, v| {
        format!(
            "        case {}\n            set colls {v}\n",
            k.to_ascii_lowercase()
        )
    });
    let param_arms = param_arms(|verb, p| {
        let mut arm = format!("            case {verb}\n");
        if let Some(suffix) = p.attributes {
            arm += &format!("                printf '/%s{suffix}\\n' $attrs\n");
        }
        if !p.collection.is_empty() {
            let forms: Vec<String> = p
                .collection
                .iter()
                .map(|f| format!("\"{}\"", f.replace("{}", "$c")))
                .collect();
            arm += &format!(
                "                for c in $colls\n                    printf '%s\\n' {}\n                end\n",
                forms.join(" ")
            );
        }
        let general: Vec<String> = p.general.iter().map(|g| format!("'{g}'")).collect();
        arm + &format!("                printf '%s\\n' {}\n", general.join(" "))
    });
    let positional_arms: String = grammar::VERBS
        .iter()
        .map(|v| match l.first_words(v) {
            Some(w) => format!(
                "            case {}\n                printf '%s\\n' {w}\n",
                v.name
            ),
            None => format!(
                "            case {}\n                __fish_complete_path $cur\n",
                v.name
            ),
        })
        .collect();
    format!(
        r#"# fish completion for sessctl (generated by `sessctl completions fish`)

function __sessctl_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l verb ""
    set -l object ""
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
                test $positional -eq 2; and set object (string lower -- $w)
        end
    end
    set -l s (string replace -r '^system\.web/' '' -- (string lower -- "$section"))
    set -l attrs
    switch $s
{attr_arms}        case '*'
            set attrs {all_attrs}
    end
    set -l colls
    switch $s
{coll_arms}        case '*'
            set colls {all_colls}
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
            case in
                printf '%s\n' $head:(__fish_complete_path (string replace -r '^[^:]*:' '' -- $cur))
                return
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
    if string match -qr -- '^[/-]' $cur; and not string match -q -- 'backup*' $object
        set -l params (switch $verb
{param_arms}        end)
        if test (count $params) -gt 0
            printf '%s\n' $params
            return
        end
    end
    if test $positional -eq 0
        printf '%s\n' {verbs}
    else if test $positional -eq 1
        switch $verb
{positional_arms}        end
    else if contains -- $verb {file_verbs}
        __fish_complete_path $cur
    end
end

complete -c sessctl -f -a '(__sessctl_complete)'
"#,
        all_attrs = l.all_attributes(),
        all_colls = l.all_collections(),
        sections = l.sections,
        commits = l.commits,
        flags = l.flags,
        verbs = l.verbs,
        file_verbs = file_verbs().join(" "),
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
        format!("        '--{k}' {{ {} }}\n", ps_array(v))
    });
    let coll_arms = arms(&l.collections, |k, v| {
        let list = if v.is_empty() {
            "@()".to_string()
        } else {
            ps_array(v)
        };
        format!("        '{}' {{ {list} }}\n", k.to_ascii_lowercase())
    });
    let param_arms = param_arms(|verb, p| {
        let mut parts = Vec::new();
        if let Some(suffix) = p.attributes {
            parts.push(format!(
                "@($attrs | ForEach-Object {{ \"/${{_}}{suffix}\" }})"
            ));
        }
        for form in p.collection {
            parts.push(format!(
                "@($colls | ForEach-Object {{ \"{}\" }})",
                form.replace("{}", "${_}")
            ));
        }
        let general: Vec<String> = p.general.iter().map(|g| format!("'{g}'")).collect();
        parts.push(format!("@({})", general.join(", ")));
        format!("                '{verb}' {{ {} }}\n", parts.join(" + "))
    });
    let positional_arms: String = grammar::VERBS
        .iter()
        .filter_map(|v| {
            l.first_words(v).map(|w| {
                format!(
                    "        elseif ($positional -eq 1 -and $verb -eq '{}') {{ $candidates = {} }}\n",
                    v.name,
                    ps_array(&w)
                )
            })
        })
        .collect();
    format!(
        r#"# PowerShell completion for sessctl (generated by `sessctl completions powershell`)
# Lists: verbs "{verbs}"; sections "{sections}"; commits "{commits}"; rules "{rules}"; shells "{shells}"

Register-ArgumentCompleter -Native -CommandName sessctl -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object {{ $_.ToString() }})
    if ($wordToComplete -ne '' -and $words.Count -gt 0) {{ $words = @($words | Select-Object -SkipLast 1) }}
    $verb = ''
    $object = ''
    $section = ''
    $positional = 0
    foreach ($w in $words) {{
        if ($w -match '^[/-]section:(.*)$') {{ $section = $Matches[1] }}
        elseif ($w -like '-*' -or $w -like '/*') {{ }}
        else {{
            $positional++
            if ($positional -eq 1) {{ $verb = $w.ToLower() }}
            if ($positional -eq 2) {{ $object = $w.ToLower() }}
        }}
    }}
    $s = $section.ToLower() -replace '^system\.web/', ''
    $attrs = switch ($s) {{
{attr_arms}        default {{ {all_attrs} }}
    }}
    $colls = switch ($s) {{
{coll_arms}        default {{ {all_colls} }}
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
        elseif (($wordToComplete -like '/*' -or $wordToComplete -like '-*') -and $object -notlike 'backup*' -and @({config_verbs}) -contains $verb) {{
            $candidates = switch ($verb) {{
{param_arms}                default {{ @() }}
            }}
        }}
        elseif ($positional -eq 0) {{ $candidates = {verbs_ps} }}
{positional_arms}    }}
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
        all_colls = ps_array(&l.all_collections()),
        config_verbs = grammar::config_verbs()
            .map(|v| format!("'{}'", v.name))
            .collect::<Vec<_>>()
            .join(", "),
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
