//! The published contract as JSON Schemas, generated from the types: the
//! run config (`config.json`), the run record with every scenario's result
//! (`record.json`) and the embed's messages (`messages.json`). The build
//! copies them from `www/schema/` into `dist/schema/`; `cargo run -p engine
//! --example schemas` writes them there, and a native test fails when they
//! differ from the types.
use crate::config::RunConfig;
use crate::embed::EmbedMessage;
use crate::record::RunRecord;
use schemars::{schema_for, Schema};

/// File name and schema, in the order they are published.
pub fn all() -> Vec<(&'static str, Schema)> {
    vec![("config.json", config()), ("record.json", schema_for!(RunRecord)), ("messages.json", schema_for!(EmbedMessage))]
}

/// The run config, with the scenario ids of the registry listed.
pub fn config() -> Schema {
    let mut schema = schema_for!(RunConfig);
    let ids: Vec<serde_json::Value> = crate::scenarios::specs().iter().map(|s| s.id.into()).collect();
    if let Some(scenario) = schema.get_mut("properties").and_then(|p| p.get_mut("scenario")).and_then(|s| s.as_object_mut()) {
        scenario.insert("enum".into(), ids.into());
    }
    schema
}

/// A schema as the published file's text.
pub fn text(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).expect("a schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The published files are what the types say today.
    #[test]
    fn the_published_schemas_match_the_types() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/schema");
        for (name, schema) in super::all() {
            let published = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            assert!(
                published == super::text(&schema),
                "www/schema/{name} differs from the types: run `cargo run -p engine --example schemas`"
            );
        }
    }
}
