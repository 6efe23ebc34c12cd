//! The one list of scenarios, in the page's order. Each line:
//! `accessor: Variant(its result type) = the scenario, as "its id", runs
//! Runner`. `scenario_id` makes [`crate::scenario_id::ScenarioId`] of it (the
//! ids alone: plans, records and tasks carry them, and it depends on no
//! scenario), `scenarios` the rest (the scenario each id stands for, its
//! runner with what that runner needs of it, and `ScenarioResult`). Adding a
//! scenario adds one line here; the compiler finds every match that must
//! learn of it.
macro_rules! scenario_registry {
    ($then:ident) => {
        $then! {
            primes: Primes(primes::PrimesResult) = primes::Primes, as "primes", runs Pool,
            sample: Sample(sample::SampleResult) = sample::Sample, as "sample", runs WholePrograms,
            factorial: Factorial(factorial::FactorialResult) = factorial::Factorial, as "factorial", runs Pool,
            pool_overhead: PoolOverhead(pool_overhead::PoolOverheadResult) = pool_overhead::PoolOverhead, as "pool-overhead", runs Pool,
            shared_state: SharedState(shared_state::SharedStateResult) = shared_state::SharedState, as "shared-state", runs Pool,
            quadrants: Quadrants(quadrants::QuadrantsResult) = quadrants::Quadrants, as "quadrants", runs Quadrants,
            downloads: Downloads(downloads::DownloadsResult) = downloads::Downloads, as "downloads", runs Pool,
            pipeline: Pipeline(pipeline::PipelineResult) = pipeline::PipelineScenario, as "pipeline", runs Pipeline,
            wordcount: WordCount(wordcount::WordCountResult) = wordcount::WordCount, as "wordcount", runs Dataflow,
        }
    };
}
