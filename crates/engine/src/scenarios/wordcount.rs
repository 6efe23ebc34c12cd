//! S8, word count as a dataflow: the input text, and the result from the
//! reduced counts. The partition, local counting, exchange and reduce run in
//! the browser runtime (`runtime::wordcount`); the counting is
//! `kernels::wordcount`.
use super::ScenarioSpec;
use super::{MorePython, Scenario, ScenarioId};
use crate::catalog::{choice, int, ParamKind, ParamSpec};
use crate::model::Model;
use crate::plan::RunPlan;
use kernels::wordcount::{self, Counts};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub struct WordCount;

/// The word count's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub preset: Preset,
    pub corpus_mb: u32,
    pub text: String,
    /// Isolated workers (P).
    pub procs: u32,
    /// Threads per isolated worker (T).
    pub threads_per_proc: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    Headlines,
    Corpus,
}

pub fn params(plan: &RunPlan) -> Params {
    plan.params.typed()
}

impl Scenario for WordCount {
    /// Processes × threads each (one, counting alone, when serial).
    fn workers_in_all(&self, plan: &RunPlan) -> u32 {
        let p = params(plan);
        if plan.model.is_serial() {
            1
        } else {
            p.procs * p.threads_per_proc
        }
    }

    /// Its isolated workers come from the fork server when each has one
    /// thread (with more, they share their memory with their threads).
    fn processes_asked(&self, plan: &RunPlan) -> usize {
        let p = params(plan);
        if plan.model == Model::Dataflow && p.threads_per_proc == 1 {
            p.procs as usize
        } else {
            0
        }
    }

    fn id(&self) -> ScenarioId {
        ScenarioId::WordCount
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/wordcount.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Word count across processes × threads",
            summary: "Lower-case each line, split it into words, count each word. The dataflow cuts the text \
                      into one part per isolated worker, counts each part with that worker's threads, combines \
                      the threads' counts, sends the partial counts back and reduces them into one.",
            lesson: "Data parallelism: partition, count locally, exchange partial counts, reduce. The answer \
                     is the same in every layout; the exchange is the price of spreading out.",
            models: vec![Model::Serial, Model::Dataflow],
            default_models: vec![Model::Serial, Model::Dataflow],
            default_workers: 1,
            params: vec![
                choice(
                    "preset",
                    "Input",
                    "headlines: eight short news headlines; corpus: a large generated text.",
                    &["headlines", "corpus"],
                    "headlines",
                ),
                int("corpus_mb", "Corpus size (MB)", "Size of the generated corpus.", 1, 256, 32),
                ParamSpec {
                    name: "text",
                    label: "Your text",
                    help: "Count this text instead of the preset.",
                    kind: ParamKind::Text { max_len: 100_000, default: "", list: false, placeholder: "Paste any text" },
                },
                int("procs", "Isolated workers (P)", "How many parts the text is cut into, one per isolated worker.", 1, 8, 2),
                int("threads_per_proc", "Threads per worker (T)", "Threads counting inside each isolated worker.", 1, 8, 2),
            ],
            article: vec![],
        }
    }

    fn pool_size_param(&self) -> Option<&'static str> {
        Some("procs")
    }

    /// The text itself, or the corpus generator's call.
    fn python_values(&self, plan: &RunPlan) -> Vec<(&'static str, crate::pysource::PyValue)> {
        let source = source(plan);
        let text = match &source {
            Source::Text(t) => crate::pysource::literal::string(t),
            Source::Headlines => crate::pysource::literal::string(&wordcount::headlines_text()),
            Source::Corpus { bytes } => format!("corpus({bytes})"),
        };
        // The functions both word-count programs define, from one file: the
        // corpus generator only where the run counts a corpus.
        let functions = include_str!("../../python/scenarios/wordcount-text.py");
        let functions = functions.split_once("\n\n").map_or(functions, |(_comment, code)| code);
        let flags: &[&str] = if matches!(source, Source::Corpus { .. }) { &["corpus"] } else { &[] };
        vec![("text", text.into()), ("text_functions", crate::pysource::sections(functions, flags).into())]
    }

    /// In the dataflow model, the same dataflow as a Bytewax program, with
    /// the commands that run it on one machine, as P processes, and on P
    /// machines.
    fn python_more(&self, plan: &RunPlan) -> Vec<MorePython> {
        if plan.model != Model::Dataflow {
            return Vec::new();
        }
        let p = params(plan);
        let module = "wordcount_dataflow_bytewax";
        let addresses = (0..p.procs).map(|i| format!("127.0.0.1:{}", BYTEWAX_FIRST_PORT + i)).collect::<Vec<_>>().join(";");
        let commands = (0..p.procs)
            .map(|i| format!("#     python -m bytewax.run {module}:flow -w {} -i {i} -a \"{addresses}\"", p.threads_per_proc))
            .collect::<Vec<_>>()
            .join("\n");
        vec![MorePython {
            title: "Bytewax",
            kind: crate::pysource::ProgramKind::Bytewax,
            suffix: "bytewax",
            template: include_str!("../../python/scenarios/wordcount-bytewax.py"),
            values: vec![
                ("module", module.into()),
                ("parts", (p.procs * p.threads_per_proc).to_string()),
                ("last_proc", (p.procs - 1).to_string()),
                ("process_commands", commands),
            ],
        }]
    }

    /// More than one thread per isolated worker shares that worker's memory.
    fn needs_shared_memory(&self, plan: &RunPlan) -> bool {
        params(plan).threads_per_proc > 1
    }
}

/// The first port of the Bytewax program's processes on one machine (the
/// next ones follow).
pub const BYTEWAX_FIRST_PORT: u32 = 2101;

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
    let p = params(plan);
    if !p.text.trim().is_empty() {
        return Source::Text(p.text);
    }
    match p.preset {
        Preset::Corpus => Source::Corpus { bytes: (p.corpus_mb as usize) << 20 },
        Preset::Headlines => Source::Headlines,
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
pub fn assemble(counts: &Counts, bytes: usize, exchanged_bytes: usize) -> super::ScenarioResult {
    super::ScenarioResult::WordCount(WordCountResult {
        total_words: wordcount::total(counts),
        distinct_words: counts.len() as u64,
        top: wordcount::top(counts, 10),
        input_bytes: bytes as u64,
        exchanged_bytes: exchanged_bytes as u64,
    })
}

/// S8's result: totals, the ten most frequent words, and what moved
/// between workers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WordCountResult {
    pub total_words: u64,
    pub distinct_words: u64,
    /// `[word, count]` pairs, most frequent first.
    pub top: Vec<(String, u64)>,
    pub input_bytes: u64,
    /// Bytes of partial counts sent between workers (0 in serial).
    pub exchanged_bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate, RunConfig};
    use kernels::checkpoint::NoCheckpoint;
    use serde_json::{json, Value};

    fn plan(params: Value) -> RunPlan {
        let config: RunConfig = serde_json::from_value(json!({"scenario": "wordcount", "model": "dataflow", "params": params})).unwrap();
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
        let r = serde_json::to_value(assemble(&counts, 10, 0)).unwrap();
        assert_eq!((r["total_words"].as_u64(), r["distinct_words"].as_u64()), (Some(79), Some(69)));
        assert_eq!(r["top"][0], json!(["the", 4]));
    }
}
