//! Authoring: the definition as JSON with every problem listed (and its line) as it is typed,
//! the real widget previewing it as a chosen customer, and publishing it as a version.

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{Client, RemoteProblem};
use crate::browser;
use crate::draft::{nearest_line, with_version, Draft};
use crate::error::{ApiError, TOKEN_REFUSED};
use crate::preview::{self, Customer};
use crate::surveys::{self, SurveyList};

/// The text a new survey starts from.
pub const STARTER: &str = include_str!("../../static/starter.json");

/// The "start from" choice of the template: `+` is in no survey id (`a-z 0-9 _ -`).
const TEMPLATE_CHOICE: &str = "+template";

/// The element the preview is shown in.
const PREVIEW_TARGET: &str = "#preview";

/// How long typing must pause before the preview shows the text, in ms.
const PREVIEW_PAUSE_MS: u32 = 300;

/// Line height of the editor in px (console.css), to scroll a problem's line into view.
const LINE_PX: f64 = 20.0;

/// Props of [`Editor`].
#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    /// The signed-in researcher.
    pub client: Client,
    /// Called when the collector no longer accepts the token.
    pub on_unauthorized: Callback<Option<String>>,
}

/// Where publishing stands.
#[derive(Debug, Clone, PartialEq)]
enum Publish {
    Idle,
    Busy,
    Done(String),
    Refused(String, Vec<RemoteProblem>),
}

