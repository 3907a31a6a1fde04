//! Generates one `#[test]` per case folder in `tests/cases/` (included by `tests/it/cases.rs`),
//! so that `cargo test CASE` runs one case and a failure names its folder.

use std::fmt::Write as _;

fn main() {
    println!("cargo::rerun-if-changed=tests/cases");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut names: Vec<String> = std::fs::read_dir("tests/cases")
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::new();
    for name in &names {
        let ident: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let _ = writeln!(code, "#[test]\nfn {ident}() {{\n    case({name:?});\n}}\n");
    }
    let _ = writeln!(
        code,
        "/// Every case folder, in order.\nconst CASES: &[&str] = &{names:?};"
    );
    std::fs::write(out.join("cases.rs"), code).expect("write the generated case tests");
}
