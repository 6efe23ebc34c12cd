//! Blocking I/O as the engine sees it: a GET that blocks the calling worker
//! until the bytes are in (like `requests.get`). The browser runtime installs
//! the real one (a synchronous request, allowed in workers); tests install
//! their own.
use std::sync::OnceLock;

pub type BlockingGet = fn(&str) -> Result<Vec<u8>, String>;

static GET: OnceLock<BlockingGet> = OnceLock::new();

/// Set how this instance fetches; the first call wins.
pub fn install(get: BlockingGet) {
    let _ = GET.set(get);
}

pub fn blocking_get(url: &str) -> Result<Vec<u8>, String> {
    match GET.get() {
        Some(get) => get(url),
        None => Err("this context cannot make requests".into()),
    }
}
