//! Requests from workers. Blocking: a synchronous XMLHttpRequest, which a
//! worker may make (the page never does), the analogue of `requests.get`.
//! Async: `fetch`, for the async model.
use engine::scenarios::downloads::summary;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{WorkerGlobalScope, XmlHttpRequest, XmlHttpRequestResponseType};

fn text(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// GET `url`, blocking this worker until the body is in.
pub fn blocking_get(url: &str) -> Result<Vec<u8>, String> {
    let xhr = XmlHttpRequest::new().map_err(text)?;
    xhr.open_with_async("GET", url, false).map_err(text)?;
    xhr.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    xhr.send().map_err(|e| format!("network error (or blocked by CORS): {}", text(e)))?;
    let status = xhr.status().map_err(text)?;
    if status != 200 {
        return Err(if status == 0 { "network error (or blocked by CORS)".into() } else { format!("HTTP {status}") });
    }
    Ok(Uint8Array::new(&xhr.response().map_err(text)?).to_vec())
}

/// GET `url` without blocking: a future on this worker's event loop.
pub async fn fetch_summary(url: &str) -> serde_json::Value {
    let got = async {
        let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
        let response: web_sys::Response = JsFuture::from(scope.fetch_with_str(url))
            .await
            .map_err(|e| format!("network error (or blocked by CORS): {}", text(e)))?
            .unchecked_into();
        if !response.ok() {
            return Err(format!("HTTP {}", response.status()));
        }
        let body = JsFuture::from(response.array_buffer().map_err(text)?).await.map_err(text)?;
        Ok(Uint8Array::new(&body).to_vec())
    }
    .await;
    summary(url, got)
}

/// Make blocking requests available to the engine in this instance.
pub fn install() {
    engine::io::install(blocking_get);
}
