//! The scenario catalog: ids, texts, parameters with defaults and ranges.
//! `window.playground.scenarios()` returns this as JSON.
use serde::Serialize;

pub const MAX_WORKERS: u32 = 32;
pub const DEFAULT_WORKERS: u32 = 4;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ParamKind {
    /// A comma-separated list of whole numbers.
    IntList { min: i64, max: i64, min_len: usize, max_len: usize, default: Vec<i64> },
    Int { min: i64, max: i64, default: i64 },
    Choice { options: Vec<&'static str>, default: &'static str },
    Bool { default: bool },
    /// Free text; with `list`, items separated by whitespace or commas, and
    /// an array of strings is accepted too.
    Text { max_len: usize, default: &'static str, list: bool },
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: ParamKind,
}

impl ParamSpec {
    /// The range in words, for messages and the page.
    pub fn range_text(&self) -> String {
        match &self.kind {
            ParamKind::IntList { min, max, min_len, max_len, .. } => {
                format!("{min_len} to {max_len} whole numbers from {min} to {max}, separated by commas")
            }
            ParamKind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            ParamKind::Choice { options, .. } => format!("one of {}", options.join(", ")),
            ParamKind::Bool { .. } => "true or false".into(),
            ParamKind::Text { max_len, list: false, .. } => format!("text of at most {max_len} characters"),
            ParamKind::Text { max_len, list: true, .. } => {
                format!("a list (text separated by spaces or commas, or an array of strings) of at most {max_len} characters")
            }
        }
    }

    pub fn default_text(&self) -> String {
        match &self.kind {
            ParamKind::IntList { default, .. } => default.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            ParamKind::Int { default, .. } => default.to_string(),
            ParamKind::Choice { default, .. } => default.to_string(),
            ParamKind::Bool { default } => default.to_string(),
            ParamKind::Text { default, .. } => default.to_string(),
        }
    }
}

/// Whether a model's runs need memory shared between workers, which a
/// browser grants only to a cross-origin isolated page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SharedMemory {
    Never,
    Always,
    /// Some configurations only (`RunPlan::needs_shared_memory` says which).
    Sometimes,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelSpec {
    pub id: &'static str,
    pub label: &'static str,
    pub python: &'static str,
    pub needs_shared_memory: SharedMemory,
}

/// The models that can run at all on a page that is (or is not) isolated.
pub fn models_here(isolated: bool) -> Vec<&'static str> {
    MODELS.iter().filter(|m| isolated || m.needs_shared_memory != SharedMemory::Always).map(|m| m.id).collect()
}

/// Why thread models are off on a page that is not isolated, and the way out.
pub const NOT_ISOLATED: &str = "Threads need memory shared between workers, which browsers grant only to a \
    cross-origin isolated page. This page is not isolated here (a host without the headers \
    Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, an \
    iframe in a browser without Document-Isolation-Policy, or service workers blocked). Serial, \
    process pools and async run; for threads, open the playground as its own page on a host that \
    sends those headers, or in Chromium.";

pub const MODELS: [ModelSpec; 8] = [
    ModelSpec { id: "serial", label: "Serial", python: "a plain loop", needs_shared_memory: SharedMemory::Never },
    ModelSpec {
        id: "threads",
        label: "Thread pool",
        python: "ThreadPoolExecutor / multiprocessing.pool.ThreadPool",
        needs_shared_memory: SharedMemory::Always,
    },
    ModelSpec {
        id: "processes",
        label: "Process pool",
        python: "ProcessPoolExecutor / multiprocessing.Pool",
        needs_shared_memory: SharedMemory::Never,
    },
    ModelSpec {
        id: "async",
        label: "Async (one thread)",
        python: "asyncio with a semaphore",
        needs_shared_memory: SharedMemory::Never,
    },
    ModelSpec { id: "per-task", label: "A thread per task", python: "threading.Thread per item", needs_shared_memory: SharedMemory::Always },
    ModelSpec {
        id: "batches",
        label: "Thread batches",
        python: "start MAX threads, join them, start the next MAX",
        needs_shared_memory: SharedMemory::Always,
    },
    ModelSpec {
        id: "pipeline",
        label: "Stages and queues",
        python: "threading.Thread + queue.Queue feeding multiprocessing pools",
        needs_shared_memory: SharedMemory::Sometimes,
    },
    ModelSpec {
        id: "dataflow",
        label: "Processes × threads",
        python: "P processes, each with T threads, exchanging partial counts",
        needs_shared_memory: SharedMemory::Sometimes,
    },
];

