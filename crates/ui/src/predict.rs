//! A guess before the run: which model will be fastest, and how fast the
//! pick will be against serial (plain data: the history keeps it). The
//! reading of the run starts with `view::predict::verdict`. The guess never
//! changes the run.
use engine::model::Model;
use serde::{Deserialize, Serialize};

/// How fast the pick runs against serial, roughly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Margin {
    #[serde(rename = "slower")]
    Slower,
    #[serde(rename = "same")]
    Same,
    #[serde(rename = "1.5x")]
    OneAndAHalf,
    #[serde(rename = "2x")]
    Twice,
    #[serde(rename = "more")]
    More,
}

impl Margin {
    pub const ALL: [Margin; 5] = [Margin::Slower, Margin::Same, Margin::OneAndAHalf, Margin::Twice, Margin::More];

    pub fn id(self) -> &'static str {
        match self {
            Margin::Slower => "slower",
            Margin::Same => "same",
            Margin::OneAndAHalf => "1.5x",
            Margin::Twice => "2x",
            Margin::More => "more",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Margin::Slower => "slower",
            Margin::Same => "about the same",
            Margin::OneAndAHalf => "about 1.5× as fast",
            Margin::Twice => "about 2× as fast",
            Margin::More => "more than 2× as fast",
        }
    }

    /// The band a measured speedup falls in.
    pub fn of(speedup: f64) -> Margin {
        match speedup {
            s if s < 0.85 => Margin::Slower,
            s if s < 1.25 => Margin::Same,
            s if s < 1.75 => Margin::OneAndAHalf,
            s if s < 2.5 => Margin::Twice,
            _ => Margin::More,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guess {
    pub fastest: Model,
    pub margin: Margin,
}
