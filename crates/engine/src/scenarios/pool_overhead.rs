//! S4, sleep vs square: slow sleepers or many tiny tasks, each pool fresh per
//! repeat or reused.
use super::ScenarioSpec;
use super::{field, MakesTasks, Outcome, PoolScenario, RunShape, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{choice, figure, int, ParamKind, ParamSpec};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How many tiny tasks "square" maps, and how many sleepers "sleep" has.
pub const SQUARES: usize = 1000;
pub const SLEEPERS: usize = 5;

pub struct PoolOverhead;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    work: Work,
    unit_ms: u32,
    reuse: bool,
    repeats: u32,
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Work {
    Sleep,
    Square,
}

impl Scenario for PoolOverhead {
    fn id(&self) -> ScenarioId {
        ScenarioId::PoolOverhead
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/pool-overhead.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Sleep vs square: when pools lose",
            summary: "“sleep”: five tasks sleeping 0, 1, 2, 3 and 4 time units. “square”: 1000 tiny tasks \
                      computing 2 to the power x. The pool is created per repeat, or once and reused.",
            lesson: "Pools win on slow tasks and lose on tiny ones: a fresh pool pays its starts, and every \
                     task pays its dispatch to a worker. A thread starts in well under a millisecond (a ready \
                     worker takes it on, as CPython's threads start in microseconds), so reusing a thread pool \
                     saves little. A process is a new instance with fresh memory: with the start method \
                     “spawn” it is started when the pool asks (tens of ms each, on the clock), so reusing a \
                     process pool saves most; with “forkserver” (the default, as Linux's Python 3.14) \
                     instances started in advance are handed out, one per process and never reused, so a \
                     fresh process pool costs about what a fresh thread pool does, until it asks for more \
                     than the reserve holds. The spawn segments show each start.",
            models: Model::POOL.to_vec(),
            default_models: Model::COMPARED.to_vec(),
            default_workers: 5,
            params: vec![
                choice("work", "Work", "sleep: slow tasks that wait; square: many tiny tasks.", &["sleep", "square"], "sleep"),
                int("unit_ms", "Time unit (ms)", "The tutorial's unit is one second.", 1, 5000, 100),
                ParamSpec {
                    name: "reuse",
                    label: "Reuse one pool",
                    help: "Keep one pool for all repeats instead of creating one per repeat.",
                    kind: ParamKind::Bool { default: false },
                },
                int("repeats", "Repeats", "The tutorial averaged several repeats.", 1, 10, 3),
            ],
            article: vec![
                figure(Model::Serial, 10.01, "sleep, serial"),
                figure(Model::Processes, 4.04, "sleep, process pool"),
                figure(Model::Threads, 4.02, "sleep, thread pool"),
                figure(Model::Serial, 0.0005, "square, serial"),
                figure(Model::Processes, 0.1289, "square, process pool"),
                figure(Model::Threads, 0.1058, "square, thread pool"),
            ],
        }
    }
}

impl RunsTasks for PoolOverhead {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        if input.get("square").is_some() {
            return Ok(json!(kernels::square::power_of_two_bits(field(input, "square")?)));
        }
        let ms = field(input, "sleep_ms")?;
        cp.sleep(ms as f64)?;
        Ok(json!(ms))
    }
}

impl MakesTasks for PoolOverhead {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        if p.work == Work::Square {
            (0..SQUARES).map(|x| TaskInput::new(plan, x, format!("2**{x}"), json!({ "square": x }))).collect()
        } else {
            (0..SLEEPERS)
                .map(|i| TaskInput::new(plan, i, format!("sleep {i} units"), json!({ "sleep_ms": i as u32 * p.unit_ms })))
                .collect()
        }
    }
}

impl PoolScenario for PoolOverhead {
    fn shape(&self, plan: &RunPlan) -> RunShape {
        let p: Params = plan.params.typed();
        RunShape { repeats: p.repeats, reuse_pool: p.reuse, uses_parent_state: false }
    }
    fn assemble(&self, _plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        super::ScenarioResult::PoolOverhead(PoolOverheadResult {
            per_repeat_ms: outcome.per_repeat_ms,
            pool_start_ms: outcome.pool_start_ms,
        })
    }
}

/// S4's result: the wall time of each repeat, and the pool's first start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolOverheadResult {
    pub per_repeat_ms: Vec<f64>,
    pub pool_start_ms: f64,
}
