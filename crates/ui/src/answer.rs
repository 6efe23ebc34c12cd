//! The answer in view: when a run ends, its figures (the wall-time chart
//! with the speedups, then the timings) are on screen without scrolling by
//! hand. On a wide screen they sit beside the controls (`.workbench` in
//! style.css) and usually are already; on a narrow one they are below the
//! controls, and the page scrolls them up. Focus follows where the page
//! moved the reader: to the results' heading when it scrolled, or when the
//! Run button (disabled while running) had taken focus with it.
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ScrollBehavior, ScrollIntoViewOptions, ScrollLogicalPosition};

pub fn bring_into_view() {
    let window = gloo::utils::window();
    let document = gloo::utils::document();
    let Some(results) = document.get_element_by_id("run-results") else { return };
    let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let rect = results.get_bounding_client_rect();
    // The chart's top third in view is enough: its speedups are written on the bars.
    let in_view = rect.top() >= 0.0 && rect.top() < height * 0.4;
    if !in_view {
        let reduce = window.match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches());
        let options = ScrollIntoViewOptions::new();
        options.set_block(ScrollLogicalPosition::Start);
        options.set_behavior(if reduce { ScrollBehavior::Instant } else { ScrollBehavior::Smooth });
        results.scroll_into_view_with_scroll_into_view_options(&options);
    }
    // Focus is nowhere (on the body) or still on the Run button.
    let body: Option<web_sys::Node> = document.body().map(Into::into);
    let run: Option<web_sys::Node> = document.get_element_by_id("run").map(Into::into);
    let focus_lost = document.active_element().is_none_or(|e| {
        let e: &web_sys::Node = e.as_ref();
        [&body, &run].into_iter().flatten().any(|n| n.is_same_node(Some(e)))
    });
    if !in_view || focus_lost {
        if let Some(heading) = document.get_element_by_id("results-title").and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = heading.focus_with_options(&options);
        }
    }
}
