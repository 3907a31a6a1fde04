//! SS202 encrypted-section.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS202",
    name: "encrypted-section",
    severity: Severity::Info,
    summary: "The section is encrypted; nothing inside was checked.",
    doc: "## What it finds\n\nA section protected with `configProtectionProvider` and `<EncryptedData>`.\n\n## Why it matters\n\nIts values can only be read on the machine holding the key, so no other rule checked them.\n\n## Example\n\n```xml\n<sessionState configProtectionProvider=\"RsaProtectedConfigurationProvider\">\n  <EncryptedData>...</EncryptedData>\n</sessionState>\n```\n\n## Fix\n\nNothing to fix; lint the decrypted configuration on the server if it must be checked.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in &ctx.sites {
        if let Some(p) = &site.encrypted {
            out.push(Diagnostic::new(ctx.element_span(site.src, site.el), format!("{} is encrypted with configProtectionProvider \"{p}\"; its values were not checked", site.def.path)));
        }
    }
}
