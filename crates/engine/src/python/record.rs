//! `--json`: a standard-library program's run as a record of the published
//! `record.json` shape. Its code (`python/record.py`) goes into every
//! program whose tasks are marked `@measured(phase)`, before the first of
//! its definitions; the program's main block ends with `record(result,
//! inputs)`. The run's config is filled in here as a Python literal.
use crate::plan::RunPlan;
use crate::pysource::literal;
use serde_json::Value;

const CODE: &str = include_str!("../../python/record.py");

/// Whether a scenario's template reports its runs (`@measured` tasks).
pub fn reports(template: &str) -> bool {
    template.contains("@measured(")
}

/// `template` with the record's code put before its first top-level
/// definition, two blank lines either side as `ruff format` writes them.
pub fn insert(template: &str, plan: &RunPlan) -> String {
    let code = CODE.replace("{{run}}", &run_literal(plan));
    let at = template
        .lines()
        .scan(0, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| ["def ", "async def ", "@"].iter().any(|k| line.starts_with(k)))
        .map_or(template.len(), |(at, _)| at);
    let before = template[..at].trim_end();
    format!("{before}\n\n\n{}\n\n\n{}", code.trim(), &template[at..])
}

/// The run's config (scenario, model, workers, start method, parameters)
/// as a dict literal, one key a line (its trailing commas keep it so).
fn run_literal(plan: &RunPlan) -> String {
    let entries = [
        ("scenario", Value::from(plan.scenario.as_str())),
        ("model", Value::from(plan.model.id())),
        ("workers", Value::from(plan.workers)),
        ("start_method", Value::from(plan.start_method.id())),
        ("params", plan.params_json()),
    ];
    dict(&entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Vec<_>>(), "")
}

fn dict(entries: &[(String, Value)], indent: &str) -> String {
    if entries.is_empty() {
        return "{}".into();
    }
    let inner = format!("{indent}    ");
    let body: String = entries
        .iter()
        .map(|(k, v)| {
            let key = format!("{inner}{}: ", literal::string(k));
            match v {
                // A list laid out as `ruff format` lays it out on this line.
                Value::Array(items) => {
                    literal::list_in_line(&key, &items.iter().map(|v| python(v, &inner)).collect::<Vec<_>>(), ",") + "\n"
                }
                v => format!("{key}{},\n", python(v, &inner)),
            }
        })
        .collect();
    format!("{{\n{body}{indent}}}")
}

/// A JSON value as the Python literal that reads back as it.
fn python(value: &Value, indent: &str) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => literal::string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(|v| python(v, indent)).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => dict(&map.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>(), indent),
    }
}