/// A figure the tutorial printed, shown beside what this browser measures.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFigure {
    pub model: &'static str,
    pub seconds: f64,
    pub note: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub lesson: &'static str,
    pub models: Vec<&'static str>,
    /// The models ticked when the scenario is opened.
    pub default_models: Vec<&'static str>,
    pub default_workers: u32,
    pub params: Vec<ParamSpec>,
    pub article: Vec<ArticleFigure>,
}

impl ScenarioSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

const POOL_MODELS: [&str; 4] = ["serial", "threads", "processes", "async"];
const COMPARED: [&str; 3] = ["serial", "threads", "processes"];

fn int(name: &'static str, label: &'static str, help: &'static str, min: i64, max: i64, default: i64) -> ParamSpec {
    ParamSpec { name, label, help, kind: ParamKind::Int { min, max, default } }
}

fn figure(model: &'static str, seconds: f64, note: &'static str) -> ArticleFigure {
    ArticleFigure { model, seconds, note }
}

fn primes() -> ScenarioSpec {
    ScenarioSpec {
        id: "primes",
        title: "Product of primes",
        summary: "For each limit n, find every prime below n by naive trial division, count them, \
                  and multiply them together as an exact big integer.",
        lesson: "CPU-bound work speeds up with processes, and with threads only when no global lock \
                 serialises them. The tasks are unequal, so the largest one caps the speedup.",
        models: POOL_MODELS.to_vec(),
        default_models: COMPARED.to_vec(),
        default_workers: DEFAULT_WORKERS,
        params: vec![ParamSpec {
            name: "limits",
            label: "Limits (one task each)",
            help: "Each limit is one task: all primes below it are found and multiplied.",
            kind: ParamKind::IntList { min: 1, max: 200_000, min_len: 1, max_len: 16, default: vec![50328, 22756, 39371, 44832] },
        }],
        article: vec![
            figure("serial", 10.0, "CPython on a 1.1 GHz quad-core laptop"),
            figure("processes", 4.2, "four processes, same laptop"),
        ],
    }
}

fn sample() -> ScenarioSpec {
    ScenarioSpec {
        id: "sample",
        title: "Random sampling into a list",
        summary: "Each call draws k distinct integers from 0..20,000,000 into a list, as CPython's \
                  random.sample does (a copy of the population when that is smaller than a set of k \
                  entries, a set of chosen indices otherwise); the function is called several times.",
        lesson: "Parallelism cuts the wall time, not the amount of work: CPU time (busy time summed \
                 over workers) stays about the same.",
        models: POOL_MODELS.to_vec(),
        default_models: COMPARED.to_vec(),
        default_workers: 2,
        params: vec![
            int("k", "Values per call (k)", "The tutorial used 10,000,000.", 1, 10_000_000, 10_000_000),
            int("calls", "Calls", "How many times the function runs (one task each).", 1, 8, 2),
        ],
        article: vec![
            figure("serial", 35.1, "real time, CPython, two calls one after the other"),
            figure("processes", 17.0, "two processes: real time less than half; user+sys about the same"),
        ],
    }
}

fn factorial() -> ScenarioSpec {
    ScenarioSpec {
        id: "factorial",
        title: "Pool map of factorial",
        summary: "Map factorial over 0..n with each kind of pool; values are exact big integers.",
        lesson: "map returns results in input order, whatever order the workers finish in.",
        models: POOL_MODELS.to_vec(),
        default_models: COMPARED.to_vec(),
        default_workers: DEFAULT_WORKERS,
        params: vec![
            int("n", "n (tasks 0..n)", "Factorials of 0 to n−1.", 1, 3000, 10),
            int("fail_at", "Task that raises", "This task panics, as if it raised an exception (−1: none).", -1, 3000, -1),
        ],
        article: vec![],
    }
}

