//! The root component: wires the run state ([`Run`]) to the components, moves focus and
//! announces each step change, and hands the finished response to delivery.

use std::rc::Rc;

use rapport_survey::{Context, Status, ValidSurvey};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::ending::{ending, EndingProps};
use crate::components::frame::{frame, use_frame, FrameProps};
use crate::components::navigation::{navigation, NavigationProps};
use crate::components::progress::{progress, ProgressProps};
use crate::components::step::{step, StepProps};
use crate::components::{HEADING_ID, HINT_ID};
use crate::config::Mode;
use crate::delivery;
use crate::i18n;
use crate::mount::{CloseCallback, ResponseCallback, StepCallback, StepInfo};
use crate::panic;
use crate::session::Session;
use crate::state::{Msg, Run};
use crate::trigger;
use crate::view::Renderer;

/// Id of the survey's title, which names the widget's region.
const SURVEY_TITLE_ID: &str = "rapport-survey-title";

/// What a mounted widget runs on; fixed for its lifetime.
pub(crate) struct Setup {
    pub survey: Rc<ValidSurvey>,
    pub context: Rc<Context>,
    pub session: Session,
    pub delivery: delivery::Courier,
    pub mode: Mode,
    pub on_response: Option<ResponseCallback>,
    pub on_step: Option<StepCallback>,
    pub on_close: Option<CloseCallback>,
    /// How many of the customer's messages wait for a later task (see `App`'s `on_msg`).
    pub deferred: std::cell::Cell<u32>,
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
        move || {
            let run = Run::start(setup.survey.clone(), setup.context.clone());
            setup.delivery.resume(run)
        }
    });
    let root = use_node_ref();
    let closed = use_state(|| false);

    // Focus follows the step, but only after the customer moved: the first render must not
    // pull the page's focus (and scroll position) into the widget. In the next task: focusing
    // lays the page out at once, which on a slow phone would make the click that moved a
    // long task.
    use_effect_with(run.moves, {
        let root = root.clone();
        move |moves| {
            if *moves > 0 {
                trigger::later(move || focus_heading(&root));
            }
        }
    });
    use_effect_with(run.state.clone(), {
        let (setup, run) = (setup.clone(), run.clone());
        move |_| {
            if !run.empty() {
                record(&setup, &run);
            }
        }
    });

    let locale = setup.session.locale.as_str();
    let words = i18n::words(locale);
    let renderer = Renderer::new(&run, locale, words);
    let step_info = renderer.step().map(|step| {
        let progress = renderer.progress();
        StepInfo {
            survey_id: run.survey.id.clone(),
            step_id: step.id,
            kind: step.kind.id(),
            position: progress.position,
            total: progress.total,
        }
    });
    use_effect_with(step_info, {
        let setup = setup.clone();
        move |info| {
            if let (Some(info), Some(on_step)) = (info, &setup.on_step) {
                on_step(info);
            }
        }
    });

    let framed = setup.mode != Mode::Inline && !run.empty() && !*closed;
    let (frame_node, came_from) = use_frame(setup.mode, framed);

    if run.empty() || *closed {
        return html! {};
    }
    let survey_title = renderer.survey_title();
    // The region is named by the survey's title, or else by the widget's word for "survey".
    let (labelled_by, label) = match &survey_title {
        Some(_) => (Some(SURVEY_TITLE_ID), None),
        None => (None, Some(words.survey)),
    };
    let on_msg = {
        let (setup, run) = (setup.clone(), run.clone());
        Callback::from(move |msg: Msg| {
            panic::on_request();
            // A move to another step is shown in the next task. Done inside the click, the
            // browser's own hover update after the click lays the new step out at once, in
            // the click's task, which on a slow phone made it a long one; a task later the
            // page is laid out in its next frame. The state a move leads to is recorded at
            // once, though — saved for resuming, and the response stored when the survey is
            // finished (or delivery is per step) — before the page can do anything else (yew
            // renders, and runs the effect that records, in slices that may wait for a later
            // task on a slow device); the render's own record then repeats a recorded state,
            // which posts nothing. A message that comes while others wait goes after them,
            // in order, and is recorded by its render, as any state is. What the customer picks
            // or types without going on is kept with the progress at once too, so that a page
            // left before Continue still has it when they come back.
            let moves = matches!(msg, Msg::Continue | Msg::Skip | Msg::Back);
            if setup.deferred.get() == 0 {
                let next = run.update(msg.clone());
                if !moves {
                    if let Some(next) = next {
                        setup.delivery.keep_draft(&next.state, next.draft.as_ref());
                    }
                    run.dispatch(msg);
                    return;
                }
                if let Some(next) = next {
                    record(&setup, &next);
                }
            }
            setup.deferred.set(setup.deferred.get() + 1);
            let (setup, run) = (setup.clone(), run.clone());
            trigger::later(move || {
                setup.deferred.set(setup.deferred.get().saturating_sub(1));
                run.dispatch(msg);
            });
        })
    };
    let closable = setup.mode.closable();
    let on_close = {
        let (setup, closed, done) = (setup.clone(), closed.clone(), run.done());
        Callback::from(move |()| {
            if !*closed {
                closed.set(true);
                if let Some(on_close) = &setup.on_close {
                    on_close(done);
                }
            }
        })
    };

    let (content, announcement) = match renderer.step() {
        None => {
            let view = renderer.ending();
            let announcement = view.title.clone();
            let on_close = closable.then(|| on_close.clone());
            (
                ending(&EndingProps {
                    view,
                    words,
                    on_close,
                }),
                announcement,
            )
        }
        Some(view) => {
            let position = renderer.progress();
            let onsubmit = on_msg.reform(|event: SubmitEvent| {
                event.prevent_default();
                Msg::Continue
            });
            // Every child of the form is keyed (the step by its id, the hint by the refusal,
            // the buttons as "Nav"; step ids start with a lowercase letter, so none of these
            // meet), so yew matches them by key when the hint comes or goes. With a child
            // unkeyed it would pair them by position from the end, and the step would be built
            // anew, taking the focus from the customer who just answered. A repeated hint is a
            // new element: a new alert, announced again.
            let hint = run.hint.map(|hint| {
                html! {
                    <p key={run.refusals.to_string()} id={HINT_ID} class="hint" role="alert">
                        { words.hint(&hint) }
                    </p>
                }
            });
            let content = html! {
                <>
                    { progress(&ProgressProps { progress: position, words }) }
                    <form class="form" novalidate=true {onsubmit}>
                        { step(&StepProps {
                            view: &view,
                            draft: run.draft.clone(),
                            invalid: run.hint.is_some(),
                            words,
                            on_msg: on_msg.clone(),
                        }) }
                        { hint }
                        { navigation(&NavigationProps {
                            can_back: position.position > 1,
                            can_skip: !view.required && view.kind != rapport_survey::StepKind::Reassurance,
                            last: position.is_last(),
                            words,
                            on_msg: on_msg.clone(),
                        }) }
                    </form>
                </>
            };
            (content, words.step_of(position.position, position.total))
        }
    };
    // Nothing is announced on the first render: the page did not ask for it.
    let announcement = if run.moves > 0 {
        announcement
    } else {
        String::new()
    };

    let survey = html! {
        <section
            class="survey"
            data-closable={closable.then_some("")}
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
    };
    match setup.mode {
        Mode::Inline => survey,
        mode => frame(FrameProps {
            mode,
            labelled_by,
            label,
            words,
            on_close,
            node: frame_node,
            came_from,
            children: survey,
        }),
    }
}

/// Hands the run's new state to delivery, and a complete response on.
fn record(setup: &Setup, run: &Run) {
    let Some(response) = setup.delivery.record(&run.state) else {
        return;
    };
    if let (Status::Complete, Some(on_response)) = (response.status, &setup.on_response) {
        on_response(&response);
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
