//! The published contract as JSON Schemas, generated from the types: the
//! run config (`config.json`), the run record with every scenario's result
//! (`record.json`) and the embed's messages (`messages.json`). The build
//! copies them from `www/schema/` into `dist/schema/`; `cargo run -p engine
//! --example schemas` writes them there, and a native test fails when they
//! differ from the types.
//!
//! The generator names Rust's number types as formats (`uint32`, `double`,
//! …) that no JSON Schema vocabulary defines: strict validators refuse to
//! compile them and lenient ones check nothing. [`standard_numbers`] turns
//! each into standard keywords (`integer` with the type's bounds, plain
//! `number`) before anything is published.
use crate::config::RunConfig;
use crate::embed::EmbedMessage;
use crate::record::RunRecord;
use schemars::{schema_for, Schema};
use serde_json::Value;

/// File name and schema, in the order they are published.
pub fn all() -> Vec<(&'static str, Schema)> {
    let mut schemas =
        vec![("config.json", config()), ("record.json", schema_for!(RunRecord)), ("messages.json", schema_for!(EmbedMessage))];
    for (_, schema) in &mut schemas {
        if let Some(map) = schema.as_object_mut() {
            map.values_mut().for_each(standard_numbers);
        }
    }
    schemas
}

/// The bounds of an integer format, or `None` for a format that is not one.
fn integer_bounds(format: &str) -> Option<(Value, Value)> {
    Some(match format {
        "uint8" => (0.into(), u8::MAX.into()),
        "uint16" => (0.into(), u16::MAX.into()),
        "uint32" | "uint" => (0.into(), u32::MAX.into()),
        "uint64" => (0.into(), u64::MAX.into()),
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" | "int" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

/// Replaces the generator's number formats, everywhere in `value`, by
/// standard keywords; a bound the type already states more tightly stays.
pub fn standard_numbers(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
            if let Some(format) = format {
                if let Some((min, max)) = integer_bounds(&format) {
                    map.remove("format");
                    map.entry("minimum").or_insert(min);
                    map.entry("maximum").or_insert(max);
                } else if format == "double" || format == "float" {
                    map.remove("format");
                }
            }
            map.values_mut().for_each(standard_numbers);
        }
        Value::Array(items) => items.iter_mut().for_each(standard_numbers),
        _ => {}
    }
}

/// The run config, with the scenario ids of the registry listed.
pub fn config() -> Schema {
    let mut schema = schema_for!(RunConfig);
    let ids: Vec<serde_json::Value> = crate::scenarios::ScenarioId::ALL.iter().map(|id| id.as_str().into()).collect();
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
    use serde_json::{json, Value};
    use std::path::Path;

    /// JSON Schema 2020-12's format vocabulary: what a standard validator knows.
    const STANDARD_FORMATS: &[&str] = &[
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    ];

    fn formats_in(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(f) = map.get("format").and_then(Value::as_str) {
                    out.push(f.to_owned());
                }
                map.values().for_each(|v| formats_in(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| formats_in(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_published_schemas_name_only_standard_formats() {
        for (name, schema) in super::all() {
            let mut formats = Vec::new();
            formats_in(schema.as_value(), &mut formats);
            formats.retain(|f| !STANDARD_FORMATS.contains(&f.as_str()));
            assert!(formats.is_empty(), "{name} names formats no validator knows: {formats:?}");
        }
    }

    #[test]
    fn number_formats_become_bounds_and_tighter_bounds_stay() {
        let mut schema = json!({
            "properties": {
                "workers": {"type": "integer", "format": "uint32", "minimum": 1},
                "wall_ms": {"type": ["number", "null"], "format": "double"},
                "expected": {"type": "integer", "format": "int64"},
                "items": {"type": "array", "items": {"type": "integer", "format": "uint8", "maximum": 9}}
            }
        });
        super::standard_numbers(&mut schema);
        assert_eq!(
            schema,
            json!({
                "properties": {
                    "workers": {"type": "integer", "minimum": 1, "maximum": 4294967295u32},
                    "wall_ms": {"type": ["number", "null"]},
                    "expected": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX},
                    "items": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 9}}
                }
            })
        );
    }

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
