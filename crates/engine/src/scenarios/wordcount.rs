//! S8, word count as a dataflow: the input text, and the result from the
//! reduced counts. The partition, local counting, exchange and reduce run in
//! the browser runtime (`runtime::wordcount`); the counting is
//! `kernels::wordcount`.
use crate::config::RunPlan;
use kernels::wordcount::{self, Counts};
use serde_json::{json, Value};

/// The seed of the generated corpus: the same text on every machine.
pub const CORPUS_SEED: u64 = 42;

/// Where the text comes from: the user's own, or a preset (the corpus is
/// generated, `corpus_mb` megabytes).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Text(String),
    Headlines,
    Corpus { bytes: usize },
}

pub fn source(plan: &RunPlan) -> Source {
    let text = plan.params.text("text");
    if !text.trim().is_empty() {
        return Source::Text(text.to_string());
    }
    match plan.params.text("preset") {
        "corpus" => Source::Corpus { bytes: (plan.params.int("corpus_mb") as usize) << 20 },
        _ => Source::Headlines,
    }
}

pub fn text_of(source: &Source, checkpoint: &mut dyn kernels::Checkpoint) -> Result<String, kernels::Stopped> {
    Ok(match source {
        Source::Text(t) => t.clone(),
        Source::Headlines => wordcount::headlines_text(),
        Source::Corpus { bytes } => wordcount::generate(*bytes, CORPUS_SEED, checkpoint)?,
    })
}

/// Partial counts as they cross between workers: (word, count) pairs.
pub fn to_pairs(counts: Counts) -> Vec<(String, u64)> {
    counts.into_iter().collect()
}

pub fn from_pairs(pairs: Vec<(String, u64)>) -> Counts {
    pairs.into_iter().collect()
}

/// The result: totals, the ten most frequent words, and what moved.
pub fn assemble(counts: &Counts, bytes: usize, exchanged_bytes: usize) -> Value {
    json!({
        "total_words": wordcount::total(counts),
        "distinct_words": counts.len(),
        "top": wordcount::top(counts, 10),
        "input_bytes": bytes,
        "exchanged_bytes": exchanged_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate, RunConfig};
    use kernels::checkpoint::NoCheckpoint;

    fn plan(params: Value) -> RunPlan {
        let config: RunConfig =
            serde_json::from_value(json!({"scenario": "wordcount", "model": "dataflow", "params": params})).unwrap();
        validate(&config).unwrap()
    }

    #[test]
    fn headlines_by_default_and_user_text_first() {
        assert_eq!(source(&plan(json!({}))), Source::Headlines);
        assert_eq!(source(&plan(json!({"text": "a b a"}))), Source::Text("a b a".into()));
        assert_eq!(source(&plan(json!({"preset": "corpus", "corpus_mb": 2}))), Source::Corpus { bytes: 2 << 20 });
    }

    #[test]
    fn result_reports_totals_and_top_words() {
        let counts = wordcount::count(&text_of(&Source::Headlines, &mut NoCheckpoint).unwrap(), &mut NoCheckpoint).unwrap();
        let round_trip = from_pairs(to_pairs(counts.clone()));
        assert_eq!(round_trip, counts);
        let r = assemble(&counts, 10, 0);
        assert_eq!((r["total_words"].as_u64(), r["distinct_words"].as_u64()), (Some(79), Some(69)));
        assert_eq!(r["top"][0], json!(["the", 4]));
    }
}
