//! The widget's own words (buttons, progress, hints, fallbacks) in English, German, French,
//! Spanish, Italian and Dutch.
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

/// French.
pub const FR: Words = Words {
    lang: "fr",
    survey: "Questionnaire",
    continue_label: "Continuer",
    submit: "Envoyer",
    back: "Retour",
    skip: "Passer",
    step_of: ["Étape ", " sur ", ""],
    please_answer: "Veuillez répondre à cette question.",
    too_long: ["Veuillez raccourcir votre réponse à ", " caractères."],
    check_answer: "Veuillez vérifier votre réponse.",
    thanks: "Merci\u{a0}!",
    not_likely: "Peu probable",
    very_likely: "Très probable",
    not_satisfied: "Insatisfait",
    very_satisfied: "Très satisfait",
    very_hard: "Très difficile",
    very_easy: "Très facile",
    counter: ["", " sur ", " caractères"],
    consent_yes: "Oui, j’accepte",
    new_tab: "(s’ouvre dans un nouvel onglet)",
    close_survey: "Fermer le questionnaire",
    close: "Fermer",
};

/// Spanish.
pub const ES: Words = Words {
    lang: "es",
    survey: "Encuesta",
    continue_label: "Continuar",
    submit: "Enviar",
    back: "Atrás",
    skip: "Omitir",
    step_of: ["Paso ", " de ", ""],
    please_answer: "Por favor, responda a esta pregunta.",
    too_long: ["Por favor, acorte su respuesta a ", " caracteres."],
    check_answer: "Por favor, revise su respuesta.",
    thanks: "¡Gracias!",
    not_likely: "Poco probable",
    very_likely: "Muy probable",
    not_satisfied: "Insatisfecho",
    very_satisfied: "Muy satisfecho",
    very_hard: "Muy difícil",
    very_easy: "Muy fácil",
    counter: ["", " de ", " caracteres"],
    consent_yes: "Sí, acepto",
    new_tab: "(se abre en una pestaña nueva)",
    close_survey: "Cerrar la encuesta",
    close: "Cerrar",
};

/// Italian.
pub const IT: Words = Words {
    lang: "it",
    survey: "Sondaggio",
    continue_label: "Continua",
    submit: "Invia",
    back: "Indietro",
    skip: "Salta",
    step_of: ["Passo ", " di ", ""],
    please_answer: "Per favore, risponda a questa domanda.",
    too_long: ["Per favore, accorci la risposta a ", " caratteri."],
    check_answer: "Per favore, controlli la risposta.",
    thanks: "Grazie!",
    not_likely: "Poco probabile",
    very_likely: "Molto probabile",
    not_satisfied: "Insoddisfatto",
    very_satisfied: "Molto soddisfatto",
    very_hard: "Molto difficile",
    very_easy: "Molto facile",
    counter: ["", " di ", " caratteri"],
    consent_yes: "Sì, acconsento",
    new_tab: "(si apre in una nuova scheda)",
    close_survey: "Chiudi il sondaggio",
    close: "Chiudi",
};

/// Dutch.
pub const NL: Words = Words {
    lang: "nl",
    survey: "Enquête",
    continue_label: "Verder",
    submit: "Versturen",
    back: "Terug",
    skip: "Overslaan",
    step_of: ["Stap ", " van ", ""],
    please_answer: "Beantwoord deze vraag alstublieft.",
    too_long: ["Kort uw antwoord in tot ", " tekens."],
    check_answer: "Controleer uw antwoord alstublieft.",
    thanks: "Bedankt!",
    not_likely: "Onwaarschijnlijk",
    very_likely: "Zeer waarschijnlijk",
    not_satisfied: "Ontevreden",
    very_satisfied: "Zeer tevreden",
    very_hard: "Zeer moeilijk",
    very_easy: "Zeer makkelijk",
    counter: ["", " van ", " tekens"],
    consent_yes: "Ja, ik ga akkoord",
    new_tab: "(opent in een nieuw tabblad)",
    close_survey: "Enquête sluiten",
    close: "Sluiten",
};

/// Every language the widget has words in; the first is the one for any other language.
pub const ALL: [&Words; 6] = [&EN, &DE, &FR, &ES, &IT, &NL];

/// The widget's words for a locale, by its language (`fr-CA` → French); English for a
/// language it has no words in.
#[must_use]
pub fn words(locale: &str) -> &'static Words {
    let language = crate::locale::primary_subtag(locale);
    ALL.iter()
        .find(|words| words.lang.eq_ignore_ascii_case(language))
        .copied()
        .unwrap_or(&EN)
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
    fn words_by_the_locales_language_else_english() {
        assert_eq!(words("de").lang, "de");
        assert_eq!(words("de-AT").lang, "de");
        assert_eq!(words("en-GB").lang, "en");
        assert_eq!(words("FR-ca").lang, "fr");
        assert_eq!(words("es-MX").lang, "es");
        assert_eq!(words("it").lang, "it");
        assert_eq!(words("nl-BE").lang, "nl");
        assert_eq!(words("pl").lang, "en");
        assert_eq!(words("").lang, "en");
        assert_eq!(FR.step_of(2, 5), "Étape 2 sur 5");
        assert_eq!(NL.counter(12, 500), "12 van 500 tekens");
    }

    /// A language's words are its own: none left in English by a copy and paste, and none
    /// empty (the fallbacks aside, each word differs from the English one).
    #[test]
    fn every_language_has_all_its_words() {
        for words in ALL {
            let all = |w: &Words| {
                [
                    w.survey,
                    w.continue_label,
                    w.submit,
                    w.back,
                    w.skip,
                    w.please_answer,
                    w.check_answer,
                    w.thanks,
                    w.not_likely,
                    w.very_likely,
                    w.not_satisfied,
                    w.very_satisfied,
                    w.very_hard,
                    w.very_easy,
                    w.consent_yes,
                    w.new_tab,
                    w.close_survey,
                    w.close,
                    w.step_of[0],
                    w.too_long[0],
                    w.too_long[1],
                ]
            };
            for (word, english) in all(words).into_iter().zip(all(&EN)) {
                assert!(!word.trim().is_empty(), "{}: an empty word", words.lang);
                if words.lang != "en" {
                    assert_ne!(word, english, "{}: still English", words.lang);
                }
            }
        }
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
