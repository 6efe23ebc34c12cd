use crate::client::{Starting, Status};
use engine::protocol::StartStage;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub status: Option<Status>,
}

/// The environment line: cores, isolation, thread pool.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    match &props.status {
        None => starting_line("Starting…"),
        Some(Status::Starting(starting)) => starting_line(&starting_text(*starting)),
        Some(Status::Broken(message)) => html! {
            <p class="env broken" id="env" data-state="broken" role="alert">{ format!("Cannot run here: {message}") }</p>
        },
        Some(Status::Ready { env, threads }) => html! {
            <p class="env" id="env" data-state="ready" role="status">
                <span>{ format!("{} logical cores", env.cores) }</span>
                <span id="isolated" data-isolated={env.isolated.to_string()}>
                    { format!("cross-origin isolated: {}", if env.isolated { "yes" } else { "no" }) }
                </span>
                if env.has_shared_memory() {
                    <span>{ format!("threads: up to {threads} per run") }</span>
                } else {
                    <span id="shared-memory" data-shared-memory="false">{ "threads: off here, no shared memory (see Models)" }</span>
                }
                <span>{ format!("build: {}", env.build) }</span>
            </p>
        },
    }
}

fn starting_line(text: &str) -> Html {
    html! { <p class="env" id="env" data-state="starting" role="status">{ text.to_string() }</p> }
}

/// What the page waits for while the compute worker starts, in words.
pub fn starting_text(starting: Starting) -> String {
    match starting {
        Starting::Waiting => "Starting the compute worker…".into(),
        Starting::Loading { loaded, total } if total > 0.0 => {
            format!("Loading the kernels: {:.0} of {:.0} KB…", (loaded / 1024.0).min(total / 1024.0), total / 1024.0)
        }
        Starting::Loading { .. } => "Loading the kernels…".into(),
        Starting::Stage(StartStage::StartingWorkers) => "Starting workers: threads and isolated processes…".into(),
        Starting::Stage(StartStage::WarmingUp) => "Warming up the kernels, so the first run tells the truth…".into(),
    }
}
