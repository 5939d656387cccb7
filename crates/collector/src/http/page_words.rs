//! What the hosted survey page and its error pages say to the customer, in the languages the
//! widget has its own words in (English, German, French, Spanish, Italian, Dutch), chosen by
//! the link's `locale`, else by the browser's `Accept-Language`, else English.

/// The customer's words of the hosted pages in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct PageWords {
    /// Language code of these words (also the page's `lang`).
    pub lang: &'static str,
    /// The page's title.
    pub survey: &'static str,
    /// Shown by a browser that runs no scripts.
    pub needs_javascript: &'static str,
    /// Title: no survey at this address.
    pub not_found: &'static str,
    /// Text: the address names no survey with a hosted page.
    pub no_such_survey: &'static str,
    /// Text: the survey has no published version (any more).
    pub withdrawn: &'static str,
    /// Title: a passing problem on the collector's side.
    pub try_later: &'static str,
    /// Text: the widget cannot be served (the shop's set-up; a note for the shop follows).
    pub cannot_show: &'static str,
    /// Text: the database did not answer.
    pub cannot_show_minutes: &'static str,
    /// Title and text: the link's `expires` has passed.
    pub expired: [&'static str; 2],
    /// Title and text: the link is incomplete or was changed.
    pub invalid: [&'static str; 2],
}

/// English.
pub const EN: PageWords = PageWords {
    lang: "en",
    survey: "Survey",
    needs_javascript: "This survey needs JavaScript.",
    not_found: "Survey not found",
    no_such_survey: "There is no survey at this address. Please use the link from your order email.",
    withdrawn: "This survey is not available (any more). Thank you for your interest.",
    try_later: "Please try again later",
    cannot_show: "The survey cannot be shown right now. Please try again later.",
    cannot_show_minutes: "The survey cannot be shown right now. Please try again in a few minutes.",
    expired: [
        "This survey link has expired",
        "Thank you for wanting to answer! This link is no longer valid. If the shop sent you a newer email, please use the link in it.",
    ],
    invalid: [
        "This survey link is not valid",
        "The link seems to be incomplete or changed. Please open it again from your order email, or copy the whole address.",
    ],
};

/// German.
pub const DE: PageWords = PageWords {
    lang: "de",
    survey: "Umfrage",
    needs_javascript: "Diese Umfrage benötigt JavaScript.",
    not_found: "Umfrage nicht gefunden",
    no_such_survey: "Unter dieser Adresse gibt es keine Umfrage. Bitte verwenden Sie den Link aus Ihrer Bestell-E-Mail.",
    withdrawn: "Diese Umfrage ist nicht (mehr) verfügbar. Vielen Dank für Ihr Interesse.",
    try_later: "Bitte versuchen Sie es später noch einmal",
    cannot_show: "Die Umfrage kann gerade nicht angezeigt werden. Bitte versuchen Sie es später noch einmal.",
    cannot_show_minutes: "Die Umfrage kann gerade nicht angezeigt werden. Bitte versuchen Sie es in ein paar Minuten noch einmal.",
    expired: [
        "Dieser Umfrage-Link ist abgelaufen",
        "Danke, dass Sie teilnehmen möchten! Dieser Link ist nicht mehr gültig. Wenn der Shop Ihnen eine neuere E-Mail geschickt hat, verwenden Sie bitte den Link darin.",
    ],
    invalid: [
        "Dieser Umfrage-Link ist ungültig",
        "Der Link scheint unvollständig oder verändert zu sein. Bitte öffnen Sie ihn erneut aus Ihrer Bestell-E-Mail, oder kopieren Sie die ganze Adresse.",
    ],
};

/// French.
pub const FR: PageWords = PageWords {
    lang: "fr",
    survey: "Questionnaire",
    needs_javascript: "Ce questionnaire nécessite JavaScript.",
    not_found: "Questionnaire introuvable",
    no_such_survey: "Il n’y a pas de questionnaire à cette adresse. Veuillez utiliser le lien de l’e-mail de votre commande.",
    withdrawn: "Ce questionnaire n’est pas (ou plus) disponible. Merci de votre intérêt.",
    try_later: "Veuillez réessayer plus tard",
    cannot_show: "Le questionnaire ne peut pas être affiché pour le moment. Veuillez réessayer plus tard.",
    cannot_show_minutes: "Le questionnaire ne peut pas être affiché pour le moment. Veuillez réessayer dans quelques minutes.",
    expired: [
        "Ce lien de questionnaire a expiré",
        "Merci de vouloir répondre\u{a0}! Ce lien n’est plus valable. Si la boutique vous a envoyé un e-mail plus récent, veuillez utiliser le lien qu’il contient.",
    ],
    invalid: [
        "Ce lien de questionnaire n’est pas valable",
        "Le lien semble incomplet ou modifié. Veuillez l’ouvrir à nouveau depuis l’e-mail de votre commande, ou copier l’adresse entière.",
    ],
};

/// Spanish.
pub const ES: PageWords = PageWords {
    lang: "es",
    survey: "Encuesta",
    needs_javascript: "Esta encuesta necesita JavaScript.",
    not_found: "Encuesta no encontrada",
    no_such_survey: "No hay ninguna encuesta en esta dirección. Utilice el enlace del correo electrónico de su pedido.",
    withdrawn: "Esta encuesta no está (o ya no está) disponible. Gracias por su interés.",
    try_later: "Inténtelo de nuevo más tarde",
    cannot_show: "La encuesta no se puede mostrar en este momento. Inténtelo de nuevo más tarde.",
    cannot_show_minutes: "La encuesta no se puede mostrar en este momento. Inténtelo de nuevo en unos minutos.",
    expired: [
        "Este enlace de la encuesta ha caducado",
        "¡Gracias por querer responder! Este enlace ya no es válido. Si la tienda le ha enviado un correo más reciente, utilice el enlace que contiene.",
    ],
    invalid: [
        "Este enlace de la encuesta no es válido",
        "El enlace parece incompleto o modificado. Ábralo de nuevo desde el correo de su pedido, o copie la dirección completa.",
    ],
};

/// Italian.
pub const IT: PageWords = PageWords {
    lang: "it",
    survey: "Sondaggio",
    needs_javascript: "Questo sondaggio richiede JavaScript.",
    not_found: "Sondaggio non trovato",
    no_such_survey: "A questo indirizzo non c’è nessun sondaggio. Usi il link dell’e-mail del suo ordine.",
    withdrawn: "Questo sondaggio non è (più) disponibile. Grazie per l’interesse.",
    try_later: "Riprovi più tardi",
    cannot_show: "Il sondaggio non può essere mostrato in questo momento. Riprovi più tardi.",
    cannot_show_minutes: "Il sondaggio non può essere mostrato in questo momento. Riprovi tra qualche minuto.",
    expired: [
        "Questo link del sondaggio è scaduto",
        "Grazie di voler rispondere! Questo link non è più valido. Se il negozio le ha inviato un’e-mail più recente, usi il link che contiene.",
    ],
    invalid: [
        "Questo link del sondaggio non è valido",
        "Il link sembra incompleto o modificato. Lo apra di nuovo dall’e-mail del suo ordine, oppure copi l’indirizzo completo.",
    ],
};

/// Dutch.
pub const NL: PageWords = PageWords {
    lang: "nl",
    survey: "Enquête",
    needs_javascript: "Deze enquête heeft JavaScript nodig.",
    not_found: "Enquête niet gevonden",
    no_such_survey: "Op dit adres staat geen enquête. Gebruik de link uit de e-mail over uw bestelling.",
    withdrawn: "Deze enquête is niet (meer) beschikbaar. Bedankt voor uw interesse.",
    try_later: "Probeer het later opnieuw",
    cannot_show: "De enquête kan nu niet worden getoond. Probeer het later opnieuw.",
    cannot_show_minutes: "De enquête kan nu niet worden getoond. Probeer het over een paar minuten opnieuw.",
    expired: [
        "Deze enquêtelink is verlopen",
        "Bedankt dat u wilt antwoorden! Deze link is niet meer geldig. Als de winkel u een nieuwere e-mail heeft gestuurd, gebruik dan de link daarin.",
    ],
    invalid: [
        "Deze enquêtelink is ongeldig",
        "De link lijkt onvolledig of gewijzigd. Open hem opnieuw vanuit de e-mail over uw bestelling, of kopieer het hele adres.",
    ],
};

/// Every language of the hosted pages.
pub const ALL: [&PageWords; 6] = [&EN, &DE, &FR, &ES, &IT, &NL];

/// The words for a language tag, by its language (`de-CH` → German), if there are any.
fn of(tag: &str) -> Option<&'static PageWords> {
    let language = tag.trim().split(['-', '_']).next().unwrap_or_default();
    ALL.iter()
        .copied()
        .find(|words| words.lang.eq_ignore_ascii_case(language))
}

