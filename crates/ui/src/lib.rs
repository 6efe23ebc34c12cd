//! The page. It never computes: it turns what the person (or a link, or a
//! script through `window.playground`, or a host page through postMessage)
//! asks for into validated plans, hands them to the compute worker through
//! [`client::Client`], and draws the run records that come back.

mod add_run;
mod answer;
mod api;
mod app;
mod client;
mod embed;
mod export;
mod form;
mod history;
mod link;
mod machine;
mod predict;
mod state;
mod view;

/// Mount the page and publish `window.playground` and the embed messages.
/// The compute worker starts once `boot` resolves (see `www/boot.js`),
/// asked to hold ready the pool the form or the link will ask for first.
pub fn start(boot: Option<js_sys::Promise>) {
    let workers = match link::read() {
        link::LinkStart::Form { form, .. } => form.workers_value(),
        _ => form::Form::default().workers_value(),
    };
    let client = client::Client::start(workers.min(engine::catalog::MAX_WORKERS), boot);
    api::install(&client);
    embed::install(&client);
    let (view, view_errors) = link::view();
    let html = gloo::utils::document_element();
    // A link's theme first, then the reader's stored choice, else Auto.
    view::theme::apply(view.theme.or_else(view::theme::stored));
    if view.embed {
        let _ = html.set_attribute("data-embed", "1");
    }
    // The compute worker starts now; the page is drawn in a task of its own
    // (see `app`: nothing of the page's start may hold its thread long).
    gloo::timers::callback::Timeout::new(0, move || {
        let root = gloo::utils::document().get_element_by_id("app").expect("index.html has #app");
        // The shell index.html painted goes; the app draws the same header
        // before the browser paints again.
        root.set_inner_html("");
        yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps { client, view, view_errors }).render();
    })
    .forget();
}
