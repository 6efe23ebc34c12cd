//! Saving what a run produced: records as JSON, task phases as CSV, charts
//! as SVG files.
use engine::record::RunRecord;
use wasm_bindgen::JsCast;

/// Offer `text` as a file download.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub fn records_json(records: &[RunRecord]) -> String {
    serde_json::to_string_pretty(records).unwrap_or_default()
}

/// One row per phase of every task of every run.
pub fn records_csv(records: &[RunRecord]) -> String {
    let mut out = String::from("scenario,model,workers,gil,task,label,worker,phase,start_ms,end_ms\n");
    for r in records {
        for t in &r.tasks {
            for p in &t.phases {
                let id = t.id.map(|i| i.to_string()).unwrap_or_default();
                let label = t.label.replace('"', "\"\"");
                out.push_str(&format!(
                    "{},{},{},{},{id},\"{label}\",{},{},{:.3},{:.3}\n",
                    r.scenario,
                    r.model,
                    r.workers,
                    r.gil,
                    t.worker + 1,
                    p.kind.id(),
                    p.start_ms,
                    p.end_ms
                ));
            }
        }
    }
    out
}

/// The SVG of the first chart inside the element with `id`, as a standalone file.
pub fn svg_of(id: &str) -> Option<String> {
    let figure = gloo::utils::document().get_element_by_id(id)?;
    let svg = figure.query_selector("svg").ok()??;
    let mut text = svg.outer_html();
    if !text.contains("xmlns=") {
        text = text.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
    }
    // Inline the colours the page's stylesheet gives, so the file stands alone.
    let style = "<style>text{font:12px sans-serif;fill:#1d2330}.tick line{stroke:#e6e9ef}\
        rect.wall,.compute{fill:#2458d6}rect.cpu{fill:#9db5ee}.lock-wait{fill:#e0a100}.io{fill:#1e9e8a}\
        .sleep{fill:#9aa3b5}.spawn{fill:#b3261e}.transfer{fill:#a05fd6}.queue-wait{fill:#f08a5d}\
        rect.outline{fill:none;stroke:#c5cad4}.ideal{stroke:#9aa3b5;stroke-dasharray:4 3;fill:none}\
        .fit{stroke:#e0a100;fill:none}.measured{stroke:#2458d6;fill:none}</style>";
    Some(text.replacen('>', &format!(">{style}"), 1))
}
