//! The scenario catalog: ids, texts, parameters with defaults and ranges.
//! `window.playground.scenarios()` returns this as JSON.
use serde::Serialize;

pub const MAX_WORKERS: u32 = 32;
pub const DEFAULT_WORKERS: u32 = 4;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ParamKind {
    /// A comma-separated list of whole numbers.
    IntList { min: i64, max: i64, min_len: usize, max_len: usize, default: Vec<i64> },
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: ParamKind,
}

impl ParamSpec {
    /// The range in words, for messages and the page.
    pub fn range_text(&self) -> String {
        match &self.kind {
            ParamKind::IntList { min, max, min_len, max_len, .. } => {
                format!("{min_len} to {max_len} whole numbers from {min} to {max}, separated by commas")
            }
        }
    }

    pub fn default_text(&self) -> String {
        match &self.kind {
            ParamKind::IntList { default, .. } => {
                default.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelSpec {
    pub id: &'static str,
    pub label: &'static str,
    pub python: &'static str,
    pub needs_shared_memory: bool,
}

pub const MODELS: [ModelSpec; 3] = [
    ModelSpec { id: "serial", label: "Serial", python: "a plain loop", needs_shared_memory: false },
    ModelSpec {
        id: "threads",
        label: "Thread pool",
        python: "ThreadPoolExecutor / multiprocessing.pool.ThreadPool",
        needs_shared_memory: true,
    },
    ModelSpec {
        id: "processes",
        label: "Process pool",
        python: "ProcessPoolExecutor / multiprocessing.Pool",
        needs_shared_memory: false,
    },
];

/// A figure the tutorial printed, shown beside what this browser measures.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFigure {
    pub model: &'static str,
    pub seconds: f64,
    pub note: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub lesson: &'static str,
    pub models: Vec<&'static str>,
    pub params: Vec<ParamSpec>,
    pub article: Vec<ArticleFigure>,
}

impl ScenarioSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

pub fn scenarios() -> Vec<ScenarioSpec> {
    vec![ScenarioSpec {
        id: "primes",
        title: "Product of primes",
        summary: "For each limit n, find every prime below n by naive trial division, count them, \
                  and multiply them together as an exact big integer.",
        lesson: "CPU-bound work speeds up with processes, and with threads only when no global lock \
                 serialises them. The tasks are unequal, so the largest one caps the speedup.",
        models: vec!["serial", "threads", "processes"],
        params: vec![ParamSpec {
            name: "limits",
            label: "Limits (one task each)",
            help: "Each limit is one task: all primes below it are found and multiplied.",
            kind: ParamKind::IntList {
                min: 1,
                max: 200_000,
                min_len: 1,
                max_len: 16,
                default: vec![50328, 22756, 39371, 44832],
            },
        }],
        article: vec![
            ArticleFigure { model: "serial", seconds: 10.0, note: "CPython on a 1.1 GHz quad-core laptop" },
            ArticleFigure { model: "processes", seconds: 4.2, note: "four processes, same laptop" },
        ],
    }]
}

pub fn scenario(id: &str) -> Option<ScenarioSpec> {
    scenarios().into_iter().find(|s| s.id == id)
}

pub fn model(id: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|m| m.id == id)
}
