//! What crosses a boundary (a plan posted to the compute worker, a message
//! between workers) is decoded and checked again there. These tests feed
//! the decoders and `config::revalidate` plans and messages of every shape,
//! random ones included, and ask that nothing panics and that every plan
//! the page itself makes is taken as it is.
use crate::config::{revalidate, validate, RunConfig};
use crate::plan::RunPlan;
use crate::protocol::{FromCompute, FromProcess, ToCompute, ToProcess};
use crate::scenarios;
use serde_json::{json, Value};

/// Every plan the page makes: each scenario in each of its models, and the
/// same with every pool size a sweep asks (1 to the largest it may) and the
/// pipeline's table.
fn page_plans() -> Vec<RunPlan> {
    let mut plans = Vec::new();
    for spec in scenarios::specs() {
        for model in &spec.models {
            let config = RunConfig { scenario: spec.id.as_str().into(), model: model.id().into(), ..RunConfig::default() };
            let plan = validate(&config).expect("a scenario's own default config is valid");
            if !plan.model.is_serial() {
                plans.extend((1..=plan.max_pool_size()).map(|n| plan.with_pool_size(n)));
            }
            if spec.id == crate::scenarios::ScenarioId::Pipeline {
                for (variant, cpucount, _) in scenarios::pipeline::ARTICLE {
                    let mut table = plan.clone();
                    table.params.0.insert("variant".into(), crate::plan::ParamValue::Int(variant.into()));
                    table.params.0.insert("cpucount".into(), crate::plan::ParamValue::Int(cpucount.unwrap_or(1).into()));
                    plans.push(table);
                }
            }
            plans.push(plan);
        }
    }
    plans
}

#[test]
fn every_plan_the_page_makes_passes_the_check_unchanged() {
    for plan in page_plans() {
        assert_eq!(revalidate(&plan).as_ref(), Ok(&plan), "{plan:?}");
    }
}

/// A small, fixed pseudo-random source: the same cases on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

/// A JSON value of any shape, with the project's own words and numbers at
/// the edges of their ranges among the random ones.
fn random_value(rng: &mut Lcg, depth: u32) -> Value {
    let words = ["primes", "quadrants", "pipeline", "wordcount", "threads", "serial", "spawn", "limits", "", "nope", "-1"];
    let numbers = [json!(0), json!(-1), json!(1), json!(32), json!(33), json!(200000), json!(1e300), json!(0.5), json!(u64::MAX)];
    match rng.next() % if depth > 2 { 4 } else { 6 } {
        0 => Value::Null,
        1 => json!(rng.next().is_multiple_of(2)),
        2 => rng.pick(&numbers).clone(),
        3 => json!(rng.pick(&words)),
        4 => Value::Array((0..rng.next() % 4).map(|_| random_value(rng, depth + 1)).collect()),
        _ => {
            let keys = ["scenario", "model", "workers", "gil", "params", "start_method", "limits", "variant", "type", "id", "plan", "task"];
            Value::Object((0..rng.next() % 6).map(|_| (rng.pick(&keys).to_string(), random_value(rng, depth + 1))).collect())
        }
    }
}

/// A plan's JSON with one field replaced by a random value.
fn mutated_plan(rng: &mut Lcg, plans: &[RunPlan]) -> Value {
    let mut plan = serde_json::to_value(rng.pick(plans)).expect("a plan serialises");
    let fields = ["scenario", "model", "workers", "gil", "start_method", "params"];
    let field = *rng.pick(&fields);
    if field == "params" && rng.next().is_multiple_of(2) {
        if let Some(params) = plan["params"].as_object_mut() {
            if let Some(key) = params.keys().nth(rng.next() as usize % params.len().max(1)).cloned() {
                params.insert(key, random_value(rng, 1));
            }
        }
    } else {
        plan[field] = random_value(rng, 1);
    }
    plan
}

#[test]
fn random_plans_are_refused_or_run_never_panic() {
    let plans = page_plans();
    let mut rng = Lcg(7);
    let mut taken = 0;
    for _ in 0..4000 {
        let value = if rng.next().is_multiple_of(4) { random_value(&mut rng, 0) } else { mutated_plan(&mut rng, &plans) };
        let Ok(plan) = serde_json::from_value::<RunPlan>(value) else { continue };
        let Ok(plan) = revalidate(&plan) else { continue };
        taken += 1;
        // What the compute worker does with a plan before it runs anything.
        let _ = scenarios::task_inputs(&plan);
        let _ = plan.scenario.shape(&plan);
        let _ = scenarios::processes_asked(&plan);
        let _ = plan.needs_shared_memory();
        let _ = crate::python::programs(&plan, "http://127.0.0.1/");
    }
    assert!(taken > 100, "the mutations leave enough valid plans to exercise ({taken})");
}

#[test]
fn random_messages_decode_or_are_refused_never_panic() {
    let mut rng = Lcg(11);
    let types = [
        "run", "stop", "prepare", "ready", "starting", "result", "failed", "crashed", "task", "count", "threads", "done", "panicked",
        "counted",
    ];
    for _ in 0..4000 {
        let mut value = random_value(&mut rng, 0);
        if let Some(object) = value.as_object_mut() {
            object.insert("type".into(), json!(rng.pick(&types)));
        }
        let text = value.to_string();
        let _ = serde_json::from_str::<ToCompute>(&text);
        let _ = serde_json::from_str::<FromCompute>(&text);
        let _ = serde_json::from_str::<ToProcess>(&text);
        let _ = serde_json::from_str::<FromProcess>(&text);
        let _ = serde_json::from_str::<crate::embed::EmbedMessage>(&text);
        // Text that is not JSON at all, cut anywhere.
        let cut = text.len() * (rng.next() as usize % 100) / 100;
        let _ = serde_json::from_str::<ToCompute>(text.get(..cut).unwrap_or(""));
    }
}
