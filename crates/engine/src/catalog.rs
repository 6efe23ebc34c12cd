//! What the catalog is made of: a scenario's spec (ids, texts, parameters
//! with defaults and ranges, the article's figures). Each scenario writes its
//! own (`scenarios::*`); `window.playground.scenarios()` returns them as JSON.
use crate::model::{Model, SharedMemory};
use serde::Serialize;

pub const MAX_WORKERS: u32 = 32;
pub const DEFAULT_WORKERS: u32 = 4;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ParamKind {
    /// A comma-separated list of whole numbers.
    IntList {
        min: i64,
        max: i64,
        min_len: usize,
        max_len: usize,
        default: Vec<i64>,
    },
    Int {
        min: i64,
        max: i64,
        default: i64,
    },
    Choice {
        options: Vec<&'static str>,
        default: &'static str,
    },
    Bool {
        default: bool,
    },
    /// Free text; with `list`, items separated by whitespace or commas, and
    /// an array of strings is accepted too.
    Text {
        max_len: usize,
        default: &'static str,
        list: bool,
        /// What the empty field shows, as an example.
        placeholder: &'static str,
    },
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
            ParamKind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            ParamKind::Choice { options, .. } => format!("one of {}", options.join(", ")),
            ParamKind::Bool { .. } => "true or false".into(),
            ParamKind::Text { max_len, list: false, .. } => format!("text of at most {max_len} characters"),
            ParamKind::Text { max_len, list: true, .. } => {
                format!("a list (text separated by spaces or commas, or an array of strings) of at most {max_len} characters")
            }
        }
    }

    pub fn default_text(&self) -> String {
        match &self.kind {
            ParamKind::IntList { default, .. } => default.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            ParamKind::Int { default, .. } => default.to_string(),
            ParamKind::Choice { default, .. } => default.to_string(),
            ParamKind::Bool { default } => default.to_string(),
            ParamKind::Text { default, .. } => default.to_string(),
        }
    }
}

/// The models that can run at all on a page with (or without) shared memory.
pub fn models_here(shared_memory: bool) -> Vec<Model> {
    Model::ALL.into_iter().filter(|m| shared_memory || m.shared_memory() != SharedMemory::Always).collect()
}

/// Why thread models are off on a page that is not isolated, and the way out.
pub const NOT_ISOLATED: &str = "Threads need memory shared between workers, which browsers grant only to a \
    cross-origin isolated page. This page is not isolated here (a host without the headers \
    Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, an \
    iframe in a browser without Document-Isolation-Policy, or service workers blocked). Serial, \
    process pools and async run; for threads, open the playground as its own page on a host that \
    sends those headers, or in Chromium.";

/// Why thread models are off on an isolated page whose browser still gives
/// no shared memory.
pub const NO_SHARED_MEMORY: &str = "Threads need memory shared between workers (SharedArrayBuffer). \
    This page is cross-origin isolated, but this browser does not let it hand shared memory to \
    another worker (WebKit with its default settings, older Safari, some in-app browsers). \
    Serial, process pools and async run; for threads, open the playground in a current Safari, \
    Firefox or Chromium.";

/// A figure the tutorial printed, shown beside what this browser measures.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFigure {
    pub model: Model,
    pub seconds: f64,
    pub note: &'static str,
}

pub fn int(name: &'static str, label: &'static str, help: &'static str, min: i64, max: i64, default: i64) -> ParamSpec {
    ParamSpec { name, label, help, kind: ParamKind::Int { min, max, default } }
}

pub fn choice(name: &'static str, label: &'static str, help: &'static str, options: &[&'static str], default: &'static str) -> ParamSpec {
    ParamSpec { name, label, help, kind: ParamKind::Choice { options: options.to_vec(), default } }
}

pub fn figure(model: Model, seconds: f64, note: &'static str) -> ArticleFigure {
    ArticleFigure { model, seconds, note }
}