fn pool_overhead() -> ScenarioSpec {
    ScenarioSpec {
        id: "pool-overhead",
        title: "Sleep vs square: when pools lose",
        summary: "“sleep”: five tasks sleeping 0, 1, 2, 3 and 4 time units. “square”: 1000 tiny tasks \
                  computing 2 to the power x. The pool is created per repeat, or once and reused.",
        lesson: "Pools win on slow tasks and lose on tiny ones: a fresh pool pays its starts, and every \
                 task pays its dispatch to a worker. A thread starts in well under a millisecond (a ready \
                 worker takes it on, as CPython's threads start in microseconds), so reusing a thread pool \
                 saves little; a process starts a new instance with fresh memory (tens of ms each), so \
                 reusing a process pool saves most. The spawn segments show each start.",
        models: POOL_MODELS.to_vec(),
        default_models: COMPARED.to_vec(),
        default_workers: 5,
        params: vec![
            ParamSpec {
                name: "work",
                label: "Work",
                help: "sleep: slow tasks that wait; square: many tiny tasks.",
                kind: ParamKind::Choice { options: vec!["sleep", "square"], default: "sleep" },
            },
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
            figure("serial", 10.01, "sleep, serial"),
            figure("processes", 4.04, "sleep, process pool"),
            figure("threads", 4.02, "sleep, thread pool"),
            figure("serial", 0.0005, "square, serial"),
            figure("processes", 0.1289, "square, process pool"),
            figure("threads", 0.1058, "square, thread pool"),
        ],
    }
}

fn shared_state() -> ScenarioSpec {
    ScenarioSpec {
        id: "shared-state",
        title: "Shared state: threads share memory, processes don't",
        summary: "Each task appends its number to one list, then adds to three counters: one without a \
                  lock, one atomic, one behind a mutex.",
        lesson: "Threads change the parent's list; processes change their own copies and the parent's \
                 list stays empty. Without a lock, threads running at once lose updates.",
        models: POOL_MODELS.to_vec(),
        default_models: COMPARED.to_vec(),
        default_workers: DEFAULT_WORKERS,
        params: vec![
            int("items", "Items (tasks)", "The tutorial appended 0..20.", 1, 1000, 20),
            int("increments", "Increments per task", "Added to each counter by every task.", 0, 10_000_000, 1_000_000),
        ],
        article: vec![],
    }
}

fn quadrants() -> ScenarioSpec {
    ScenarioSpec {
        id: "quadrants",
        title: "The four quadrants",
        summary: "The same tasks (each waits, then computes) run four ways: neither concurrent nor parallel; \
                  concurrent, not parallel; parallel, not concurrent; both.",
        lesson: "Concurrency overlaps waiting; parallelism overlaps computing. Only both overlap both.",
        models: vec!["threads"],
        default_models: vec!["threads"],
        default_workers: 4,
        params: vec![
            int("tasks", "Tasks", "How many tasks.", 1, 16, 4),
            int("wait_ms", "Wait per task (ms)", "The I/O-like wait before computing.", 0, 5000, 150),
            int("work", "Work per task", "Count primes below this number by trial division.", 1000, 200_000, 40_000),
        ],
        article: vec![],
    }
}

fn downloads() -> ScenarioSpec {
    ScenarioSpec {
        id: "downloads",
        title: "Downloads: concurrency needs no cores",
        summary: "Download a list of files and keep their bytes (size and checksum per file). The files come \
                  from this app's own latency server, which answers after a chosen delay, so waiting \
                  dominates as on a real network; your own URLs work too where their server allows it.",
        lesson: "I/O-bound work speeds up with threads even under a GIL, and with async on one thread: \
                 while one request waits, others proceed. Processes help too but pay their start-up.",
        models: vec!["serial", "threads", "per-task", "batches", "async", "processes"],
        default_models: vec!["serial", "threads", "async", "processes"],
        default_workers: 6,
        params: vec![
            ParamSpec {
                name: "preset",
                label: "Files",
                help: "pages: 6 blog posts; images: 6 images × 5 = 30 downloads; images20: 20 images.",
                kind: ParamKind::Choice { options: vec!["pages", "images", "images20"], default: "images" },
            },
            int("count", "Downloads", "How many downloads, cycling through the files (0: the preset's own number).", 0, 500, 0),
            int("latency_ms", "Latency (ms)", "Delay before each response from the app's latency server.", 0, 10_000, 200),
            int("bandwidth_kbps", "Bandwidth (kbit/s)", "Cap per download (0: unlimited).", 0, 10_000_000, 0),
            int("limit", "Concurrency limit", "Pool size, requests in flight (async), or batch size.", 1, 32, 6),
            ParamSpec {
                name: "urls",
                label: "Your URLs",
                help: "Instead of the preset: URLs separated by spaces or commas.",
                kind: ParamKind::Text { max_len: 20_000, default: "", list: true },
            },
        ],
        article: vec![],
    }
}

