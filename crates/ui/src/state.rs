//! The page's state, in one place, changed only through [`Action`]s.
use crate::client::{Progress, Status};
use crate::form::Form;
use crate::history::{HistoryEntry, MAX_ENTRIES};
use crate::predict::Guess;
use engine::error::{ErrorKind, RunError};
use engine::record::RunRecord;
use std::rc::Rc;
use yew::{AttrValue, Reducible};

#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    /// Models in this batch, and how many have finished.
    pub models: Vec<String>,
    pub finished: usize,
    pub started_ms: f64,
    pub elapsed_ms: f64,
    pub progress: Option<Progress>,
    pub stopping: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub status: Option<Status>,
    pub form: Form,
    pub running: Option<Running>,
    /// Problems to show: bad input, failed runs.
    pub errors: Vec<String>,
    /// Records of the last batch, in the order the models ran.
    pub records: Vec<RunRecord>,
    /// Records of the last speedup sweep, one per worker count.
    pub sweep: Vec<RunRecord>,
    /// A link that reproduces the last batch.
    pub link: String,
    /// A neutral notice, e.g. "Stopped."
    pub notice: Option<String>,
    /// Every finished run, oldest first (kept in local storage by the app).
    pub history: Vec<HistoryEntry>,
    /// Runs added from the reader's machine in this visit, oldest first.
    pub machine: Vec<RunRecord>,
    /// This browser's runs in this visit (the latest `KEPT_RUNS`), for a
    /// machine's run to stand beside.
    pub browser_runs: Vec<RunRecord>,
    /// Ask for a guess before each run (`predict=1`, or the reader's choice).
    pub predict: bool,
    /// The guess step is open: Run was pressed and waits for it.
    pub asking: bool,
    /// The guess made before the current batch, if any.
    pub guess: Option<Guess>,
}

/// How many of this visit's browser runs are kept whole (with timelines).
const KEPT_RUNS: usize = 24;

pub enum Action {
    Status(Status),
    Form(Form),
    Invalid(Vec<String>),
    Started {
        models: Vec<String>,
        link: String,
        now_ms: f64,
        guess: Option<Guess>,
    },
    SweepStarted {
        model: String,
        max: u32,
        now_ms: f64,
    },
    SweepRecord(RunRecord),
    Tick {
        now_ms: f64,
        progress: Option<Progress>,
    },
    Stopping,
    Record(RunRecord),
    Failed(RunError),
    Finished,
    ClearHistory,
    /// A run from the reader's machine, checked (`machine::add`); the
    /// stored history entry goes back through `reply`.
    AddRun {
        record: RunRecord,
        reply: futures_channel::oneshot::Sender<HistoryEntry>,
    },
    /// Ask for a guess before each run, or not.
    Predict(bool),
    /// Open (or close) the guess step.
    Ask(bool),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Status(status) => s.status = Some(status),
            Action::Form(form) => s.form = form,
            Action::Invalid(errors) => s.errors = errors,
            Action::Started { models, link, now_ms, guess } => {
                s.link = link;
                s.guess = guess;
                s.asking = false;
                s.errors.clear();
                s.records.clear();
                s.notice = None;
                s.running = Some(Running { models, finished: 0, started_ms: now_ms, elapsed_ms: 0.0, progress: None, stopping: false });
            }
            Action::SweepStarted { model, max, now_ms } => {
                s.errors.clear();
                s.sweep.clear();
                s.notice = None;
                s.running = Some(Running {
                    models: (1..=max).map(|w| format!("{model} ×{w}")).collect(),
                    finished: 0,
                    started_ms: now_ms,
                    elapsed_ms: 0.0,
                    progress: None,
                    stopping: false,
                });
            }
            Action::SweepRecord(record) => {
                if let Some(r) = &mut s.running {
                    r.finished += 1;
                }
                match record.failure() {
                    Some((ErrorKind::Stopped, text)) => s.notice = Some(text.to_string()),
                    Some((_, text)) => s.errors.push(format!("{} ×{}: {text}", record.model, record.workers)),
                    None => s.sweep.push(record),
                }
            }
            Action::Tick { now_ms, progress } => {
                if let Some(r) = &mut s.running {
                    r.elapsed_ms = now_ms - r.started_ms;
                    r.progress = progress;
                }
            }
            Action::Stopping => {
                if let Some(r) = &mut s.running {
                    r.stopping = true;
                }
            }
            Action::Record(record) => {
                if let Some(r) = &mut s.running {
                    r.finished += 1;
                }
                match record.failure() {
                    Some((ErrorKind::Stopped, text)) => s.notice = Some(text.to_string()),
                    Some((_, text)) => s.errors.push(format!("{}: {text}", record.model)),
                    None => {
                        let serial = s.records.iter().chain(std::iter::once(&record)).find(|r| r.model.is_serial()).map(|r| r.wall_ms);
                        let entry = HistoryEntry::of(&record, serial, js_sys::Date::now());
                        s.push_history(HistoryEntry { guess: s.guess, ..entry });
                        s.browser_runs.push(record.clone());
                        let extra = s.browser_runs.len().saturating_sub(KEPT_RUNS);
                        s.browser_runs.drain(..extra);
                        s.records.push(record);
                    }
                }
            }
            Action::Failed(error) => {
                if error.kind() == ErrorKind::Stopped {
                    s.notice = Some(error.to_string());
                } else {
                    s.errors.push(error.to_string());
                }
            }
            Action::Finished => s.running = None,
            Action::ClearHistory => s.history.clear(),
            Action::Predict(on) => {
                s.predict = on;
                s.asking &= on;
            }
            Action::Ask(open) => s.asking = open,
            Action::AddRun { record, reply } => {
                let serial =
                    crate::machine::serial_beside(&s.machine, &record).or(record.model.is_serial().then_some(&record)).map(|r| r.wall_ms);
                let entry = HistoryEntry::of(&record, serial, js_sys::Date::now());
                s.push_history(entry.clone());
                s.machine.push(record);
                let _ = reply.send(entry);
            }
        }
        Rc::new(s)
    }
}

impl State {
    fn push_history(&mut self, entry: HistoryEntry) {
        self.history.push(entry);
        let extra = self.history.len().saturating_sub(MAX_ENTRIES);
        self.history.drain(..extra);
    }

    pub fn ready(&self) -> bool {
        matches!(self.status, Some(Status::Ready { .. }))
    }

    /// The compute worker cannot start here (a run would only fail).
    pub fn broken(&self) -> bool {
        matches!(self.status, Some(Status::Broken(_)))
    }

    /// Why thread models cannot run here, once the compute worker has said
    /// so (no isolation, or no shared memory in an isolated page).
    pub fn threads_off(&self) -> Option<AttrValue> {
        match &self.status {
            Some(Status::Ready { env, .. }) => env.shared_memory_refusal().map(|r| r.to_string().into()),
            _ => None,
        }
    }
}
