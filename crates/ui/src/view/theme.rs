//! The theme switch: Auto (the reader's `prefers-color-scheme`), Light or
//! Dark, remembered in this browser. A link's `theme=` wins over the stored
//! choice for that page.
use engine::url::Theme;
use yew::prelude::*;

const KEY: &str = "playground-theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored choice, if any.
pub fn stored() -> Option<Theme> {
    match storage()?.get_item(KEY).ok()??.as_str() {
        "light" => Some(Theme::Light),
        "dark" => Some(Theme::Dark),
        _ => None,
    }
}

/// Show the page in `theme` (`None`: follow the reader's setting).
pub fn apply(theme: Option<Theme>) {
    let html = gloo::utils::document_element();
    let _ = match theme {
        Some(t) => html.set_attribute("data-theme", t.as_str()),
        None => html.remove_attribute("data-theme"),
    };
}

#[derive(Properties, PartialEq)]
pub struct ThemeSwitchProps {
    pub initial: Option<Theme>,
}

#[function_component(ThemeSwitch)]
pub fn theme_switch(props: &ThemeSwitchProps) -> Html {
    let current = use_state(|| props.initial);
    let onchange = {
        let current = current.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let theme = match value.as_str() {
                "light" => Some(Theme::Light),
                "dark" => Some(Theme::Dark),
                _ => None,
            };
            if let Some(s) = storage() {
                let _ = s.set_item(KEY, theme.map_or("auto", Theme::as_str));
            }
            apply(theme);
            current.set(theme);
        })
    };
    let value = current.map_or("auto", Theme::as_str);
    html! {
        <div class="theme-switch">
            <label for="theme">{ "Theme" }</label>
            <select id="theme" {onchange}>
                <option value="auto" selected={value == "auto"}>{ "Auto" }</option>
                <option value="light" selected={value == "light"}>{ "Light" }</option>
                <option value="dark" selected={value == "dark"}>{ "Dark" }</option>
            </select>
        </div>
    }
}
