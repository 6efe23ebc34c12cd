//! The process pool's bookkeeping over fake workers: what each was sent,
//! whether it was ended.
use super::*;
use crate::scenarios::ScenarioId;
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
struct Log {
    sent: Vec<(u32, ToProcess)>,
    terminated: Vec<u32>,
}

struct FakePort {
    instance: u32,
    log: Rc<RefCell<Log>>,
}

impl WorkerPort for FakePort {
    fn send(&self, msg: &ToProcess) -> Result<(), RunError> {
        self.log.borrow_mut().sent.push((self.instance, msg.clone()));
        Ok(())
    }
    fn terminate(&self) {
        self.log.borrow_mut().terminated.push(self.instance);
    }
    fn instance(&self) -> u32 {
        self.instance
    }
}

fn tasks(n: u32) -> Vec<TaskInput> {
    (0..n).map(|i| TaskInput { scenario: ScenarioId::Primes, index: i, label: format!("task {i}"), input: json!({"i": i}) }).collect()
}

fn done(index: u32, at: f64) -> Said {
    Said::Msg(FromProcess::Done(TaskReply { index, phases: vec![], start_ms: at, end_ms: at + 1.0, output: Ok(json!(index)) }))
}

fn ready(at_ms: f64) -> Said {
    Said::Msg(FromProcess::Ready { at_ms })
}

/// A pool of `n` fake workers, none ready yet.
fn pool(n: u32) -> (PoolBook<FakePort>, Rc<RefCell<Log>>) {
    let log = Rc::new(RefCell::new(Log::default()));
    let mut book = PoolBook::default();
    for instance in 0..n {
        book.push(FakePort { instance, log: log.clone() }, 0.0, false);
    }
    (book, log)
}

/// Which task each send gave to which instance.
fn given(log: &Rc<RefCell<Log>>) -> Vec<(u32, u32)> {
    log.borrow()
        .sent
        .iter()
        .filter_map(|(w, m)| match m {
            ToProcess::Task { task } => Some((*w, task.index)),
            _ => None,
        })
        .collect()
}

