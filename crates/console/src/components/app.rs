//! The console: the sign-in until a token is accepted, then the editor and the results.

use yew::prelude::*;

use crate::api::Client;
use crate::browser;
use crate::components::editor::Editor;
use crate::components::results_view::ResultsView;
use crate::components::sign_in::SignIn;

/// Which part of the console is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Editor,
    Results,
}

/// The whole console.
#[function_component]
pub fn App() -> Html {
    let client = use_state(|| browser::token().map(Client::new));
    let tab = use_state(|| Tab::Editor);
    let notice = use_state(|| None::<String>);

    let signed_in = {
        let client = client.clone();
        let notice = notice.clone();
        Callback::from(move |token: String| {
            browser::keep_token(Some(&token));
            notice.set(None);
            client.set(Some(Client::new(token)));
        })
    };
    // A route that answers 401 (the token was revoked meanwhile) signs out with a word why.
    let signed_out = {
        let client = client.clone();
        let notice = notice.clone();
        Callback::from(move |why: Option<String>| {
            browser::keep_token(None);
            notice.set(why);
            client.set(None);
        })
    };

    let Some(active) = (*client).clone() else {
        return html! { <SignIn on_signed_in={signed_in} notice={(*notice).clone()} /> };
    };
    let tab_button = |which: Tab, label: &str| {
        let tab = tab.clone();
        html! {
            <button type="button" class="tab" aria-pressed={(*tab == which).to_string()}
                onclick={Callback::from(move |_| tab.set(which))}>{ label }</button>
        }
    };
    let sign_out = {
        let signed_out = signed_out.clone();
        Callback::from(move |_| signed_out.emit(None))
    };
    html! {
        <>
            <header class="topbar">
                <h1>{ "Rapport console" }</h1>
                <nav aria-label="Console">
                    { tab_button(Tab::Editor, "Author and publish") }
                    { tab_button(Tab::Results, "Results") }
                </nav>
                <button type="button" class="quiet" onclick={sign_out}>{ "Sign out" }</button>
            </header>
            <main>
                if *tab == Tab::Editor {
                    <Editor client={active} on_unauthorized={signed_out} />
                } else {
                    <ResultsView client={active} on_unauthorized={signed_out} />
                }
            </main>
        </>
    }
}