/// The words for the customer: the link's `locale`, else the most preferred language of the
/// browser's `Accept-Language` that has words, else English.
#[must_use]
pub fn choose(link_locale: Option<&str>, accept_language: Option<&str>) -> &'static PageWords {
    link_locale
        .and_then(of)
        .or_else(|| accept_language.and_then(preferred))
        .unwrap_or(&EN)
}

/// The most preferred language of an `Accept-Language` value (`de-CH, fr;q=0.8, en;q=0.5`)
/// that has words; a language with `q=0`, a malformed weight and `*` count as not asked for.
fn preferred(header: &str) -> Option<&'static PageWords> {
    let mut best: Option<(f32, &'static PageWords)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        let (Some(weight), Some(words)) = (weight, of(tag)) else {
            continue;
        };
        // The first of equal weights wins, as the header lists them in order.
        if weight > 0.0 && best.is_none_or(|(b, _)| weight > b) {
            best = Some((weight, words));
        }
    }
    best.map(|(_, words)| words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_locale_comes_first_then_the_browsers_languages_then_english() {
        assert_eq!(choose(Some("de"), Some("fr")).lang, "de");
        assert_eq!(choose(Some("it-CH"), None).lang, "it");
        // A locale without words: the browser decides.
        assert_eq!(choose(Some("pl"), Some("nl-BE,en;q=0.5")).lang, "nl");
        assert_eq!(choose(None, Some("de-CH, fr;q=0.8, en;q=0.5")).lang, "de");
        assert_eq!(choose(None, Some("pl, fr;q=0.8, de;q=0.9")).lang, "de");
        assert_eq!(choose(None, Some("es;q=0.5, it;q=0.5")).lang, "es");
        assert_eq!(choose(None, Some("de;q=0, fr;q=oops, *")).lang, "en");
        assert_eq!(choose(None, Some("")).lang, "en");
        assert_eq!(choose(None, None).lang, "en");
    }

    #[test]
    fn every_language_says_everything_in_its_own_words() {
        let all = |w: &PageWords| {
            [
                w.survey,
                w.needs_javascript,
                w.not_found,
                w.no_such_survey,
                w.withdrawn,
                w.try_later,
                w.cannot_show,
                w.cannot_show_minutes,
                w.expired[0],
                w.expired[1],
                w.invalid[0],
                w.invalid[1],
            ]
        };
        for words in ALL {
            for (said, english) in all(words).into_iter().zip(all(&EN)) {
                assert!(!said.trim().is_empty(), "{}: an empty text", words.lang);
                if words.lang != "en" {
                    assert_ne!(said, english, "{}: still English", words.lang);
                }
            }
        }
    }
}