/// The editor, its problems, the preview and publishing.
#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let text = use_state(|| browser::draft().unwrap_or_else(|| STARTER.to_owned()));
    let draft = use_memo((*text).clone(), |text| Draft::check(text));
    let customer = use_state(Customer::default);
    let publish = use_state(|| Publish::Idle);
    let list = use_state(|| None::<SurveyList>);
    let area = use_node_ref();

    // The published surveys, to start a next version from one of them.
    {
        let list = list.clone();
        let client = props.client.clone();
        let on_unauthorized = props.on_unauthorized.clone();
        let published = matches!(*publish, Publish::Done(_));
        use_effect_with(published, move |_| {
            spawn_local(async move {
                match client.get_json::<SurveyList>(surveys::PATH).await {
                    Ok(found) => list.set(Some(found)),
                    Err(err) if err.is_unauthorized() => {
                        on_unauthorized.emit(Some(TOKEN_REFUSED.to_owned()))
                    }
                    Err(_) => {}
                }
            });
        });
    }

    // The preview shows the last valid text to the chosen customer, once typing pauses: a new
    // keystroke drops (cancels) the waiting timeout. While the text has problems, a change of
    // the customer still shows the last valid text to the new one.
    let last_valid = use_mut_ref(|| None::<String>);
    if draft.survey.is_some() {
        *last_valid.borrow_mut() = Some((*text).clone());
    }
    let shown = last_valid.borrow().clone();
    use_effect_with((shown, (*customer).clone()), move |(shown, customer)| {
        let (shown, customer) = (shown.clone(), customer.clone());
        let pending = shown.map(|text| {
            Timeout::new(PREVIEW_PAUSE_MS, move || {
                if let Err(err) = preview::show(&text, PREVIEW_TARGET, &customer) {
                    web_sys::console::warn_1(&format!("[console] preview: {err}").into());
                }
            })
        });
        move || drop(pending)
    });
    use_effect_with((), |()| preview::close);

    let oninput = {
        let text = text.clone();
        let publish = publish.clone();
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            browser::keep_draft(&value);
            text.set(value);
            publish.set(Publish::Idle);
        })
    };
    let replace_text = {
        let text = text.clone();
        let publish = publish.clone();
        Callback::from(move |value: String| {
            browser::keep_draft(&value);
            text.set(value);
            publish.set(Publish::Idle);
        })
    };
    let start_from = {
        let client = props.client.clone();
        let list = list.clone();
        let replace_text = replace_text.clone();
        let publish = publish.clone();
        Callback::from(move |event: Event| {
            let select = event.target_unchecked_into::<HtmlSelectElement>();
            let choice = select.value();
            select.set_value("");
            if choice.is_empty() || !confirm("Replace the text in the editor?") {
                return;
            }
            if choice == TEMPLATE_CHOICE {
                replace_text.emit(STARTER.to_owned());
                return;
            }
            let latest = (*list)
                .as_ref()
                .and_then(|list| list.surveys.iter().find(|s| s.id == choice))
                .and_then(|survey| survey.latest);
            let Some(latest) = latest else { return };
            let client = client.clone();
            let replace_text = replace_text.clone();
            let publish = publish.clone();
            spawn_local(async move {
                match client
                    .get_text(&surveys::version_path(&choice, latest))
                    .await
                    .map(|text| with_version(&text, latest + 1))
                {
                    Ok(Some(next)) => replace_text.emit(next),
                    Ok(None) => publish.set(Publish::Refused(
                        format!("Version {latest} of `{choice}` is not a JSON object."),
                        Vec::new(),
                    )),
                    Err(err) => publish.set(Publish::Refused(err.to_string(), Vec::new())),
                }
            });
        })
    };
    let format_text = {
        let text = text.clone();
        let replace_text = replace_text.clone();
        Callback::from(move |_| {
            if let Some(pretty) = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|value| serde_json::to_string_pretty(&value).ok())
            {
                replace_text.emit(pretty);
            }
        })
    };
    let on_publish = {
        let client = props.client.clone();
        let text = text.clone();
        let publish = publish.clone();
        let on_unauthorized = props.on_unauthorized.clone();
        Callback::from(move |_| {
            publish.set(Publish::Busy);
            let client = client.clone();
            let body = (*text).clone();
            let publish = publish.clone();
            let on_unauthorized = on_unauthorized.clone();
            spawn_local(async move {
                let outcome = client.post_json(surveys::PATH, &body).await;
                publish.set(match outcome {
                    Ok((status, answer)) => Publish::Done(published(status, &answer)),
                    Err(err) if err.is_unauthorized() => {
                        on_unauthorized.emit(Some(TOKEN_REFUSED.to_owned()));
                        Publish::Idle
                    }
                    Err(ApiError::Refused {
                        code,
                        message,
                        problems,
                        ..
                    }) if code == "version_published" => Publish::Refused(
                        format!(
                            "{message} Raise `version` to publish the change as a new version."
                        ),
                        problems,
                    ),
                    Err(ApiError::Refused {
                        message, problems, ..
                    }) => Publish::Refused(message, problems),
                    Err(err) => Publish::Refused(err.to_string(), Vec::new()),
                });
            });
        })
    };
    let jump = {
        let area = area.clone();
        let text = text.clone();
        Callback::from(move |line: usize| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let start: usize = text
                    .split_inclusive('\n')
                    .take(line - 1)
                    .map(str::len)
                    .sum();
                let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u32;
                let _ = area.focus();
                let _ = area.set_selection_range(utf16(start), utf16(end));
                area.set_scroll_top(((line.saturating_sub(3)) as f64 * LINE_PX) as i32);
            }
        })
    };

    let problems = draft.problems.iter().map(|problem| {
        let line = nearest_line(&text, &problem.path);
        let code = serde_json::to_value(problem.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let go = line.map(|line| {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(line))
        });
        html! {
            <li>
                if let Some(line) = line {
                    <button type="button" class="line" onclick={go}>{ format!("line {line}") }</button>
                }
                <code>{ &problem.path }</code>{ " " }<span class="code">{ format!("[{code}]") }</span>
                { ": " }{ &problem.message }
            </li>
        }
    });
    let published_options = (*list).iter().flat_map(|list| list.surveys.iter()).map(|s| {
        html! {
            <option value={s.id.clone()}>
                { format!("next version of `{}` (after version {})", s.id, s.latest.unwrap_or(0)) }
            </option>
        }
    });

    html! {
        <section class="editor" aria-label="Author and publish">
            <div class="source">
                <div class="tools">
                    <label for="start-from">{ "Start from" }</label>
                    <select id="start-from" onchange={start_from}>
                        <option value="" selected=true>{ "…" }</option>
                        <option value={TEMPLATE_CHOICE}>{ "a new survey (template)" }</option>
                        { for published_options }
                    </select>
                    <button type="button" class="quiet" onclick={format_text}>{ "Format" }</button>
                </div>
                <label for="definition">{ "Survey definition (JSON)" }</label>
                <textarea id="definition" ref={area} spellcheck="false" value={(*text).clone()}
                    {oninput} aria-describedby="problems-summary" />
                <p id="problems-summary" class={classes!("summary", draft.survey.is_some().then_some("valid"))}
                    role="status">{ draft.summary() }</p>
                if !draft.problems.is_empty() {
                    <ul class="problems" aria-label="Problems">{ for problems }</ul>
                }
                <div class="publish">
                    <button type="button" onclick={on_publish}
                        disabled={draft.survey.is_none() || *publish == Publish::Busy}>
                        { "Publish this version" }
                    </button>
                    { publish_status(&publish) }
                </div>
            </div>
            <div class="preview-pane">
                <h2>{ "Preview" }</h2>
                { customer_controls(&draft, &customer) }
                <p class="hint">{ if draft.survey.is_some() {
                    "The widget as this customer sees it. Nothing is sent."
                } else {
                    "The preview shows the last valid text; fix the problems to update it."
                } }</p>
                <div id="preview"></div>
            </div>
        </section>
    }
}

