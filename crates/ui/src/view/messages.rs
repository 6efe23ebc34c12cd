use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub errors: Vec<String>,
    pub notice: Option<String>,
}

/// Problems (bad input, failed runs) and neutral notices such as "Stopped."
#[function_component(Messages)]
pub fn messages(props: &MessagesProps) -> Html {
    html! {
        <>
            if !props.errors.is_empty() {
                <div class="errors" role="alert">
                    <ul>{ for props.errors.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                </div>
            }
            if let Some(notice) = &props.notice {
                <p class="notice" role="status">{ notice }</p>
            }
        </>
    }
}
