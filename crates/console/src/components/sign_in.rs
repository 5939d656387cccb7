//! Asking for a researcher token, and trying it before it is kept.

use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::Client;
use crate::surveys::{SurveyList, PATH};

/// Props of [`SignIn`].
#[derive(Debug, Properties, PartialEq)]
pub struct SignInProps {
    /// Called with a token the collector accepted.
    pub on_signed_in: Callback<String>,
    /// Why the researcher was signed out, if the console did it.
    #[prop_or_default]
    pub notice: Option<String>,
}

/// The sign-in form.
#[function_component]
pub fn SignIn(props: &SignInProps) -> Html {
    let input = use_node_ref();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    let submit = {
        let input = input.clone();
        let error = error.clone();
        let busy = busy.clone();
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let token = input
                .cast::<HtmlInputElement>()
                .map(|input| input.value().trim().to_owned())
                .unwrap_or_default();
            if token.is_empty() {
                error.set(Some("Paste your researcher token first.".into()));
                return;
            }
            busy.set(true);
            let error = error.clone();
            let busy = busy.clone();
            let on_signed_in = on_signed_in.clone();
            spawn_local(async move {
                let tried = Client::new(token.clone())
                    .get_json::<SurveyList>(PATH)
                    .await;
                busy.set(false);
                match tried {
                    Ok(_) => on_signed_in.emit(token),
                    Err(err) if err.is_unauthorized() => error.set(Some(
                        "The collector does not accept this token. An operator creates one with \
                         `rapport-collector token create NAME`."
                            .into(),
                    )),
                    Err(err) => error.set(Some(err.to_string())),
                }
            });
        })
    };
    html! {
        <main class="sign-in">
            <h1>{ "Rapport console" }</h1>
            <p>{ "Author surveys with a live preview, publish versions, and read the results by relationship type." }</p>
            if let Some(notice) = &props.notice {
                <p class="notice" role="status">{ notice }</p>
            }
            <form onsubmit={submit}>
                <label for="token">{ "Researcher token" }</label>
                <input id="token" ref={input} type="password" autocomplete="off"
                    aria-describedby="token-error" />
                <button type="submit" disabled={*busy}>{ "Sign in" }</button>
            </form>
            <p id="token-error" class="error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            <p class="hint">{ "The token is kept for this tab only." }</p>
        </main>
    }
}