/// The choice of who the preview's customer is.
fn customer_controls(draft: &Draft, customer: &UseStateHandle<Customer>) -> Html {
    let Some(survey) = &draft.survey else {
        return Html::default();
    };
    let current = (**customer).clone();
    let update = |change: fn(&mut Customer, String)| {
        let customer = customer.clone();
        Callback::from(move |event: Event| {
            let value = field_value(&event);
            let mut next = (*customer).clone();
            change(&mut next, value);
            customer.set(next);
        })
    };
    let on_type = update(|c, v| c.relationship = (!v.is_empty()).then_some(v));
    let on_locale = update(|c, v| c.locale = (!v.is_empty()).then_some(v));
    let on_total = update(|c, v| c.total = v.parse().unwrap_or(0.0));
    let on_first = {
        let customer = customer.clone();
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = (*customer).clone();
            next.first_purchase = checked;
            customer.set(next);
        })
    };
    let types = survey.relationship_types().iter().map(|t| {
        let selected = current.relationship.as_deref() == Some(t.id.as_str());
        html! {
            <option value={t.id.clone()} {selected}>
                { format!("{} ({})", t.label.get("en", &survey.default_locale), t.id) }
            </option>
        }
    });
    let locales = survey.locales.iter().map(|l| {
        let selected = current.locale.as_deref() == Some(l.as_str());
        html! { <option value={l.clone()} {selected}>{ l }</option> }
    });
    html! {
        <fieldset class="customer">
            <legend>{ "As customer" }</legend>
            <label>{ "Relationship type" }
                <select id="preview-type" onchange={on_type}>
                    <option value="" selected={current.relationship.is_none()}>{ "as the survey decides" }</option>
                    { for types }
                </select>
            </label>
            <label>{ "Locale" }
                <select id="preview-locale" onchange={on_locale}>
                    <option value="" selected={current.locale.is_none()}>{ format!("default ({})", survey.default_locale) }</option>
                    { for locales }
                </select>
            </label>
            <label>{ "Order total" }
                <input id="preview-total" type="number" min="0" step="0.01"
                    value={current.total.to_string()} onchange={on_total} />
            </label>
            <label class="check">
                <input id="preview-first" type="checkbox" checked={current.first_purchase} onchange={on_first} />
                { "first purchase" }
            </label>
        </fieldset>
    }
}

/// The value of the `<input>` or `<select>` an event came from.
fn field_value(event: &Event) -> String {
    let target = event.target();
    if let Some(select) = target
        .as_ref()
        .and_then(|t| t.dyn_ref::<HtmlSelectElement>())
    {
        return select.value();
    }
    target
        .as_ref()
        .and_then(|t| t.dyn_ref::<HtmlInputElement>())
        .map(HtmlInputElement::value)
        .unwrap_or_default()
}

fn publish_status(publish: &Publish) -> Html {
    match publish {
        Publish::Idle => html! { <p class="status" role="status"></p> },
        Publish::Busy => html! { <p class="status" role="status">{ "Publishing…" }</p> },
        Publish::Done(message) => html! { <p class="status done" role="status">{ message }</p> },
        Publish::Refused(message, problems) => html! {
            <div class="status refused" role="alert">
                <p>{ message }</p>
                if !problems.is_empty() {
                    <ul>{ for problems.iter().map(|p| html! {
                        <li><code>{ &p.path }</code>{ format!(" [{}]: {}", p.code, p.message) }</li>
                    }) }</ul>
                }
            </div>
        },
    }
}

/// What a successful publish says: `201` a new version, `200` the same one again.
fn published(status: u16, answer: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(answer).unwrap_or_default();
    let id = value["id"].as_str().unwrap_or("the survey");
    let version = value["version"].as_i64().unwrap_or_default();
    if status == 201 {
        format!("Published `{id}` version {version}. Shops get it from /v1/surveys/{id}.")
    } else {
        format!(
            "`{id}` version {version} was already published with this content; nothing changed."
        )
    }
}

fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
