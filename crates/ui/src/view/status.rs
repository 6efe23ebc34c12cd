use crate::client::Status;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub status: Option<Status>,
}

/// The environment line: cores, isolation, thread pool.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    match &props.status {
        None | Some(Status::Starting) => html! {
            <p class="env" id="env" data-state="starting" role="status">{ "Starting the compute worker and its threads…" }</p>
        },
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
