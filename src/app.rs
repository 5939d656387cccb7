//! The root component: wires the run state ([`Run`]) to the components, moves focus and
//! announces each step change, and hands the finished response to delivery.

use std::rc::Rc;

use rapport_survey::{Context, ValidSurvey};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::ending::Ending;
use crate::components::navigation::Navigation;
use crate::components::progress::Progress;
use crate::components::step::Step;
use crate::components::{HEADING_ID, HINT_ID};
use crate::delivery;
use crate::i18n;
use crate::mount::ResponseCallback;
use crate::session::Session;
use crate::state::{Msg, Run};
use crate::view::Renderer;

/// Id of the survey's title, which names the widget's region.
const SURVEY_TITLE_ID: &str = "rapport-survey-title";

/// What a mounted widget runs on; fixed for its lifetime.
pub(crate) struct Setup {
    pub survey: Rc<ValidSurvey>,
    pub context: Rc<Context>,
    pub session: Session,
    pub endpoint: Option<String>,
    pub on_response: Option<ResponseCallback>,
}

/// Properties of [`App`].
#[derive(Properties)]
pub(crate) struct AppProps {
    pub setup: Rc<Setup>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.setup, &other.setup)
    }
}

/// The survey.
#[function_component]
pub(crate) fn App(props: &AppProps) -> Html {
    let setup = props.setup.clone();
    let run = use_reducer({
        let setup = setup.clone();
        move || Run::start(setup.survey.clone(), setup.context.clone())
    });
    let root = use_node_ref();

    // Focus follows the step, but only after the customer moved: the first render must not
    // pull the page's focus (and scroll position) into the widget.
    use_effect_with(run.moves, {
        let root = root.clone();
        move |moves| {
            if *moves > 0 {
                focus_heading(&root);
            }
        }
    });
    use_effect_with(run.done(), {
        let (setup, run) = (setup.clone(), run.clone());
        move |done| {
            if *done && !run.empty() {
                complete(&setup, &run);
            }
        }
    });

    if run.empty() {
        return html! {};
    }
    let locale = setup.session.locale.as_str();
    let words = i18n::words(locale);
    let renderer = Renderer::new(&run, locale, words);
    let survey_title = renderer.survey_title();
    // The region is named by the survey's title, or else by the widget's word for "survey".
    let (labelled_by, label) = match &survey_title {
        Some(_) => (Some(SURVEY_TITLE_ID), None),
        None => (None, Some(words.survey)),
    };
    let on_msg = {
        let run = run.clone();
        Callback::from(move |msg: Msg| run.dispatch(msg))
    };

    let (content, announcement) = match renderer.step() {
        None => {
            let ending = renderer.ending();
            let announcement = ending.title.clone();
            (html! { <Ending view={ending} {words} /> }, announcement)
        }
        Some(step) => {
            let progress = renderer.progress();
            let onsubmit = on_msg.reform(|event: SubmitEvent| {
                event.prevent_default();
                Msg::Continue
            });
            let hint = run.hint.map(|hint| {
                html! {
                    <p key={format!("hint-{}", run.refusals)} id={HINT_ID} class="hint" role="alert">
                        { words.hint(&hint) }
                    </p>
                }
            });
            let content = html! {
                <>
                    <Progress {progress} {words} />
                    <form class="form" novalidate=true {onsubmit}>
                        <Step
                            key={step.id.clone()}
                            view={Rc::new(step.clone())}
                            draft={run.draft.clone()}
                            invalid={run.hint.is_some()}
                            {words}
                            on_msg={on_msg.clone()}
                        />
                        { hint }
                        <Navigation
                            can_back={progress.position > 1}
                            can_skip={!step.required && step.kind != rapport_survey::StepKind::Reassurance}
                            last={progress.is_last()}
                            {words}
                            on_msg={on_msg.clone()}
                        />
                    </form>
                </>
            };
            (content, words.step_of(progress.position, progress.total))
        }
    };
    // Nothing is announced on the first render: the page did not ask for it.
    let announcement = if run.moves > 0 {
        announcement
    } else {
        String::new()
    };

    html! {
        <section
            class="survey"
            lang={locale.to_owned()}
            aria-labelledby={labelled_by}
            aria-label={label}
            ref={root}
        >
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</p>
            if let Some(title) = survey_title {
                <p id={SURVEY_TITLE_ID} class="survey-title">{ title }</p>
            }
            { content }
        </section>
    }
}

/// Builds the response of a finished run and hands it on.
fn complete(setup: &Setup, run: &Run) {
    let response = setup
        .survey
        .response(&setup.context, &run.state, setup.session.meta(1));
    if let Some(on_response) = &setup.on_response {
        on_response(&response);
    }
    if let Some(endpoint) = &setup.endpoint {
        delivery::submit(endpoint, &response);
    }
}

fn focus_heading(root: &NodeRef) {
    let heading = root
        .cast::<Element>()
        .and_then(|root| {
            root.query_selector(&format!("#{HEADING_ID}"))
                .ok()
                .flatten()
        })
        .and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
    if let Some(heading) = heading {
        // Focus fails only on a detached element; nothing to do then.
        let _ = heading.focus();
    }
}
