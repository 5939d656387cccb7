//! What the screen shows, as plain text: the current step, the ending and the progress,
//! rendered from the model for one locale. Components only lay these out.

use rapport_survey::definition::HelpLink;
use rapport_survey::text::Text;
use rapport_survey::StepKind;

use crate::i18n::Words;
use crate::state::Run;

/// The current step, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct StepView {
    /// The step id.
    pub id: String,
    /// The step kind.
    pub kind: StepKind,
    /// Whether an answer is needed to go on.
    pub required: bool,
    /// Heading or question.
    pub title: String,
    /// Text under the heading.
    pub body: Option<String>,
    /// Reassurance bullets that apply.
    pub bullets: Vec<String>,
    /// Help links that apply.
    pub links: Vec<LinkView>,
    /// Choice options, or the screener's statements.
    pub options: Vec<OptionView>,
    /// The rating scale of NPS, CSAT and CES steps.
    pub scale: Option<ScaleView>,
    /// Maximum length of a text answer.
    pub text_limit: u32,
    /// Hint in an empty text field.
    pub placeholder: Option<String>,
}

/// A rating scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleView {
    /// Lowest value.
    pub min: u8,
    /// Highest value.
    pub max: u8,
    /// Label of the lowest value.
    pub low: String,
    /// Label of the highest value.
    pub high: String,
}

/// An option to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionView {
    /// Id stored in the answer.
    pub id: String,
    /// What the customer reads.
    pub label: String,
}

/// A help link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkView {
    /// Link text.
    pub label: String,
    /// Target URL.
    pub url: String,
    /// Whether it opens in a new tab (web pages do, so the survey stays; `mailto:` and
    /// `tel:` do not).
    pub new_tab: bool,
}

/// The thank-you screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndingView {
    /// Heading.
    pub title: String,
    /// Text under it.
    pub body: Option<String>,
    /// Help links that apply.
    pub links: Vec<LinkView>,
}

/// "Step {position} of {total}".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressView {
    /// 1-based number of the current step.
    pub position: usize,
    /// Steps shown so far plus those expected to follow.
    pub total: usize,
}

impl ProgressView {
    /// Whether the current step is, as far as known now, the last one.
    #[must_use]
    pub fn is_last(self) -> bool {
        self.position >= self.total
    }
}

/// Renders model texts of one run in one locale.
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    run: &'a Run,
    locale: &'a str,
    words: &'a Words,
}

impl<'a> Renderer<'a> {
    /// A renderer for `run` in `locale`, with the widget's `words`.
    #[must_use]
    pub fn new(run: &'a Run, locale: &'a str, words: &'a Words) -> Self {
        Self { run, locale, words }
    }

    fn text(&self, text: &Text) -> String {
        self.run.survey.render_with(
            &self.run.context,
            &self.run.state,
            text,
            self.locale,
            &|number| crate::number::write(number, self.locale),
        )
    }

    fn links(&self, links: &[&HelpLink]) -> Vec<LinkView> {
        links
            .iter()
            .map(|link| LinkView {
                label: self.text(&link.label),
                url: link.url.clone(),
                new_tab: opens_new_tab(&link.url),
            })
            .collect()
    }

    /// The survey's title, if it has one.
    #[must_use]
    pub fn survey_title(&self) -> Option<String> {
        self.run.survey.title.as_ref().map(|title| self.text(title))
    }

    /// The current step; `None` when done.
    #[must_use]
    pub fn step(&self) -> Option<StepView> {
        let run = self.run;
        let step = run.current()?;
        let (survey, context, state) = (&run.survey, &*run.context, &run.state);
        let options = match step.kind {
            StepKind::RelationshipScreener => survey
                .relationship_types()
                .iter()
                .map(|t| OptionView {
                    label: self.text(&t.statement),
                    id: t.id.clone(),
                })
                .collect(),
            _ => step
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.clone(),
                    label: self.text(&o.label),
                })
                .collect(),
        };
        let scale = step.kind.scale().map(|(min, max)| {
            let (low, high) = self.words.scale_ends(step.kind);
            ScaleView {
                min,
                max,
                low: step
                    .low_label
                    .as_ref()
                    .map_or_else(|| low.to_owned(), |t| self.text(t)),
                high: step
                    .high_label
                    .as_ref()
                    .map_or_else(|| high.to_owned(), |t| self.text(t)),
            }
        });
        Some(StepView {
            id: step.id.clone(),
            kind: step.kind,
            required: step.required && step.kind != StepKind::Reassurance,
            title: self.text(&step.title),
            body: step.body.as_ref().map(|b| self.text(b)),
            bullets: survey
                .bullets(context, state, step)
                .into_iter()
                .map(|b| self.text(&b.text))
                .collect(),
            links: self.links(&survey.links(context, state, step)),
            options,
            scale,
            text_limit: step.text_limit(),
            placeholder: step.placeholder.as_ref().map(|p| self.text(p)),
        })
    }

    /// The thank-you screen: the survey's first ending that holds, else the built-in thanks.
    #[must_use]
    pub fn ending(&self) -> EndingView {
        let run = self.run;
        match run.survey.ending(&run.context, &run.state) {
            Some(ending) => EndingView {
                title: self.text(&ending.title),
                body: ending.body.as_ref().map(|b| self.text(b)),
                links: self.links(&run.survey.ending_links(&run.context, &run.state, ending)),
            },
            None => EndingView {
                title: self.words.thanks.to_owned(),
                body: None,
                links: Vec::new(),
            },
        }
    }

    /// Where the customer stands.
    #[must_use]
    pub fn progress(&self) -> ProgressView {
        let progress = self.run.survey.progress(&self.run.context, &self.run.state);
        ProgressView {
            position: progress.position,
            total: progress.total.max(progress.position),
        }
    }
}