fn pipeline() -> ScenarioSpec {
    ScenarioSpec {
        id: "pipeline",
        title: "Report pipeline: stages and queues",
        summary: "For each of three endpoints: collect (an API wait, never two at once), import (a disk \
                  wait, one at a time), then one report per interval (30, 60, 90). Six variants move the \
                  stages onto threads and process pools connected by queues; time is scaled so the \
                  tutorial's minute takes about a second.",
        lesson: "Overlap the stages and the slowest one sets the pace; give the parallel stage a pool \
                 that lives for the whole run and is fed by a queue. With real CPU work, gains stop at \
                 the number of cores.",
        models: vec!["pipeline"],
        default_models: vec!["pipeline"],
        default_workers: 1,
        params: vec![
            int("variant", "Variant", "1 serial; 2 report thread; 3 plus import thread; 4 fresh process pool per \
                 endpoint; 5 one long-lived pool fed by a queue; 6 variant 5 plus the import thread.", 1, 6, 5),
            int("cpucount", "Pool size (cpucount)", "Workers in the report pool (variants 4 to 6).", 1, 16, 3),
            ParamSpec {
                name: "report",
                label: "Report step",
                help: "wait: a timed wait, as in the tutorial; cpu: real CPU work calibrated to the same time.",
                kind: ParamKind::Choice { options: vec!["wait", "cpu"], default: "wait" },
            },
            int("scale_ms", "Scale (ms per tutorial second)", "How long one second of the tutorial takes here.", 1, 1000, 20),
        ],
        article: vec![],
    }
}

fn wordcount() -> ScenarioSpec {
    ScenarioSpec {
        id: "wordcount",
        title: "Word count across processes × threads",
        summary: "Lower-case each line, split it into words, count each word. The dataflow cuts the text \
                  into one part per isolated worker, counts each part with that worker's threads, combines \
                  the threads' counts, sends the partial counts back and reduces them into one.",
        lesson: "Data parallelism: partition, count locally, exchange partial counts, reduce. The answer \
                 is the same in every layout; the exchange is the price of spreading out.",
        models: vec!["serial", "dataflow"],
        default_models: vec!["serial", "dataflow"],
        default_workers: 1,
        params: vec![
            ParamSpec {
                name: "preset",
                label: "Input",
                help: "headlines: eight short news headlines; corpus: a large generated text.",
                kind: ParamKind::Choice { options: vec!["headlines", "corpus"], default: "headlines" },
            },
            int("corpus_mb", "Corpus size (MB)", "Size of the generated corpus.", 1, 256, 32),
            ParamSpec {
                name: "text",
                label: "Your text",
                help: "Count this text instead of the preset.",
                kind: ParamKind::Text { max_len: 100_000, default: "", list: false },
            },
            int("procs", "Isolated workers (P)", "How many parts the text is cut into, one per isolated worker.", 1, 8, 2),
            int("threads_per_proc", "Threads per worker (T)", "Threads counting inside each isolated worker.", 1, 8, 2),
        ],
        article: vec![],
    }
}

pub fn scenarios() -> Vec<ScenarioSpec> {
    vec![
        primes(),
        sample(),
        factorial(),
        pool_overhead(),
        shared_state(),
        quadrants(),
        downloads(),
        pipeline(),
        wordcount(),
    ]
}

pub fn scenario(id: &str) -> Option<ScenarioSpec> {
    scenarios().into_iter().find(|s| s.id == id)
}

pub fn model(id: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|m| m.id == id)
}
