//! The Dask programs on a real cluster: a scheduler and two workers on
//! 127.0.0.1 started here, each program as the page gives it run against
//! it (`DASK_SCHEDULER_ADDRESS`) and once on a local cluster of its own.
//! Each prints what its standard-library program prints, and its tasks ran
//! on both workers.
use super::{plan, tiny_server};
use crate::python::PythonProgram;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a program, or the cluster's start, may take.
const LIMIT: Duration = Duration::from_secs(120);

/// The Python of the project's virtual environment with Dask's
/// `distributed` (`PLAYGROUND_DASK_PYTHON` names another). None, with a
/// note, where it is missing outside CI; in CI a missing Dask fails.
fn dask_python() -> Option<PathBuf> {
    let python = std::env::var_os("PLAYGROUND_DASK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"));
    if Command::new(&python).args(["-c", "import distributed"]).output().is_ok_and(|o| o.status.success()) {
        return Some(python);
    }
    let why = format!("Dask's distributed is not installed at {} (bash .ci/install.sh installs it)", python.display());
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// A process in a process group of its own, so stopping it stops whatever
/// it started too.
fn spawn(command: &mut Command) -> Child {
    use std::os::unix::process::CommandExt;
    command.process_group(0).spawn().expect("starts")
}

/// Stop a process started by `spawn` and its group, and wait for it.
fn stop(child: &mut Child) {
    // The group may be gone already: nothing to say then.
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(std::process::Stdio::null()).status();
    let _ = child.kill();
    let _ = child.wait();
}

/// A Dask scheduler and two single-threaded workers on 127.0.0.1, stopped
/// (and waited for) when dropped, whatever happened.
struct Cluster {
    address: String,
    workers: Vec<String>,
    processes: Vec<Child>,
}

