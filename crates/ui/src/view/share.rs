//! Share: the link of the current settings, and the snippets that embed
//! them in a tutorial (an iframe, or `embed.js` with a `data-playground`
//! element).
use crate::form::Form;
use crate::link;
use engine::url::to_query;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub form: Form,
}

/// Escape text for an HTML attribute value in double quotes.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

pub struct Snippets {
    pub link: String,
    pub iframe: String,
    pub script: String,
}

pub fn snippets(base: &str, query: &str, title: &str) -> Snippets {
    let folder = base.rsplit_once('/').map(|(dir, _)| format!("{dir}/")).unwrap_or_default();
    Snippets {
        link: format!("{base}?{query}"),
        iframe: format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"420\" style=\"border:0\" \
             allow=\"cross-origin-isolated\" loading=\"lazy\"></iframe>",
            attr(&format!("{base}?embed=1&{query}")),
            attr(&format!("Parallelism playground: {title}"))
        ),
        script: format!("<script src=\"{}embed.js\" async></script>\n<div data-playground=\"{}\"></div>", attr(&folder), attr(query)),
    }
}

pub fn copy(text: String, status: UseStateHandle<String>, what: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        let status = status.clone();
        let text = text.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let done = match clipboard {
                Some(c) => wasm_bindgen_futures::JsFuture::from(c.write_text(&text)).await.is_ok(),
                None => false,
            };
            status.set(if done { format!("{what} copied.") } else { format!("Could not copy: select the {what} below and copy it.") });
        });
    })
}

#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let status = use_state(String::new);
    let Ok(plans) = props.form.plans() else {
        return html! { <section class="share" aria-label="Share"><p class="muted">{ "Fix the settings above to share them." }</p></section> };
    };
    let title = props.form.spec().title;
    let s = snippets(&link::base(), &to_query(&plans, props.form.workers_value(), false), title);
    html! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{ "Share and embed" }</h2>
            <div class="share-actions">
                <button type="button" id="copy-link" onclick={copy(s.link.clone(), status.clone(), "Link")}>{ "Copy link" }</button>
                <button type="button" id="copy-embed" onclick={copy(s.iframe.clone(), status.clone(), "Embed code")}>{ "Copy embed code" }</button>
                <span class="share-status" role="status" aria-live="polite">{ (*status).clone() }</span>
            </div>
            <details>
                <summary>{ "Show the link and the snippets" }</summary>
                <label for="share-link">{ "Link to these settings" }</label>
                <input id="share-link" type="text" readonly=true value={s.link} />
                <label for="share-iframe">{ "An iframe for your page" }</label>
                <textarea id="share-iframe" readonly=true rows="3" value={s.iframe} />
                <label for="share-script">{ "Or one script for every element with data-playground (loads each when it scrolls into view, sizes it to fit)" }</label>
                <textarea id="share-script" readonly=true rows="3" value={s.script} />
            </details>
        </section>
    }
}
