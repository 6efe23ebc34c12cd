//! A guess before the run: which model will be fastest, and how fast the
//! pick will be against serial. The reading of the run then starts by
//! saying how the guess compared with what was measured; the history keeps
//! it. The guess never changes the run.
use crate::view::chart::run_label;
use engine::model::Model;
use engine::record::RunRecord;
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

/// How the guess compared with the run's records: one or two sentences.
pub fn verdict(guess: &Guess, records: &[RunRecord]) -> Option<String> {
    let fastest = records.iter().min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms))?;
    let base = records.iter().find(|r| r.model.is_serial()).unwrap_or(&records[0]);
    let base_name = if base.model.is_serial() { "serial".to_string() } else { run_label(base) };
    let picked = records.iter().find(|r| r.model == guess.fastest);
    let mut out = if fastest.model == guess.fastest {
        format!("Your guess: {} fastest — right.", run_label(fastest))
    } else {
        let pick = picked.map(run_label).unwrap_or_else(|| guess.fastest.label().to_string());
        format!("Your guess: {pick} fastest — {} was ({:.1} ms).", run_label(fastest), fastest.wall_ms)
    };
    if let Some(p) = picked.filter(|p| p.wall_ms > 0.0) {
        let speedup = base.wall_ms / p.wall_ms;
        let measured = Margin::of(speedup);
        let how = if measured == guess.margin { "as you guessed" } else { "you guessed" };
        let guessed = if measured == guess.margin { String::new() } else { format!(" {}", guess.margin.label()) };
        out += &format!(" It ran at {speedup:.2}× {base_name}'s speed ({}), {how}{guessed}.", measured.label());
    }
    Some(out)
}
