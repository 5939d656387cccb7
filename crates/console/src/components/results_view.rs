//! Results: one version's figures split by relationship type (or price band, or first/repeat
//! purchase), as a table with NPS bars, every question's distribution and the free-text
//! answers of a group, and the exports.

use std::rc::Rc;

use rapport_survey::Survey;
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::Client;
use crate::browser;
use crate::error::TOKEN_REFUSED;
use rapport_survey::results::{Question, Results, Summary};

use crate::results::{figure, percent, Split};
use crate::surveys::{self, SurveyList};

/// Props of [`ResultsView`].
#[derive(Debug, Properties, PartialEq)]
pub struct ResultsProps {
    /// The signed-in researcher.
    pub client: Client,
    /// Called when the collector no longer accepts the token.
    pub on_unauthorized: Callback<Option<String>>,
}

/// One version's results with the survey they are of (for its labels).
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    results: Results,
    survey: Option<Rc<Survey>>,
}

/// The results page.
#[function_component]
pub fn ResultsView(props: &ResultsProps) -> Html {
    let list = use_state(|| None::<SurveyList>);
    let chosen = use_state(|| None::<(String, i64)>);
    let loaded = use_state(|| None::<Loaded>);
    let split = use_state(|| Split::Relationship);
    let group = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let refresh = use_state(|| 0u32);

    {
        let (list, chosen, error) = (list.clone(), chosen.clone(), error.clone());
        let client = props.client.clone();
        let on_unauthorized = props.on_unauthorized.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                match client.get_json::<SurveyList>(surveys::PATH).await {
                    Ok(found) => {
                        if chosen.is_none() {
                            let first = found.surveys.first();
                            chosen.set(first.and_then(|s| s.latest.map(|v| (s.id.clone(), v))));
                        }
                        list.set(Some(found));
                    }
                    Err(err) if err.is_unauthorized() => {
                        on_unauthorized.emit(Some(TOKEN_REFUSED.to_owned()));
                    }
                    Err(err) => error.set(Some(err.to_string())),
                }
            });
        });
    }
    // The version whose results are wanted: an answer for one chosen before (still on its way
    // when the researcher picked another) is dropped, not shown under the newer choice.
    let wanted = use_mut_ref(|| None::<(String, i64)>);
    {
        let (loaded, error) = (loaded.clone(), error.clone());
        let client = props.client.clone();
        let wanted = wanted.clone();
        use_effect_with(((*chosen).clone(), *refresh), move |(chosen, _)| {
            wanted.replace(chosen.clone());
            if let Some((id, version)) = chosen.clone() {
                spawn_local(async move {
                    let results = client
                        .get_json::<Results>(&surveys::results_path(&id, version))
                        .await;
                    let survey = client
                        .get_text(&surveys::version_path(&id, version))
                        .await
                        .ok()
                        .and_then(|text| rapport_survey::load(&text).ok())
                        .map(|valid| Rc::new(valid.into_survey()));
                    if *wanted.borrow() != Some((id, version)) {
                        return;
                    }
                    match results {
                        Ok(results) => {
                            error.set(None);
                            loaded.set(Some(Loaded { results, survey }));
                        }
                        Err(err) => error.set(Some(err.to_string())),
                    }
                });
            }
        });
    }

    let choose = {
        let (chosen, group) = (chosen.clone(), group.clone());
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((id, version)) = value.rsplit_once('@') {
                if let Ok(version) = version.parse() {
                    group.set(None);
                    chosen.set(Some((id.to_owned(), version)));
                }
            }
        })
    };
    let choose_split = {
        let (split, group) = (split.clone(), group.clone());
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(next) = Split::from_id(&value) {
                group.set(None);
                split.set(next);
            }
        })
    };
    let choose_group = {
        let group = group.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            group.set((!value.is_empty()).then_some(value));
        })
    };
    let reload = {
        let refresh = refresh.clone();
        Callback::from(move |_| refresh.set(*refresh + 1))
    };

    let options = (*list).iter().flat_map(|l| l.surveys.iter()).flat_map(|s| {
        s.versions.iter().rev().map(|v| {
            let value = format!("{}@{}", s.id, v.version);
            let selected = chosen.as_ref() == Some(&(s.id.clone(), v.version));
            html! {
                <option value={value} {selected}>
                    { format!("{} · version {} · published {}", s.id, v.version, v.published_at) }
                </option>
            }
        })
    });
    let body = match (&*loaded, &*list) {
        (_, Some(list)) if list.surveys.is_empty() => html! {
            <p>{ "No survey is published yet: publish one under \"Author and publish\"." }</p>
        },
        (Some(loaded), _) => results_body(
            loaded,
            *split,
            group.as_deref(),
            &choose_group,
            &props.client,
            &error,
        ),
        (None, _) => html! { <p>{ "Loading…" }</p> },
    };
    html! {
        <section class="results" aria-label="Results">
            <div class="tools">
                <label for="results-version">{ "Survey" }</label>
                <select id="results-version" onchange={choose}>{ for options }</select>
                <label for="results-split">{ "Split by" }</label>
                <select id="results-split" onchange={choose_split}>
                    { for Split::ALL.into_iter().map(|s| html! {
                        <option value={s.id()} selected={*split == s}>{ s.label() }</option>
                    }) }
                </select>
                <button type="button" class="quiet" onclick={reload}>{ "Reload" }</button>
            </div>
            <p class="error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            { body }
        </section>
    }
}

