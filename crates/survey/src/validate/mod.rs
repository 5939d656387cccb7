//! Validation of survey definitions: every problem at once, each with its JSON path.
//!
//! A survey that passes becomes a [`ValidSurvey`], which holds its conditions parsed once and
//! is what the engine runs.

mod conditions;
mod problem;

use crate::map::SmallMap;

pub use problem::{Problem, ProblemCode};

pub(crate) use conditions::Reader;
use conditions::{check_expr, field_access, ConditionProblemKind};

use crate::condition::{parse, Expr, Field};
use crate::definition::{HelpLink, Step, StepKind, Survey};
use crate::text::{segments, Segment, Text};

/// A survey that passed validation, with its conditions parsed.
#[derive(Debug, Clone)]
pub struct ValidSurvey {
    survey: Survey,
    pub(crate) compiled: Compiled,
}

/// Parsed conditions, by position in the definition. `None` means "always".
#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    pub steps: Vec<Option<Expr>>,
    pub bullets: Vec<Vec<Option<Expr>>>,
    pub links: Vec<Vec<Option<Expr>>>,
    pub endings: Vec<Option<Expr>>,
    pub ending_links: Vec<Vec<Option<Expr>>>,
    pub rules: Vec<Option<Expr>>,
}

impl ValidSurvey {
    /// The definition.
    #[must_use]
    pub fn survey(&self) -> &Survey {
        &self.survey
    }

    /// Gives the definition back.
    #[must_use]
    pub fn into_survey(self) -> Survey {
        self.survey
    }
}

impl std::ops::Deref for ValidSurvey {
    type Target = Survey;
    fn deref(&self) -> &Survey {
        &self.survey
    }
}

impl TryFrom<Survey> for ValidSurvey {
    type Error = Vec<Problem>;
    fn try_from(survey: Survey) -> Result<Self, Self::Error> {
        validate(survey)
    }
}

/// Validates a survey definition.
///
/// # Errors
/// Every problem found, in document order, each with its JSON path.
pub fn validate(survey: Survey) -> Result<ValidSurvey, Vec<Problem>> {
    let mut checker = Checker {
        survey: &survey,
        problems: Vec::new(),
    };
    let compiled = checker.run();
    if checker.problems.is_empty() {
        Ok(ValidSurvey { survey, compiled })
    } else {
        Err(checker.problems)
    }
}

/// The problems of a definition's own fields (id, version, locales, title, relationship
/// taxonomy and rules, price bands), which read no step or ending: what can still be checked
/// while a step or ending is too broken to read (see [`crate::read_value`]).
#[must_use]
pub fn top_level_problems(survey: &Survey) -> Vec<Problem> {
    let mut checker = Checker {
        survey,
        problems: Vec::new(),
    };
    checker.top_level();
    checker.problems
}

const MAX_ID: usize = 64;
const MAX_TEXT_LIMIT: u32 = 10_000;