/// Web links open in a new tab so the survey stays where it is; `mailto:` and `tel:` do not.
fn opens_new_tab(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    !(lower.starts_with("mailto:") || lower.starts_with("tel:"))
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use rapport_survey::{AnswerValue, Context};

    use super::*;
    use crate::i18n::{DE, EN};
    use crate::state::Msg;

    const POST_PURCHASE: &str = include_str!("../surveys/post-purchase.json");

    fn run(context: &str) -> Run {
        let survey = rapport_survey::load(POST_PURCHASE).unwrap_or_else(|p| panic!("{p:?}"));
        let context: Context = serde_json::from_str(context).unwrap_or_else(|e| panic!("{e}"));
        Run::start(Rc::new(survey), Rc::new(context))
    }

    fn next(run: &Run, msg: Msg) -> Run {
        run.update(msg).unwrap_or_else(|| panic!("no change"))
    }

    #[test]
    fn fills_in_placeholders_and_keeps_only_bullets_that_apply() {
        let run = run(
            r#"{"relationship":"just_buying","order":{"id":"A-1","total":40},"customer":{"earlier_orders":3},"business":{"mode":"self_service"}}"#,
        );
        let step = Renderer::new(&run, "en", &EN)
            .step()
            .unwrap_or_else(|| panic!("no step"));
        assert_eq!(step.title, "Your order A-1 is confirmed");
        assert_eq!(step.bullets.len(), 4, "{:?}", step.bullets);
        assert!(step.bullets[0].starts_with("Welcome back"));
        let links: Vec<(&str, bool)> = step
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.new_tab))
            .collect();
        assert_eq!(
            links,
            [("/help", true), ("mailto:service@example.com", false)]
        );
        let german = Renderer::new(&run, "de", &DE)
            .step()
            .unwrap_or_else(|| panic!("no step"));
        assert_eq!(german.title, "Ihre Bestellung A-1 ist bestätigt");
    }

    #[test]
    fn a_scale_takes_the_steps_labels_or_the_widgets_fallbacks() {
        let run = next(&run(r#"{"relationship":"just_buying"}"#), Msg::Continue);
        let renderer = Renderer::new(&run, "de", &DE);
        let step = renderer.step().unwrap_or_else(|| panic!("no step"));
        assert_eq!(
            step.scale,
            Some(ScaleView {
                min: 1,
                max: 5,
                low: "Gar nicht".into(),
                high: "Sehr".into()
            })
        );
        assert!(step.required);
        assert_eq!(
            renderer.progress(),
            ProgressView {
                position: 2,
                total: 2
            }
        );
        assert!(renderer.progress().is_last());
    }

    #[test]
    fn the_screener_offers_the_taxonomys_statements() {
        let run = next(&run("{}"), Msg::Continue);
        let step = Renderer::new(&run, "en", &EN)
            .step()
            .unwrap_or_else(|| panic!("no step"));
        assert_eq!(step.kind, StepKind::RelationshipScreener);
        assert_eq!(step.options.len(), 6);
        assert_eq!(step.options[0].id, "just_buying");
        assert!(step.options[0].label.starts_with("I want a good product"));
    }

    #[test]
    fn the_ending_is_the_first_that_holds() {
        let run = next(&run(r#"{"relationship":"just_buying"}"#), Msg::Continue);
        let done = next(&next(&run, Msg::Draft(AnswerValue::Csat(5))), Msg::Continue);
        let ending = Renderer::new(&done, "de", &DE).ending();
        assert_eq!(ending.title, "Vielen Dank!");
        assert_eq!(ending.body.as_deref(), Some("Viel Freude mit Ihrem Kauf."));
    }
}