fn results_body(
    loaded: &Loaded,
    split: Split,
    group: Option<&str>,
    choose_group: &Callback<Event>,
    client: &Client,
    error: &UseStateHandle<Option<String>>,
) -> Html {
    let results = &loaded.results;
    let survey = loaded.survey.as_deref();
    let rows = split.groups(results).iter().map(|(id, summary)| {
        html! { <tr>{ row_cells(&group_label(survey, split, id), summary) }</tr> }
    });
    let picked = group.and_then(|id| split.groups(results).get(id));
    let shown = picked.unwrap_or(&results.total);
    let groups = split.groups(results).keys().map(|id| {
        html! {
            <option value={id.clone()} selected={group == Some(id.as_str())}>
                { group_label(survey, split, id) }
            </option>
        }
    });
    html! {
        <>
            <h2>{ format!("{} · version {} · by {}", results.survey_id, results.version, split.label()) }</h2>
            <table class="figures">
                <caption class="visually-hidden">{ format!("Figures by {}", split.label()) }</caption>
                <thead><tr>
                    <th scope="col">{ split.label() }</th>
                    <th scope="col">{ "responses" }</th>
                    <th scope="col">{ "complete" }</th>
                    <th scope="col">{ "NPS" }</th>
                    <th scope="col">{ "promoters · passives · detractors" }</th>
                    <th scope="col">{ "CSAT mean" }</th>
                    <th scope="col">{ "% satisfied" }</th>
                    <th scope="col">{ "CES mean" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
                <tfoot><tr>{ row_cells("all responses", &results.total) }</tr></tfoot>
            </table>
            { exports(client, &results.survey_id, results.version, error) }
            <h2>{ "Questions" }</h2>
            <label for="results-group">{ "Of" }</label>
            <select id="results-group" onchange={choose_group.clone()}>
                <option value="" selected={group.is_none()}>{ "all responses" }</option>
                { for groups }
            </select>
            { for shown.questions.iter().map(|(step, question)| question_view(survey, step, question)) }
        </>
    }
}

fn row_cells(label: &str, summary: &Summary) -> Html {
    html! {
        <>
            <th scope="row">{ label }</th>
            <td>{ summary.count }</td>
            <td>{ summary.complete }</td>
            <td class="score">{ figure(summary.nps.score, 1) }</td>
            <td>{ nps_bar(summary) }</td>
            <td>{ figure(summary.csat.mean, 2) }</td>
            <td>{ figure(summary.csat.satisfied_percent, 1) }</td>
            <td>{ figure(summary.ces.mean, 2) }</td>
        </>
    }
}

/// The NPS answers as one bar: detractors, passives, promoters, each its share.
fn nps_bar(summary: &Summary) -> Html {
    let nps = &summary.nps;
    if nps.responses == 0 {
        return html! { <span class="none">{ "no NPS answers" }</span> };
    }
    let parts = [
        ("detractors", nps.detractors),
        ("passives", nps.passives),
        ("promoters", nps.promoters),
    ];
    let mut x = 0.0;
    let rects = parts.iter().map(|(class, count)| {
        let width = percent(*count, nps.responses);
        let rect = html! {
            <rect class={*class} x={format!("{x:.2}")} y="0" width={format!("{width:.2}")} height="10">
                <title>{ format!("{class}: {count}") }</title>
            </rect>
        };
        x += width;
        rect
    });
    let label = format!(
        "{} promoters, {} passives, {} detractors",
        nps.promoters, nps.passives, nps.detractors
    );
    html! {
        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label}>
            { for rects }
        </svg>
    }
}

