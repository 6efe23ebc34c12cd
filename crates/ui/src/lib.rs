//! The page. It never computes: it turns what the person (or a link, or a
//! script through `window.playground`) asks for into validated plans, hands
//! them to the compute worker through [`client::Client`], and draws the run
//! records that come back.

mod api;
mod app;
mod client;
mod export;
mod form;
mod link;
mod state;
mod view;

/// Mount the page and publish `window.playground`.
pub fn start() {
    let client = client::Client::start();
    api::install(&client);
    let root = gloo::utils::document().get_element_by_id("app").expect("index.html has #app");
    yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps { client }).render();
}
