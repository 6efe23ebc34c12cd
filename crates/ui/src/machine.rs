//! Runs added from a reader's own machine (`python3 <program> --json`):
//! how such a run finds the browser's run of the same config to stand
//! beside, and how to say where a run was made. (`add_run` brings them in.)
use engine::record::RunRecord;

/// Two runs of the same config: scenario, parameters, model and workers.
pub fn same_config(a: &RunRecord, b: &RunRecord) -> bool {
    a.scenario == b.scenario && a.params == b.params && a.model == b.model && a.workers == b.workers
}

/// Where a record ran, as one phrase.
pub fn where_ran(record: &RunRecord) -> String {
    match &record.env.native {
        Some(native) => native.describe(record.env.cores),
        None => format!("this browser, {} cores", record.env.cores),
    }
}

/// The serial run of `record`'s scenario and parameters among `runs` made
/// where it was made (the same machine, or this browser), latest first.
pub fn serial_beside<'a>(runs: &'a [RunRecord], record: &RunRecord) -> Option<&'a RunRecord> {
    runs.iter()
        .rev()
        .find(|r| r.model.is_serial() && r.scenario == record.scenario && r.params == record.params && where_ran(r) == where_ran(record))
}
