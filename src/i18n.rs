//! The widget's own words (buttons, progress, hints, fallbacks) in English and German.
//! Everything else the customer reads comes from the survey definition.

use rapport_survey::StepKind;

use crate::state::Hint;

/// The widget's words in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    /// Language code of these words.
    pub lang: &'static str,
    /// Name of the survey region when the survey has no title.
    pub survey: &'static str,
    /// Button: go to the next step.
    pub continue_label: &'static str,
    /// Button: the last step's "go on".
    pub submit: &'static str,
    /// Button: previous step.
    pub back: &'static str,
    /// Button: skip an optional step.
    pub skip: &'static str,
    /// Progress: the text before the step's number, between it and the number of steps,
    /// and after that.
    step_of: [&'static str; 3],
    /// Hint: a required step without an answer.
    pub please_answer: &'static str,
    /// Hint: text too long, before and after the limit.
    too_long: [&'static str; 2],
    /// Hint: an answer the step does not accept (should not happen).
    pub check_answer: &'static str,
    /// Built-in thank-you title.
    pub thanks: &'static str,
    /// NPS low end when the step has no label.
    pub not_likely: &'static str,
    /// NPS high end when the step has no label.
    pub very_likely: &'static str,
    /// CSAT low end when the step has no label.
    pub not_satisfied: &'static str,
    /// CSAT high end when the step has no label.
    pub very_satisfied: &'static str,
    /// CES low end when the step has no label.
    pub very_hard: &'static str,
    /// CES high end when the step has no label.
    pub very_easy: &'static str,
    /// Character counter: before the count, between it and the maximum, and after that.
    counter: [&'static str; 3],
    /// Visible label of a consent checkbox.
    pub consent_yes: &'static str,
    /// Screen-reader note on links that open a new tab.
    pub new_tab: &'static str,
    /// Name of the close button of a modal or slide-in survey.
    pub close_survey: &'static str,
    /// Button under the thanks of a modal or slide-in survey.
    pub close: &'static str,
}

/// English.
pub const EN: Words = Words {
    lang: "en",
    survey: "Survey",
    continue_label: "Continue",
    submit: "Submit",
    back: "Back",
    skip: "Skip",
    step_of: ["Step ", " of ", ""],
    please_answer: "Please answer this question.",
    too_long: ["Please shorten your answer to ", " characters."],
    check_answer: "Please check your answer.",
    thanks: "Thank you!",
    not_likely: "Not likely",
    very_likely: "Very likely",
    not_satisfied: "Not satisfied",
    very_satisfied: "Very satisfied",
    very_hard: "Very difficult",
    very_easy: "Very easy",
    counter: ["", " of ", " characters"],
    consent_yes: "Yes, I agree",
    new_tab: "(opens in a new tab)",
    close_survey: "Close survey",
    close: "Close",
};

/// German.
pub const DE: Words = Words {
    lang: "de",
    survey: "Umfrage",
    continue_label: "Weiter",
    submit: "Absenden",
    back: "Zurück",
    skip: "Überspringen",
    step_of: ["Schritt ", " von ", ""],
    please_answer: "Bitte beantworten Sie diese Frage.",
    too_long: ["Bitte kürzen Sie Ihre Antwort auf ", " Zeichen."],
    check_answer: "Bitte prüfen Sie Ihre Antwort.",
    thanks: "Vielen Dank!",
    not_likely: "Unwahrscheinlich",
    very_likely: "Sehr wahrscheinlich",
    not_satisfied: "Unzufrieden",
    very_satisfied: "Sehr zufrieden",
    very_hard: "Sehr schwierig",
    very_easy: "Sehr einfach",
    counter: ["", " von ", " Zeichen"],
    consent_yes: "Ja, einverstanden",
    new_tab: "(öffnet in neuem Tab)",
    close_survey: "Umfrage schließen",
    close: "Schließen",
};

/// The widget's words for a locale: German for `de` and `de-*`, else English.
#[must_use]
pub fn words(locale: &str) -> &'static Words {
    if crate::locale::primary_subtag(locale).eq_ignore_ascii_case("de") {
        &DE
    } else {
        &EN
    }
}

impl Words {
    /// "Step 2 of 5".
    #[must_use]
    pub fn step_of(&self, n: usize, m: usize) -> String {
        let [before, between, after] = self.step_of;
        format!("{before}{n}{between}{m}{after}")
    }

    /// "12 of 500 characters".
    #[must_use]
    pub fn counter(&self, n: usize, max: u32) -> String {
        let [before, between, after] = self.counter;
        format!("{before}{n}{between}{max}{after}")
    }

    /// The words for a hint under a step.
    #[must_use]
    pub fn hint(&self, hint: &Hint) -> String {
        match hint {
            Hint::Required => self.please_answer.to_owned(),
            Hint::TooLong(limit) => {
                let [before, after] = self.too_long;
                format!("{before}{limit}{after}")
            }
            Hint::Invalid => self.check_answer.to_owned(),
        }
    }

    /// Labels of a rating scale's ends when the step has none.
    #[must_use]
    pub fn scale_ends(&self, kind: StepKind) -> (&'static str, &'static str) {
        match kind {
            StepKind::Csat => (self.not_satisfied, self.very_satisfied),
            StepKind::Ces => (self.very_hard, self.very_easy),
            _ => (self.not_likely, self.very_likely),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_for_german_locales_else_english() {
        assert_eq!(words("de").lang, "de");
        assert_eq!(words("de-AT").lang, "de");
        assert_eq!(words("en-GB").lang, "en");
        assert_eq!(words("fr").lang, "en");
    }

    #[test]
    fn fills_in_numbers() {
        assert_eq!(EN.step_of(2, 5), "Step 2 of 5");
        assert_eq!(DE.step_of(2, 5), "Schritt 2 von 5");
        assert_eq!(EN.counter(12, 500), "12 of 500 characters");
        assert_eq!(DE.counter(0, 80), "0 von 80 Zeichen");
        assert_eq!(
            EN.hint(&Hint::TooLong(80)),
            "Please shorten your answer to 80 characters."
        );
        assert_eq!(
            DE.hint(&Hint::TooLong(80)),
            "Bitte kürzen Sie Ihre Antwort auf 80 Zeichen."
        );
        assert_eq!(EN.hint(&Hint::Required), "Please answer this question.");
    }

    #[test]
    fn scale_fallbacks_fit_the_kind() {
        assert_eq!(EN.scale_ends(StepKind::Nps), ("Not likely", "Very likely"));
        assert_eq!(
            DE.scale_ends(StepKind::Ces),
            ("Sehr schwierig", "Sehr einfach")
        );
    }
}