fn question_view(survey: Option<&Survey>, step: &str, question: &Question) -> Html {
    let definition = survey.and_then(|s| s.steps.iter().find(|st| st.id == step));
    let title = match (definition, survey) {
        (Some(d), Some(s)) => d.title.get("en", &s.default_locale).to_owned(),
        _ => step.to_owned(),
    };
    let most = question.distribution.values().copied().max().unwrap_or(0);
    let bars = question.distribution.iter().map(|(value, count)| {
        let label = value_label(survey, definition, &question.kind, value);
        let width = percent(*count, most);
        html! {
            <li>
                <span class="value">{ label }</span>
                <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                    <rect class="answers" x="0" y="0" width={format!("{width:.2}")} height="10" />
                </svg>
                <span class="count">{ count }</span>
            </li>
        }
    });
    html! {
        <article class="question">
            <h3>{ title }<span class="kind">{ format!(" · {} · {} answered", question.kind, question.answered) }</span></h3>
            if !question.distribution.is_empty() {
                <ul class="distribution">{ for bars }</ul>
            }
            if !question.texts.is_empty() {
                <ul class="texts">
                    { for question.texts.iter().map(|t| html! {
                        <li><q>{ &t.text }</q><span class="kind">{ format!(" — {}", t.relationship_type) }</span></li>
                    }) }
                </ul>
            } else if question.kind == "text" {
                <p class="none">{ "No answers yet." }</p>
            }
        </article>
    }
}

/// A value's name for people: an option's label, a relationship type's label (the screener's
/// answers), else the value itself (scale values, `true`/`false`).
fn value_label(
    survey: Option<&Survey>,
    step: Option<&rapport_survey::Step>,
    kind: &str,
    value: &str,
) -> String {
    let Some(survey) = survey else {
        return value.to_owned();
    };
    let option = step
        .and_then(|d| d.options.iter().find(|o| o.id == value))
        .map(|o| o.label.get("en", &survey.default_locale).to_owned());
    option
        .or_else(|| {
            (kind == "relationship_screener")
                .then(|| group_label(Some(survey), Split::Relationship, value))
        })
        .unwrap_or_else(|| value.to_owned())
}

/// A group's name for people: the survey's label of a relationship type, else its id.
fn group_label(survey: Option<&Survey>, split: Split, id: &str) -> String {
    let label = match (split, survey) {
        (Split::Relationship, Some(s)) => s
            .relationship_types()
            .iter()
            .find(|t| t.id == id)
            .map(|t| format!("{} ({id})", t.label.get("en", &s.default_locale))),
        (Split::PriceBand, _) if id == "none" => Some("no band (no order total)".to_owned()),
        (Split::Purchase, _) if id == "unknown" => Some("not said by the shop".to_owned()),
        _ => None,
    };
    label.unwrap_or_else(|| id.to_owned())
}

fn exports(
    client: &Client,
    id: &str,
    version: i64,
    error: &UseStateHandle<Option<String>>,
) -> Html {
    let button = |label: &str, format: &'static str, dialect: Option<&'static str>| {
        let (client, error) = (client.clone(), error.clone());
        let path = surveys::export_path(id, version, format, dialect);
        let name = format!(
            "{id}-v{version}{}.{format}",
            dialect.map(|d| format!("-{d}")).unwrap_or_default()
        );
        let onclick = Callback::from(move |_| {
            let (client, error, path, name) =
                (client.clone(), error.clone(), path.clone(), name.clone());
            spawn_local(async move {
                let done = match client.get_blob(&path).await {
                    Ok(blob) => browser::download(&name, &blob),
                    Err(err) => Err(err.to_string()),
                };
                if let Err(err) = done {
                    error.set(Some(format!("The export failed: {err}")));
                }
            });
        });
        html! { <button type="button" class="quiet" {onclick}>{ label }</button> }
    };
    html! {
        <p class="exports">
            { "Export this version's responses: " }
            { button("CSV", "csv", None) }
            { button("CSV for Excel (German)", "csv", Some("excel-de")) }
            { button("JSON lines", "jsonl", None) }
        </p>
    }
}
