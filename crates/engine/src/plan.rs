//! A validated run (`config::validate` makes one): what the runtime executes.
//! Plain data, so it crosses `postMessage` as JSON.
use crate::model::Model;
use crate::start_method::StartMethod;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    pub scenario: crate::scenario_id::ScenarioId,
    pub model: Model,
    pub workers: u32,
    pub gil: bool,
    /// How its processes start (plans sent before this existed: the default).
    #[serde(default)]
    pub start_method: StartMethod,
    pub params: Params,
}

/// One validated parameter value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Bool(bool),
    Int(i64),
    IntList(Vec<i64>),
    Text(String),
}

impl ParamValue {
    /// As written in a link.
    pub fn to_text(&self) -> String {
        match self {
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Int(n) => n.to_string(),
            ParamValue::IntList(l) => l.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            ParamValue::Text(t) => t.clone(),
        }
    }
}

/// Every parameter of the scenario, validated, defaults filled in. A
/// scenario reads them as its own typed record ([`Params::typed`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Params(pub BTreeMap<String, ParamValue>);

impl Params {
    /// The parameters as the scenario's typed record. Validation filled in
    /// every parameter of the scenario's spec, and each scenario's tests read
    /// its defaults this way, so a field that the spec lacks fails a test,
    /// not a run.
    pub fn typed<T: DeserializeOwned>(&self) -> T {
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        serde_json::from_value(value).unwrap_or_else(|e| panic!("parameters do not fit their record: {e}"))
    }

    /// A whole-number parameter, if the plan has one of that name.
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.0.get(name) {
            Some(ParamValue::Int(n)) => Some(*n),
            _ => None,
        }
    }
}

impl RunPlan {
    /// Parameters as they appear in the run record.
    pub fn params_json(&self) -> Value {
        serde_json::to_value(&self.params).unwrap_or(Value::Null)
    }

    pub fn gil_text(&self) -> &'static str {
        if self.gil {
            "on"
        } else {
            "off"
        }
    }

    /// The GIL applies: threads of one interpreter, with the switch on.
    pub fn gil_applies(&self) -> bool {
        self.gil && self.model.uses_threads()
    }
}
