//! The page's public contract beyond a run record: what `ready` resolves to,
//! and the messages of an embedded playground (README, "Embedding"),
//! protocol `PROTOCOL`. Plain data, written and read by `ui`, published as
//! JSON Schemas by `engine::schema`.
use crate::config::RunConfig;
use crate::model::Model;
use crate::python::PythonProgram;
use crate::record::RunRecord;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of the embed's messages; it changes when a message does.
pub const PROTOCOL: u32 = 1;

/// What `window.playground.ready` resolves to (and `playground:ready` carries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadyInfo {
    pub cores: u32,
    /// `crossOriginIsolated`.
    pub isolated: bool,
    /// Whether threads run here (an isolated page may still lack shared memory).
    pub shared_memory: bool,
    /// "threads" (shared memory) or "plain".
    pub build: String,
    /// The most threads a run may ask for here (0 where none run).
    pub threads: u32,
    /// The models that run here.
    pub models: Vec<Model>,
}

/// Every message between an embedded playground and the page around it:
/// the parent's requests and the playground's events, each written as its
/// `type` and fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EmbedMessage {
    Request(EmbedRequest),
    Event(EmbedEvent),
}

/// parent → iframe. The playground reads only these (a small decoder: the
/// page's module carries no reader for its own events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum EmbedRequest {
    /// Run `config` (as for `window.playground.run`). Read as JSON and
    /// validated as a config, so a wrong one is answered with what is wrong.
    #[serde(rename = "playground:run")]
    Run {
        id: Value,
        #[schemars(with = "RunConfig")]
        config: Value,
    },
    /// The Python programs of `config`.
    #[serde(rename = "playground:python")]
    Python {
        id: Value,
        #[schemars(with = "RunConfig")]
        config: Value,
    },
    /// Add a run made elsewhere (`python3 <program> --json`), as
    /// `window.playground.addRun` does; answered by `playground:result` with
    /// the record as added, or why it was refused. The record is read as
    /// JSON and checked as an import is, so a wrong one is answered with the
    /// first thing wrong.
    #[serde(rename = "playground:add-run")]
    AddRun {
        id: Value,
        #[schemars(with = "RunRecord")]
        record: Value,
    },
    /// Stop the run in progress.
    #[serde(rename = "playground:stop")]
    Stop,
}

/// iframe → parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum EmbedEvent {
    /// Once it can run.
    #[serde(rename = "playground:ready")]
    Ready { protocol: u32, env: ReadyInfo },
    /// A run's record, or why there is none.
    #[serde(rename = "playground:result")]
    Result {
        id: Value,
        #[serde(flatten)]
        outcome: RunReply,
    },
    /// A config's Python programs, or why there are none.
    #[serde(rename = "playground:programs")]
    Programs {
        id: Value,
        #[serde(flatten)]
        outcome: ProgramsReply,
    },
    /// The content's height in CSS pixels.
    #[serde(rename = "playground:resize")]
    Resize { height: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RunReply {
    Record { record: Box<RunRecord> },
    Error { error: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ProgramsReply {
    Programs { programs: Vec<PythonProgram> },
    Error { error: String },
}
