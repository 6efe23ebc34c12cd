//! Records stay compatible: a record of each scenario (and a stopped and a
//! failed run) as a build wrote it before `ScenarioId`, `Gil` and typed
//! errors (`tests/capture-records.mjs` made them) reads into `RunRecord` and
//! writes back every key and value it had: new fields only.
use engine::record::RunRecord;
use serde_json::Value;
use std::path::Path;

/// Every path of `old` is in `new` with the same value; `new` may add keys.
fn contains(old: &Value, new: &Value, path: &str, problems: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, v) in o {
                match n.get(k) {
                    Some(nv) => contains(v, nv, &format!("{path}.{k}"), problems),
                    None => problems.push(format!("{path}.{k} is gone")),
                }
            }
        }
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => {
            for (i, (ov, nv)) in o.iter().zip(n).enumerate() {
                contains(ov, nv, &format!("{path}[{i}]"), problems);
            }
        }
        (Value::Number(o), Value::Number(n)) if o.as_f64() == n.as_f64() => {}
        (o, n) if o == n => {}
        (o, n) => problems.push(format!("{path}: {o} became {n}")),
    }
}

fn fixtures() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/records");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("tests/records is there")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn the_records_cover_every_scenario_of_their_day() {
    // The nine scenarios there were when they were captured; a scenario
    // added since has no older shape to keep.
    let scenarios: std::collections::BTreeSet<String> =
        fixtures().into_iter().filter_map(|(_, v)| v["scenario"].as_str().map(str::to_string)).collect();
    assert_eq!(scenarios.len(), 9, "{scenarios:?}");
}

#[test]
fn records_read_and_write_back_what_they_had() {
    for (name, old) in fixtures() {
        let record: RunRecord = serde_json::from_value(old.clone()).unwrap_or_else(|e| panic!("{name}.json no longer reads: {e}"));
        let new = serde_json::to_value(&record).unwrap();
        let mut problems = Vec::new();
        contains(&old, &new, "", &mut problems);
        assert!(problems.is_empty(), "{name}.json: {problems:#?}");
        // What a record without an `error_kind` reads as.
        if let Some(text) = old["error"].as_str() {
            assert_eq!(record.failure(), Some((engine::error::ErrorKind::Broken, text)), "{name}");
        }
    }
}

#[test]
fn a_record_written_now_reads_back_the_same() {
    for (name, old) in fixtures() {
        let record: RunRecord = serde_json::from_value(old).unwrap();
        let again: RunRecord = serde_json::from_value(serde_json::to_value(&record).unwrap()).unwrap();
        assert_eq!(again, record, "{name}");
    }
}
