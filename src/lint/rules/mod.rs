//! The rule registry: one list of every rule, each in its own file with its documentation.

use super::{Diagnostic, RuleDef};
use crate::lint::context::{FileContext, Site};
use crate::schema::rules::Rule;

mod ss001_xml_malformed;
mod ss002_unknown_attribute;
mod ss003_invalid_value;
mod ss004_duplicate_section;
mod ss005_timeout_exceeds_one_year;
mod ss006_state_connection_string;
mod ss007_sql_custom_database;
mod ss008_custom_provider_missing;
mod ss009_partition_resolver_mode;
mod ss010_section_below_application;
mod ss011_config_source_invalid;
mod ss012_provider_invalid;
pub(crate) mod ss013_section_locked;
mod ss014_location_invalid;
mod ss015_configuration_root_invalid;
mod ss016_duplicate_key;
mod ss017_duplicate_connection_string;
mod ss018_missing_root;
mod ss101_ignored_in_apphost;
mod ss102_plaintext_password;
mod ss103_session_id_in_url;
mod ss104_expired_id_reuse;
mod ss105_long_timeout;
mod ss106_web_garden_inproc;
mod ss107_drive_not_mapped;
mod ss108_no_managed_code;
mod ss109_plaintext_machine_key;
pub(crate) mod ss201_setting_ignored_by_mode;
mod ss202_encrypted_section;
mod ss203_not_in_iis_schema;
mod ss204_farm_machine_key;
mod ss301_farm_session_mismatch;
mod ss302_farm_machine_key_mismatch;
mod ss303_farm_site_id_mismatch;
mod ss304_farm_inproc;

/// Every rule, in code order.
pub static RULES: &[&RuleDef] = &[
    &ss001_xml_malformed::RULE,
    &ss002_unknown_attribute::RULE,
    &ss003_invalid_value::RULE,
    &ss004_duplicate_section::RULE,
    &ss005_timeout_exceeds_one_year::RULE,
    &ss006_state_connection_string::RULE,
    &ss007_sql_custom_database::RULE,
    &ss008_custom_provider_missing::RULE,
    &ss009_partition_resolver_mode::RULE,
    &ss010_section_below_application::RULE,
    &ss011_config_source_invalid::RULE,
    &ss012_provider_invalid::RULE,
    &ss013_section_locked::RULE,
    &ss014_location_invalid::RULE,
    &ss015_configuration_root_invalid::RULE,
    &ss016_duplicate_key::RULE,
    &ss017_duplicate_connection_string::RULE,
    &ss018_missing_root::RULE,
    &ss101_ignored_in_apphost::RULE,
    &ss102_plaintext_password::RULE,
    &ss103_session_id_in_url::RULE,
    &ss104_expired_id_reuse::RULE,
    &ss105_long_timeout::RULE,
    &ss106_web_garden_inproc::RULE,
    &ss107_drive_not_mapped::RULE,
    &ss108_no_managed_code::RULE,
    &ss109_plaintext_machine_key::RULE,
    &ss201_setting_ignored_by_mode::RULE,
    &ss202_encrypted_section::RULE,
    &ss203_not_in_iis_schema::RULE,
    &ss204_farm_machine_key::RULE,
    &ss301_farm_session_mismatch::RULE,
    &ss302_farm_machine_key_mismatch::RULE,
    &ss303_farm_site_id_mismatch::RULE,
    &ss304_farm_inproc::RULE,
];

/// Report every runtime violation of kind `rule` at the attribute it names: the shared body
/// of the rules that `set` also enforces.
pub(crate) fn report_violations(ctx: &FileContext, rule: Rule, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        for v in ctx.violations(site).iter().filter(|v| v.rule == rule) {
            let at = at_attribute_value(ctx, site, v.attribute.as_deref(), v.fix.is_some());
            let fix = v.fix.as_ref().map(|f| {
                crate::doc::escape(f, quote_of(ctx, site, v.attribute.as_deref())).into_owned()
            });
            out.push(
                Diagnostic::new(at, v.message.clone())
                    .with_fix(fix)
                    // A spelling ASP.NET still reads (`False`, Boolean.Parse) is only advice.
                    .with_severity((!v.breaks_runtime).then_some(super::Severity::Info))
                    .with_related(read_from(v)),
            );
        }
    }
}

/// Report each violation of kind `rule` of the section the file inherits that the file's own
/// `<connectionStrings>` cause, where they take the entry out.
pub(crate) fn report_names_taken_out(ctx: &FileContext, rule: Rule, out: &mut Vec<Diagnostic>) {
    for (v, at) in ctx.names_taken_out() {
        if v.rule == rule {
            let related = read_from(&v);
            out.push(Diagnostic::new(at, v.message).with_related(related));
        }
    }
}

/// The level that sets the inherited value a violation reads, as a related location.
fn read_from(v: &crate::schema::rules::Violation) -> Vec<super::Related> {
    v.read_from
        .iter()
        .map(|(file, line, attr)| super::Related {
            file: file.clone(),
            line: *line,
            what: format!("{attr} set here"),
        })
        .collect()
}

fn quote_of(ctx: &FileContext, site: &Site, attr: Option<&str>) -> u8 {
    attr.and_then(|a| ctx.attr(site, a))
        .map_or(b'"', |a| a.quote)
}

/// The value span of an attribute when a fix replaces it, else the whole attribute.
fn at_attribute_value(
    ctx: &FileContext,
    site: &Site,
    attr: Option<&str>,
    value_only: bool,
) -> super::At {
    match attr.and_then(|a| ctx.attr(site, a)) {
        Some(a) if value_only => super::At::Span {
            src: site.src,
            range: a.value.clone(),
        },
        Some(a) => super::At::Span {
            src: site.src,
            range: a.range(),
        },
        None => ctx.element_span(site.src, site.el),
    }
}