impl Cluster {
    fn start(python: &Path, dir: &Path) -> Cluster {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("tcp://127.0.0.1:{port}");
        let log = |name: &str| Stdio::from(std::fs::File::create(dir.join(name)).unwrap());
        let mut cluster = Cluster { address: address.clone(), workers: Vec::new(), processes: Vec::new() };
        let scheduler = ["-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", &port.to_string(), "--no-dashboard"];
        cluster.processes.push(spawn(Command::new(python).args(scheduler).stdout(log("scheduler.log")).stderr(log("scheduler.err"))));
        for i in 0..2 {
            let worker = ["-m", "dask", "worker", &address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard"];
            let name = format!("worker-{i}");
            cluster
                .processes
                .push(spawn(Command::new(python).args(worker).stdout(log(&format!("{name}.log"))).stderr(log(&format!("{name}.err")))));
        }
        // Both workers registered, or no cluster.
        let wait = format!(
            "from distributed import Client\n\
             with Client({address:?}, timeout={secs}) as c:\n    c.wait_for_workers(2, timeout={secs})\n    print(*c.scheduler_info()['workers'])",
            secs = LIMIT.as_secs()
        );
        let out = run(python, &wait, dir, "wait_for_workers.py", &[]);
        cluster.workers = out.split_whitespace().map(str::to_string).collect();
        assert_eq!(cluster.workers.len(), 2, "two workers: {out}");
        cluster
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for process in &mut self.processes {
            stop(process);
        }
    }
}

/// Run `source` saved as `file` in `dir` with `python` and extra `env`;
/// its output, or a failure after `LIMIT` or on a failed exit.
fn run(python: &Path, source: &str, dir: &Path, file: &str, env: &[(&str, &str)]) -> String {
    std::fs::write(dir.join(file), source).unwrap();
    let (stdout, stderr) = (dir.join(format!("{file}.out")), dir.join(format!("{file}.err")));
    let mut command = Command::new(python);
    command.arg(file).current_dir(dir).env_remove("DASK_SCHEDULER_ADDRESS").envs(env.iter().copied());
    command.stdout(std::fs::File::create(&stdout).unwrap()).stderr(std::fs::File::create(&stderr).unwrap());
    let mut child = spawn(&mut command);
    let until = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > until {
            stop(&mut child);
            panic!("{file} did not end within {} s", LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Whatever it left behind goes with it.
    stop(&mut child);
    let out = std::fs::read_to_string(&stdout).unwrap();
    assert!(status.success(), "{file} failed:\n{source}\n---\n{out}\n{}", std::fs::read_to_string(&stderr).unwrap());
    out
}

/// What a program computed: its lines without times and without the Dask
/// workers' report.
fn results(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| !l.starts_with("wall ") && !l.starts_with("per repeat ") && !l.starts_with("Dask worker "))
        .map(|l| l.split_once(": ").filter(|(_, rest)| rest.ends_with("tutorial seconds")).map_or(l, |(head, _)| head).to_string())
        .collect()
}

/// The Dask workers a program says ran its tasks, and how many each.
fn ran_on(out: &str) -> Vec<(String, usize)> {
    out.lines()
        .filter_map(|l| l.strip_prefix("Dask worker "))
        .map(|l| {
            let (worker, rest) = l.split_once(" ran ").unwrap_or_else(|| panic!("a worker's line: {l:?}"));
            (worker.to_string(), rest.trim_end_matches(" tasks").parse().unwrap_or_else(|e| panic!("{e}: {l:?}")))
        })
        .collect()
}

/// A plan's programs: the standard-library one and the Dask one.
fn both(config: Value, base: &str) -> (PythonProgram, PythonProgram) {
    let programs = crate::python::programs(&plan(config), base);
    let dask = programs.iter().find(|p| p.title == "Dask").unwrap_or_else(|| panic!("a Dask program: {programs:?}")).clone();
    assert!(!dask.code.contains("{{"), "every placeholder filled:\n{}", dask.code);
    (programs[0].clone(), dask)
}

/// What the page computes for primes' limits, as its programs print it.
fn page_primes(limits: &[u32]) -> Vec<String> {
    limits
        .iter()
        .map(|&n| {
            let o = kernels::primes::product_of_primes(n, &mut kernels::checkpoint::NoCheckpoint).unwrap();
            format!("below {n}: {} primes, product of {} digits", o.count, o.digits)
        })
        .collect()
}

/// Small runs of every scenario with a Dask program, what each prints that
/// the engine computes, and how many tasks it maps.
fn cases(downloads: &str) -> Vec<(Value, String, &'static str, usize)> {
    let processes = |scenario: &str, params: Value| json!({"scenario": scenario, "model": "processes", "workers": 2, "params": params});
    vec![
        // Past CPython's default limit on converting integers to text.
        (processes("primes", json!({"limits": "12000,3000,2000,1000"})), String::new(), "below 12000: 1438 primes", 4),
        (processes("factorial", json!({"n": 10})), String::new(), "'362880'", 10),
        (processes("pool-overhead", json!({"unit_ms": 1, "repeats": 2})), String::new(), "per repeat", 10),
        (processes("sample", json!({"k": 1000, "calls": 4})), String::new(), "lengths [1000, 1000, 1000, 1000]", 4),
        (processes("downloads", json!({"preset": "pages", "limit": 2})), downloads.to_string(), "5 bytes, crc32 3610a686", 6),
        (
            json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": 4, "cpucount": 2, "scale_ms": 2}}),
            String::new(),
            "9 reports; variant 4",
            9,
        ),
    ]
}

#[test]
fn every_dask_program_runs_on_a_cluster_of_two_workers_as_its_standard_library_program_does() {
    let Some(python) = dask_python() else { return };
    let dir = std::env::temp_dir().join(format!("playground-dask-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cluster = Cluster::start(&python, &dir);
    // Three runs of six files each: the standard library, the cluster, a local cluster.
    let downloads = tiny_server(18 + 6);
    for (config, base, expected, tasks) in cases(&downloads) {
        let (standard, dask) = both(config, &base);
        let want = run(&python, &standard.code, &dir, &standard.filename, &[]);
        assert!(want.contains(expected), "{}: expected {expected:?} in\n{want}", standard.filename);
        assert!(!results(&want).is_empty() || expected == "per repeat", "{want}");

        let got = run(&python, &dask.code, &dir, &dask.filename, &[("DASK_SCHEDULER_ADDRESS", &cluster.address)]);
        assert_eq!(results(&got), results(&want), "{} on the cluster:\n{got}", dask.filename);
        if dask.filename.starts_with("primes") {
            assert_eq!(results(&got), page_primes(&[12000, 3000, 2000, 1000]), "the page's counts");
        }
        assert!(got.contains(expected), "{got}");
        let ran = ran_on(&got);
        let mut workers: Vec<_> = ran.iter().map(|(w, _)| w.clone()).collect();
        workers.sort();
        assert_eq!(workers, cluster.workers, "{}: its tasks ran on both workers:\n{got}", dask.filename);
        assert_eq!(ran.iter().map(|(_, n)| n).sum::<usize>(), tasks, "{}: every task once:\n{got}", dask.filename);

        // Without an address: a local cluster of its own.
        let local = run(&python, &dask.code, &dir, &dask.filename, &[]);
        assert_eq!(results(&local), results(&want), "{} on a local cluster:\n{local}", dask.filename);
        let ran = ran_on(&local);
        assert!(ran.iter().all(|(w, _)| !cluster.workers.contains(w)), "not the test's cluster:\n{local}");
        assert_eq!(ran.iter().map(|(_, n)| n).sum::<usize>(), tasks, "{local}");
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dask_programs_come_where_a_process_pool_maps_the_tasks() {
    let names = |config: Value| -> Vec<String> { crate::python::programs(&plan(config), "").into_iter().map(|p| p.filename).collect() };
    for scenario in ["primes", "factorial", "pool-overhead", "sample", "downloads"] {
        let stem = scenario.replace('-', "_");
        assert_eq!(
            names(json!({"scenario": scenario, "model": "processes"})),
            [format!("{stem}_processes.py"), format!("{stem}_processes_dask.py")]
        );
        assert_eq!(names(json!({"scenario": scenario, "model": "threads"})), [format!("{stem}_threads.py")]);
    }
    // Its lock cannot be pickled to a Dask worker, and the lesson is one machine's memory.
    assert_eq!(names(json!({"scenario": "shared-state", "model": "processes"})), ["shared_state_processes.py"]);
    for variant in 1..=6 {
        let dask = names(json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": variant}})).len() == 2;
        assert_eq!(dask, variant == 4, "variant {variant}: only a fresh pool per endpoint is an executor to swap");
    }
    assert_eq!(names(json!({"scenario": "wordcount", "model": "dataflow"})), ["wordcount_dataflow.py", "wordcount_dataflow_bytewax.py"]);

    let (standard, dask) = both(json!({"scenario": "primes", "model": "processes", "workers": 3}), "");
    assert!(
        dask.code.contains("Client(n_workers=3, threads_per_worker=1)") && dask.code.contains("client.get_executor(pure=False) as pool"),
        "{}",
        dask.code
    );
    assert!(
        dask.code.contains("python3 primes_processes_dask.py") && dask.code.contains("DASK_SCHEDULER_ADDRESS=tcp://"),
        "how to run it:\n{}",
        dask.code
    );
    // The same program with the pool swapped.
    // (The standard-library one also has the record's code, for --json, before its first definition.)
    let body = |code: &str| code[code.find("\nLIMITS = ").unwrap()..].lines().nth(1).map(str::to_string);
    assert_eq!(body(&dask.code), body(&standard.code));
    let body =
        |code: &str| code[code.find("\ndef is_prime").unwrap()..code.find("\ndef task").unwrap()].replace("\n@measured(\"compute\")", "");
    assert_eq!(body(&dask.code), body(&standard.code));
    assert!(!dask.code.contains("ProcessPoolExecutor(") && !dask.code.contains("multiprocessing"), "{}", dask.code);
}