struct Checker<'a> {
    survey: &'a Survey,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, path: impl Into<String>, code: ProblemCode, message: impl Into<String>) {
        self.problems.push(Problem::new(path, code, message));
    }

    /// The checks of the definition's own fields, which read no step or ending: its id,
    /// version, locales, title, relationship taxonomy and rules, and price bands.
    #[inline(never)]
    fn top_level(&mut self) -> Vec<Option<Expr>> {
        let s = self.survey;
        self.id("$.id", &s.id, "survey id");
        if s.version < 1 {
            self.push(
                "$.version",
                ProblemCode::InvalidVersion,
                format!(
                    "version must be a positive integer (1, 2, …), not {}",
                    s.version
                ),
            );
        }
        self.locales();
        if let Some(title) = &s.title {
            self.text("$.title", title, None);
        }
        let rules = self.relationship();
        self.price_bands();
        self.price_currency();
        rules
    }

    fn run(&mut self) -> Compiled {
        let s = self.survey;
        let rules = self.top_level();
        let mut compiled = Compiled {
            rules,
            ..Compiled::default()
        };
        if s.steps.is_empty() {
            self.push(
                "$.steps",
                ProblemCode::Empty,
                "a survey needs at least one step",
            );
        }
        let mut seen: SmallMap<&str, usize> = SmallMap::new();
        for (i, step) in s.steps.iter().enumerate() {
            let path = format!("$.steps[{i}]");
            if let Some(first) = seen.insert(&step.id, i) {
                self.push(
                    format!("{path}.id"),
                    ProblemCode::DuplicateId,
                    format!("step id `{}` is already used by steps[{first}]", step.id),
                );
            }
            let (when, bullets, links) = self.step(i, step, &path);
            compiled.steps.push(when);
            compiled.bullets.push(bullets);
            compiled.links.push(links);
        }
        let screeners: Vec<usize> = s
            .steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.kind == StepKind::RelationshipScreener)
            .map(|(i, _)| i)
            .collect();
        for extra in screeners.iter().skip(1) {
            self.push(
                format!("$.steps[{extra}].kind"),
                ProblemCode::DuplicateId,
                format!(
                    "a survey has at most one relationship_screener step; steps[{}] is one already",
                    screeners[0]
                ),
            );
        }
        for (i, ending) in s.endings.iter().enumerate() {
            let path = format!("$.endings[{i}]");
            compiled.endings.push(self.condition(
                &format!("{path}.when"),
                ending.when.as_deref(),
                Reader::Ending,
            ));
            self.text(
                &format!("{path}.title"),
                &ending.title,
                Some(Reader::Ending),
            );
            if let Some(body) = &ending.body {
                self.text(&format!("{path}.body"), body, Some(Reader::Ending));
            }
            compiled
                .ending_links
                .push(self.links(&path, &ending.links, Reader::Ending));
        }
        compiled
    }

    fn id(&mut self, path: &str, id: &str, what: &str) {
        let valid = !id.is_empty()
            && id.len() <= MAX_ID
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid {
            self.push(
                path,
                ProblemCode::InvalidId,
                format!(
                    "{what} `{id}` must start with a lowercase letter and contain only a-z, 0-9, `_` and `-` (at most {MAX_ID} characters)"
                ),
            );
        }
    }

    fn locales(&mut self) {
        let s = self.survey;
        if s.locales.is_empty() {
            self.push(
                "$.locales",
                ProblemCode::Empty,
                "declare at least one locale, e.g. [\"en\", \"de\"]",
            );
        }
        for (i, locale) in s.locales.iter().enumerate() {
            if !is_locale(locale) {
                self.push(
                    format!("$.locales[{i}]"),
                    ProblemCode::InvalidLocale,
                    format!("`{locale}` is not a locale code such as `en`, `de` or `de-CH`"),
                );
            }
            if s.locales[..i].contains(locale) {
                self.push(
                    format!("$.locales[{i}]"),
                    ProblemCode::DuplicateId,
                    format!("locale `{locale}` is listed twice"),
                );
            }
        }
        if !s.locales.contains(&s.default_locale) {
            self.push(
                "$.default_locale",
                ProblemCode::InvalidLocale,
                format!(
                    "default locale `{}` is not among the locales [{}]",
                    s.default_locale,
                    s.locales.join(", ")
                ),
            );
        }
    }

    fn relationship(&mut self) -> Vec<Option<Expr>> {
        let s = self.survey;
        let settings = &s.relationship;
        if let Some(types) = &settings.types {
            if types.is_empty() {
                self.push(
                    "$.relationship.types",
                    ProblemCode::Empty,
                    "declare at least one relationship type, or leave `types` out for the built-in six",
                );
            }
            for (i, t) in types.iter().enumerate() {
                let path = format!("$.relationship.types[{i}]");
                self.id(&format!("{path}.id"), &t.id, "relationship type id");
                if let Some(first) = types[..i].iter().position(|o| o.id == t.id) {
                    self.push(
                        format!("{path}.id"),
                        ProblemCode::DuplicateId,
                        format!(
                            "relationship type `{}` is already declared at types[{first}]",
                            t.id
                        ),
                    );
                }
                self.text(&format!("{path}.label"), &t.label, None);
                self.text(&format!("{path}.statement"), &t.statement, None);
            }
        }
        if !s.has_type(&settings.default) {
            self.push(
                "$.relationship.default",
                ProblemCode::UnknownType,
                format!(
                    "default type `{}` is not a relationship type of this survey; known: {}",
                    settings.default,
                    type_ids(s)
                ),
            );
        }
        let mut rules = Vec::new();
        for (i, rule) in settings.rules.iter().enumerate() {
            let path = format!("$.relationship.rules[{i}]");
            rules.push(self.condition(&format!("{path}.when"), Some(&rule.when), Reader::Rule));
            if !s.has_type(&rule.type_id) {
                self.push(
                    format!("{path}.type"),
                    ProblemCode::UnknownType,
                    format!(
                        "`{}` is not a relationship type of this survey; known: {}",
                        rule.type_id,
                        type_ids(s)
                    ),
                );
            }
        }
        rules
    }

    fn price_currency(&mut self) {
        let Some(code) = &self.survey.price_currency else {
            return;
        };
        if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
            self.push(
                "$.price_currency",
                ProblemCode::InvalidCurrency,
                format!("`price_currency` must be an ISO 4217 code of three capital letters such as EUR, not {code:?}"),
            );
        }
        if self.survey.price_bands.is_empty() {
            self.push(
                "$.price_currency",
                ProblemCode::NotApplicable,
                "`price_currency` is the currency of the price bands, but the survey defines no `price_bands`",
            );
        }
    }

    fn price_bands(&mut self) {
        let bands = &self.survey.price_bands;
        for (i, band) in bands.iter().enumerate() {
            let path = format!("$.price_bands[{i}]");
            self.id(&format!("{path}.id"), &band.id, "price band id");
            if band.id == "none" {
                self.push(
                    format!("{path}.id"),
                    ProblemCode::InvalidId,
                    "`none` is what results call orders in no band; give this band another id",
                );
            }
            if bands[..i].iter().any(|b| b.id == band.id) {
                self.push(
                    format!("{path}.id"),
                    ProblemCode::DuplicateId,
                    format!("price band `{}` is declared twice", band.id),
                );
            }
            if !band.from.is_finite() || band.from < 0.0 {
                self.push(
                    format!("{path}.from"),
                    ProblemCode::OutOfRange,
                    format!("`from` must be a number of at least 0, not {}", band.from),
                );
            } else if i > 0 && band.from <= bands[i - 1].from {
                self.push(
                    format!("{path}.from"),
                    ProblemCode::OutOfRange,
                    format!(
                        "price bands must be in ascending order of `from`; {} is not above {} of `{}`",
                        band.from,
                        bands[i - 1].from,
                        bands[i - 1].id
                    ),
                );
            }
        }
    }

    fn step(
        &mut self,
        i: usize,
        step: &Step,
        path: &str,
    ) -> (Option<Expr>, Vec<Option<Expr>>, Vec<Option<Expr>>) {
        let reader = Reader::Step(i);
        self.id(&format!("{path}.id"), &step.id, "step id");
        let when = self.condition(&format!("{path}.when"), step.when.as_deref(), reader);
        self.text(&format!("{path}.title"), &step.title, Some(reader));
        if let Some(body) = &step.body {
            self.text(&format!("{path}.body"), body, Some(reader));
        }
        self.kind_fields(step, path);
        let mut bullets = Vec::new();
        for (b, bullet) in step.bullets.iter().enumerate() {
            let bullet_path = format!("{path}.bullets[{b}]");
            bullets.push(self.condition(
                &format!("{bullet_path}.when"),
                bullet.when.as_deref(),
                reader,
            ));
            self.text(&format!("{bullet_path}.text"), &bullet.text, Some(reader));
        }
        let links = self.links(path, &step.links, reader);
        for (o, option) in step.options.iter().enumerate() {
            let option_path = format!("{path}.options[{o}]");
            self.id(&format!("{option_path}.id"), &option.id, "option id");
            if step.options[..o].iter().any(|x| x.id == option.id) {
                self.push(
                    format!("{option_path}.id"),
                    ProblemCode::DuplicateId,
                    format!("option `{}` appears twice in step `{}`", option.id, step.id),
                );
            }
            self.text(&format!("{option_path}.label"), &option.label, None);
        }
        for (name, text) in [
            ("low_label", &step.low_label),
            ("high_label", &step.high_label),
            ("placeholder", &step.placeholder),
        ] {
            if let Some(text) = text {
                self.text(&format!("{path}.{name}"), text, None);
            }
        }
        (when, bullets, links)
    }

    /// Fields that belong to one kind only, and what each kind needs.
    fn kind_fields(&mut self, step: &Step, path: &str) {
        let kind = step.kind;
        let is_choice = matches!(kind, StepKind::SingleChoice | StepKind::MultiChoice);
        let not_for = |field: &str| {
            format!(
                "`{field}` has no meaning for a {} step; remove it",
                kind.id()
            )
        };
        let checks: [(&str, bool, bool); 7] = [
            ("options", !step.options.is_empty(), is_choice),
            (
                "bullets",
                !step.bullets.is_empty(),
                kind == StepKind::Reassurance,
            ),
            (
                "links",
                !step.links.is_empty(),
                kind == StepKind::Reassurance,
            ),
            (
                "low_label",
                step.low_label.is_some(),
                kind.scale().is_some(),
            ),
            (
                "high_label",
                step.high_label.is_some(),
                kind.scale().is_some(),
            ),
            (
                "max_length",
                step.max_length.is_some(),
                kind == StepKind::Text,
            ),
            (
                "placeholder",
                step.placeholder.is_some(),
                kind == StepKind::Text,
            ),
        ];
        for (field, present, allowed) in checks {
            if present && !allowed {
                self.push(
                    format!("{path}.{field}"),
                    ProblemCode::NotApplicable,
                    not_for(field),
                );
            }
        }
        if kind == StepKind::Reassurance && step.required {
            self.push(
                format!("{path}.required"),
                ProblemCode::NotApplicable,
                "a reassurance step is a message and cannot be required",
            );
        }
        let minimum = match kind {
            StepKind::SingleChoice => 2,
            StepKind::MultiChoice => 1,
            _ => 0,
        };
        if step.options.len() < minimum {
            self.push(
                format!("{path}.options"),
                ProblemCode::Empty,
                format!(
                    "a {} step needs at least {minimum} option{}",
                    kind.id(),
                    if minimum == 1 { "" } else { "s" }
                ),
            );
        }
        if let Some(limit) = step.max_length {
            if limit == 0 || limit > MAX_TEXT_LIMIT {
                self.push(
                    format!("{path}.max_length"),
                    ProblemCode::OutOfRange,
                    format!("max_length must be between 1 and {MAX_TEXT_LIMIT}, not {limit}"),
                );
            }
        }
    }

    fn links(&mut self, path: &str, links: &[HelpLink], reader: Reader) -> Vec<Option<Expr>> {
        let mut out = Vec::new();
        for (l, link) in links.iter().enumerate() {
            let link_path = format!("{path}.links[{l}]");
            out.push(self.condition(&format!("{link_path}.when"), link.when.as_deref(), reader));
            self.text(&format!("{link_path}.label"), &link.label, Some(reader));
            if !is_safe_url(&link.url) {
                self.push(
                    format!("{link_path}.url"),
                    ProblemCode::InvalidUrl,
                    format!(
                        "`{}` is not an https:, http:, mailto: or tel: URL or a path starting with `/`",
                        link.url
                    ),
                );
            }
        }
        out
    }

    /// Parses and checks a condition; returns it when it is sound.
    fn condition(&mut self, path: &str, source: Option<&str>, reader: Reader) -> Option<Expr> {
        let source = source?;
        let expr = match parse(source) {
            Ok(expr) => expr,
            Err(err) => {
                let code = if err.unknown_field {
                    ProblemCode::UnknownField
                } else {
                    ProblemCode::ConditionSyntax
                };
                self.push(path, code, format!("{err} in `{source}`"));
                return None;
            }
        };
        let problems = check_expr(self.survey, reader, &expr);
        let sound = problems.is_empty();
        for p in problems {
            let code = match p.kind {
                ConditionProblemKind::Unknown => ProblemCode::UnknownField,
                ConditionProblemKind::Forward => ProblemCode::ForwardReference,
                ConditionProblemKind::Type => ProblemCode::TypeMismatch,
            };
            self.push(
                path,
                code,
                format!("at column {}: {} in `{source}`", p.column, p.message),
            );
        }
        sound.then_some(expr)
    }

    /// Checks that a text has every declared locale, no undeclared one, and sound placeholders.
    fn text(&mut self, path: &str, text: &Text, reader: Option<Reader>) {
        let s = self.survey;
        for locale in &s.locales {
            if !text.0.contains_key(locale) {
                self.push(
                    path,
                    ProblemCode::MissingTranslation,
                    format!("the `{locale}` text is missing"),
                );
            }
        }
        for (locale, value) in &text.0 {
            let locale_path = format!("{path}.{locale}");
            if !s.locales.contains(locale) {
                self.push(
                    &locale_path,
                    ProblemCode::InvalidLocale,
                    format!(
                        "locale `{locale}` is not declared in `locales` [{}]",
                        s.locales.join(", ")
                    ),
                );
            }
            if value.trim().is_empty() {
                self.push(
                    &locale_path,
                    ProblemCode::MissingTranslation,
                    format!("the `{locale}` text is empty"),
                );
            }
            self.placeholders(&locale_path, value, reader);
        }
    }

    fn placeholders(&mut self, path: &str, template: &str, reader: Option<Reader>) {
        let parts = match segments(template) {
            Ok(parts) => parts,
            Err(err) => {
                self.push(path, ProblemCode::InvalidPlaceholder, err.to_string());
                return;
            }
        };
        for part in parts {
            let Segment::Placeholder(name) = part else {
                continue;
            };
            let Some(reader) = reader else {
                self.push(
                    path,
                    ProblemCode::InvalidPlaceholder,
                    format!("placeholders such as `{{{name}}}` are not allowed in this text"),
                );
                continue;
            };
            let result = Field::from_name(name)
                .ok_or_else(|| format!("unknown placeholder `{{{name}}}`; use a field such as {{order.id}} or {{answers.<step id>}}"))
                .and_then(|field| field_access(self.survey, reader, &field).map_err(|(_, m)| m));
            if let Err(message) = result {
                self.push(path, ProblemCode::InvalidPlaceholder, message);
            }
        }
    }
}

fn type_ids(survey: &Survey) -> String {
    survey
        .relationship_types()
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_locale(locale: &str) -> bool {
    let mut parts = locale.split('-');
    let language = parts.next().unwrap_or_default();
    let language_ok =
        (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase());
    language_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
        || (url.starts_with('/') && !url.starts_with("//"))
}
