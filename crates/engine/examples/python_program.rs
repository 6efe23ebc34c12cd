//! Print the Python program the page shows for a run:
//! `cargo run -q -p engine --example python_program -- '<config json>' [base url]`.
//! The benchmark (`tests/cpython_bench.py`) runs what this prints.
use engine::config::{validate, RunConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let config = args.next().unwrap_or_else(|| "{}".into());
    let base = args.next().unwrap_or_else(|| "http://127.0.0.1:8080/".into());
    let config: RunConfig = match serde_json::from_str(&config) {
        Ok(c) => c,
        Err(e) => return eprintln!("the config is not JSON: {e}"),
    };
    match validate(&config) {
        Ok(plan) => print!("{}", engine::python::program(&plan, &base)),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