#[test]
fn tasks_go_out_in_input_order_and_runs_come_back_in_it() {
    let (mut book, log) = pool(2);
    let tasks = tasks(5);
    let mut next = 0;
    let mut outcome = MapOutcome::default();
    book.feed(&tasks, &mut next, || 0.0).unwrap();
    assert_eq!(next, 0, "no worker is ready yet");
    for w in [1, 0] {
        let step = book.on(w, 0, 5.0, ready(4.0)).unwrap();
        outcome.add(&step);
    }
    assert_eq!(outcome.spawns.len(), 2);
    book.feed(&tasks, &mut next, || 6.0).unwrap();
    assert_eq!(given(&log), [(1, 0), (0, 1)], "the worker ready first gets the first task");
    // Task 1 finishes first; worker 0 takes task 2.
    for (worker, index) in [(0, 1), (1, 0), (1, 3), (0, 2), (1, 4)] {
        let step = book.on(worker, 0, 10.0, done(index, 8.0)).unwrap();
        assert!(matches!(step, Step::Done { .. }), "{step:?}");
        outcome.add(&step);
        book.feed(&tasks, &mut next, || 9.0).unwrap();
    }
    assert!(!book.busy());
    let ids: Vec<Option<u32>> = outcome.sorted().runs.iter().map(|r| r.span.id).collect();
    assert_eq!(ids, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(given(&log), [(1, 0), (0, 1), (0, 2), (1, 3), (1, 4)]);
}

#[test]
fn a_panicking_task_fails_alone_and_its_worker_is_replaced() {
    let (mut book, log) = pool(2);
    let tasks = tasks(3);
    let mut next = 0;
    for w in 0..2 {
        book.on(w, 0, 1.0, ready(1.0)).unwrap();
    }
    book.feed(&tasks, &mut next, || 2.0).unwrap();
    let step = book.on(0, 0, 3.0, Said::Panicked { message: "boom".into() }).unwrap();
    let Step::Panicked { worker: 0, run: Some(run), .. } = step else { panic!("{step:?}") };
    assert_eq!(run.span.id, Some(0));
    assert!(matches!(&run.output, Err(TaskFailure::Failed(m)) if m == "panicked: boom"));
    book.replace(0, FakePort { instance: 7, log: log.clone() }, 3.0);
    assert_eq!(log.borrow().terminated, [0], "the dead worker's instance is ended");
    assert_eq!(book.generation(0), 1);
    // The old instance's late words change nothing; the new one must load first.
    assert!(matches!(book.on(0, 0, 4.0, done(0, 3.5)).unwrap(), Step::Nothing));
    assert_eq!(book.silent(), [1]);
    book.feed(&tasks, &mut next, || 4.0).unwrap();
    assert_eq!(next, 2, "no idle worker: task 2 waits");
    let step = book.on(0, 1, 5.0, ready(4.5)).unwrap();
    assert!(matches!(&step, Step::Started { worker: 0, span } if span.label.contains("instance 7")), "{step:?}");
    book.feed(&tasks, &mut next, || 5.0).unwrap();
    assert_eq!(given(&log).last(), Some(&(7, 2)), "the replacement takes the next task");
}

#[test]
fn a_reply_that_does_not_fit_is_an_error_never_a_panic() {
    let (mut book, _log) = pool(1);
    book.on(0, 0, 1.0, ready(1.0)).unwrap();
    let err = book.on(0, 0, 2.0, done(9, 1.5)).unwrap_err();
    assert!(err.to_string().contains("answered task 9, which it was not running"), "{err}");
    assert!(matches!(book.on(5, 0, 2.0, done(0, 1.5)).unwrap(), Step::Nothing), "no such worker");
    assert!(book.on(0, 0, 2.0, Said::Broken("gone".into())).is_err());
    let mut next = 0;
    book.feed(&tasks(1), &mut next, || 3.0).unwrap();
    assert!(book.send_task(0, &tasks(1)[0], 3.0).is_err(), "one task at a time");
}

#[test]
fn workers_from_the_fork_server_are_ready_at_once_and_counted_once() {
    let log = Rc::new(RefCell::new(Log::default()));
    let mut book = PoolBook::default();
    book.push(FakePort { instance: 3, log: log.clone() }, 0.0, true);
    assert!(book.all_ready());
    assert!(matches!(book.on(0, 0, 1.0, ready(1.0)).unwrap(), Step::Nothing), "no second start");
    let mut next = 0;
    book.feed(&tasks(1), &mut next, || 1.0).unwrap();
    assert_eq!(given(&log), [(3, 0)]);
}

#[test]
fn stop_ends_every_worker_and_a_pill_is_an_exit() {
    let (mut book, log) = pool(3);
    let step = book.on(2, 0, 9.0, Said::Msg(FromProcess::Stopped { at_ms: 8.0 })).unwrap();
    assert!(matches!(step, Step::Exited { worker: 2, at_ms } if at_ms == 8.0));
    book.terminate_all();
    assert_eq!(log.borrow().terminated, [0, 1, 2]);
}

/// Random messages from random workers and generations, with replacements
/// as the pool would make them: the book never panics and never hands a
/// worker two tasks.
#[test]
fn random_messages_never_panic() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..200 {
        let (mut book, log) = pool(3);
        let tasks = tasks(6);
        let mut next = 0;
        for step in 0..60 {
            let worker = rand(4) as usize;
            let generation = rand(3) as u32;
            let said = match rand(6) {
                0 => ready(step as f64),
                1 | 2 => done(rand(8) as u32, step as f64),
                3 => Said::Panicked { message: "x".into() },
                4 => Said::Msg(FromProcess::Stopped { at_ms: 1.0 }),
                _ => Said::Broken("b".into()),
            };
            if let Ok(Step::Panicked { worker, .. }) = book.on(worker, generation, step as f64, said) {
                book.replace(worker, FakePort { instance: 100 + step, log: log.clone() }, step as f64);
            }
            let _ = book.feed(&tasks, &mut next, || step as f64);
        }
    }
}
