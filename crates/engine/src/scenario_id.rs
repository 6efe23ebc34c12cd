//! Which scenario: [`ScenarioId`], made from the one list in
//! `registry.rs`. Written as its id text (kebab-case) in links, plans,
//! records and task messages; in code, a closed set the compiler checks.
//! What each id stands for is `scenarios`' (`ScenarioId::scenario`).
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! scenario_ids {
    ($($accessor:ident: $variant:ident($result:ty) = $scenario:expr, as $id:literal, runs $runner:ident),* $(,)?) => {
        /// Which scenario: in links, plans, records and task messages as its
        /// id text (kebab-case); in code, a closed set the compiler checks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum ScenarioId {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl ScenarioId {
            /// Every scenario, in the page's order.
            pub const ALL: &'static [ScenarioId] = &[$(ScenarioId::$variant),*];

            /// The id in links, plans and records.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ScenarioId::$variant => $id,)*
                }
            }

            /// The id written as `text`, if a scenario has it.
            pub fn parse(text: &str) -> Option<ScenarioId> {
                match text {
                    $($id => Some(ScenarioId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

scenario_registry!(scenario_ids);

impl Default for ScenarioId {
    /// The scenario a page without one in its link opens.
    fn default() -> Self {
        ScenarioId::Primes
    }
}

impl std::fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ScenarioId {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        ScenarioId::parse(text).ok_or_else(|| format!("no scenario '{text}'"))
    }
}
