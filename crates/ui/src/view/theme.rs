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
    Theme::parse(&storage()?.get_item(KEY).ok()??)
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
            let theme = Theme::parse(&value);
            if let Some(s) = storage() {
                let _ = s.set_item(KEY, theme.map_or("auto", Theme::as_str));
            }
            apply(theme);
            current.set(theme);
        })
    };

    html! {
        <div class="theme-switch">
            <label for="theme">{ "Theme" }</label>
            <select id="theme" {onchange}>
                <option value="auto" selected={current.is_none()}>{ "Auto" }</option>
                <option value={Theme::Light.as_str()} selected={*current == Some(Theme::Light)}>{ "Light" }</option>
                <option value={Theme::Dark.as_str()} selected={*current == Some(Theme::Dark)}>{ "Dark" }</option>
            </select>
        </div>
    }
}
