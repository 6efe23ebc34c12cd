//! What the page says of the compute worker while it starts and runs.
use engine::protocol::StartStage;
use engine::record::Env;

/// A failure as one readable sentence: the first line of what the browser
/// said (never a stack), at most 300 characters.
pub(super) fn readable(message: &str) -> String {
    let line = message.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("unknown error");
    let mut text: String = line.chars().take(300).collect();
    if text.len() < line.len() {
        text.push('…');
    }
    text
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Starting(Starting),
    Ready { env: Env, threads: u32 },
    Broken(String),
}

/// How far the compute worker's start has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Starting {
    /// Not started yet: the page waits for its service worker (see `www/boot.js`).
    Waiting,
    /// Its module arriving: bytes so far of all.
    Loading {
        loaded: f64,
        total: f64,
    },
    Stage(StartStage),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}
