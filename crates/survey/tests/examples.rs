//! The example surveys in `surveys/`: each is valid, and each relationship type, price band and
//! first/repeat purchase walks the path the example promises.

use rapport_survey::{
    load, Action, AnswerValue, Context, ResponseMeta, RunState, StepKind, TypeSource, ValidSurvey,
};

fn example(name: &str) -> ValidSurvey {
    let path = format!("{}/../../surveys/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    load(&text).unwrap_or_else(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("{name} is invalid:\n{}", list.join("\n"))
    })
}

fn meta() -> ResponseMeta {
    ResponseMeta {
        response_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        sequence: 1,
        locale: "en".into(),
        started_at: "2026-12-02T10:00:00Z".into(),
        submitted_at: "2026-12-02T10:01:00Z".into(),
        widget_version: "0.1.0".into(),
    }
}

fn context(json: &str) -> Context {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// Walks a survey, answering each step with `answer(step id)` (or `Next` for messages and
/// when `answer` gives `None`), and returns the ids of the steps shown.
fn walk(
    survey: &ValidSurvey,
    ctx: &Context,
    answer: impl Fn(&str, StepKind) -> Option<AnswerValue>,
) -> (Vec<String>, RunState) {
    let mut state = survey.start(ctx);
    for _ in 0..=survey.steps.len() {
        let Some(step) = survey.current(&state) else {
            break;
        };
        let action = match answer(&step.id, step.kind) {
            Some(value) => Action::Answer(value),
            None => Action::Next,
        };
        state = survey
            .apply(ctx, &state, action)
            .unwrap_or_else(|e| panic!("step {}: {e}", step.id));
    }
    assert!(state.done, "the survey did not finish: {:?}", state.path);
    (state.path.clone(), state)
}

/// A typical customer: rates well, picks the first option, writes a short text.
fn typical(id: &str, kind: StepKind) -> Option<AnswerValue> {
    typical_with(id, kind, 9)
}

fn typical_with(id: &str, kind: StepKind, nps: u8) -> Option<AnswerValue> {
    Some(match (kind, id) {
        (StepKind::Reassurance, _) => return None,
        (StepKind::Nps, _) => AnswerValue::Nps(nps),
        (StepKind::Csat, _) => AnswerValue::Csat(4),
        (StepKind::Ces, _) => AnswerValue::Ces(6),
        (StepKind::SingleChoice, "demands_met") => AnswerValue::SingleChoice("met".into()),
        (StepKind::SingleChoice, "excitement") => AnswerValue::SingleChoice("thrilled".into()),
        (StepKind::SingleChoice, _) => AnswerValue::SingleChoice("call".into()),
        (StepKind::MultiChoice, "inspiration") => AnswerValue::MultiChoice(vec!["styling".into()]),
        (StepKind::MultiChoice, _) => AnswerValue::MultiChoice(vec!["quality".into()]),
        (StepKind::Text, _) => AnswerValue::Text("Faster delivery".into()),
        (StepKind::Consent, _) => AnswerValue::Consent(true),
        (StepKind::RelationshipScreener, _) => return None,
    })
}

const REPEAT_LOW: &str = r#"{"order":{"id":"A-1","total":40,"currency":"EUR"},"customer":{"earlier_orders":3},"relationship":"TYPE"}"#;

#[test]
fn each_relationship_type_gets_its_own_path() {
    let survey = example("post-purchase");
    let expected: [(&str, &[&str]); 6] = [
        ("just_buying", &["reassure", "satisfaction"]),
        (
            "business_partner",
            &["reassure", "nps", "improvement", "follow_up"],
        ),
        ("fling", &["reassure", "excitement", "inspiration"]),
        ("best_friends", &["reassure", "nps", "data_use"]),
        ("colleagues", &["reassure", "nps", "info_useful", "updates"]),
        (
            "master_servant",
            &["reassure", "demands_met", "nps", "effort"],
        ),
    ];
    for (type_id, path) in expected {
        let ctx = context(&REPEAT_LOW.replace("TYPE", type_id));
        let (walked, state) = walk(&survey, &ctx, typical);
        assert_eq!(walked, path, "type {type_id}");
        let relationship = survey.relationship(&ctx, &state.answers);
        assert_eq!(
            (relationship.type_id.as_str(), relationship.source),
            (type_id, TypeSource::Explicit)
        );
    }
}

#[test]
fn just_buying_is_done_in_two_taps_with_no_required_text() {
    let survey = example("post-purchase");
    let ctx = context(&REPEAT_LOW.replace("TYPE", "just_buying"));
    let (path, _) = walk(&survey, &ctx, typical);
    let questions: Vec<&String> = path
        .iter()
        .filter(|id| {
            survey
                .steps
                .iter()
                .any(|s| &&s.id == id && s.kind != StepKind::Reassurance)
        })
        .collect();
    assert!(questions.len() <= 2, "{questions:?}");
    for id in questions {
        let step = survey.steps.iter().find(|s| &s.id == id);
        assert!(
            step.is_some_and(|s| !(s.kind == StepKind::Text && s.required)),
            "{id}"
        );
    }
}

#[test]
fn high_price_adds_protection_and_first_purchase_adds_praise() {
    let survey = example("post-purchase");
    let cases = [
        (40.0, 3, vec!["reassure", "satisfaction"]),
        (649.0, 3, vec!["reassure", "protection", "satisfaction"]),
        (40.0, 0, vec!["welcome_first", "reassure", "satisfaction"]),
        (
            649.0,
            0,
            vec!["welcome_first", "reassure", "protection", "satisfaction"],
        ),
    ];
    for (total, earlier, expected) in cases {
        let ctx = context(&format!(
            r#"{{"order":{{"id":"A-1","total":{total}}},"customer":{{"earlier_orders":{earlier}}},"relationship":"just_buying"}}"#
        ));
        let (path, state) = walk(&survey, &ctx, typical);
        assert_eq!(path, expected, "total {total}, earlier orders {earlier}");
        let reassure = survey.steps.iter().find(|s| s.id == "reassure");
        let bullets = reassure.map(|s| survey.bullets(&ctx, &state, s).len());
        // Repeat buyers are welcomed back; high prices add the guarantee bullet.
        let expected_bullets = 3 + usize::from(earlier > 0) + usize::from(total >= 500.0);
        assert_eq!(
            bullets,
            Some(expected_bullets),
            "total {total}, earlier orders {earlier}"
        );
    }
}

#[test]
fn price_bands_are_in_the_surveys_currency() {
    let survey = example("post-purchase");
    assert_eq!(survey.price_currency.as_deref(), Some("EUR"));
    // 649 EUR is a high price; 649 JPY is in no band of a survey priced in euros, so it gets
    // neither the protection step nor the guarantee bullet; an order that names no currency
    // is taken to be in euros; the code's case does not matter.
    let cases = [
        (r#","currency":"EUR""#, Some("high")),
        (r#","currency":"eur""#, Some("high")),
        ("", Some("high")),
        (r#","currency":"JPY""#, None),
    ];
    for (currency, band) in cases {
        let ctx = context(&format!(
            r#"{{"order":{{"id":"A-1","total":649{currency}}},"customer":{{"earlier_orders":3}},"relationship":"just_buying"}}"#
        ));
        assert_eq!(survey.price_band(&ctx.order), band, "order{currency}");
        let (path, state) = walk(&survey, &ctx, typical);
        let protected = band == Some("high");
        assert_eq!(
            path.iter().any(|id| id == "protection"),
            protected,
            "order{currency}: {path:?}"
        );
        let response = survey.response(&ctx, &state, meta());
        assert_eq!(response.price_band.as_deref(), band, "order{currency}");
        assert!(
            survey.check_response(&response).is_empty(),
            "order{currency}"
        );
    }
}

#[test]
fn without_an_explicit_type_the_screener_decides() {
    let survey = example("post-purchase");
    let ctx = context(r#"{"order":{"id":"A-1","total":40},"customer":{"earlier_orders":2}}"#);
    let (path, state) = walk(&survey, &ctx, |id, kind| match kind {
        StepKind::RelationshipScreener => Some(AnswerValue::RelationshipScreener("fling".into())),
        _ => typical(id, kind),
    });
    assert_eq!(path, ["reassure", "screener", "excitement", "inspiration"]);
    let relationship = survey.relationship(&ctx, &state.answers);
    assert_eq!(
        (relationship.type_id.as_str(), relationship.source),
        ("fling", TypeSource::Screener)
    );
}

#[test]
fn a_rule_decides_before_the_screener() {
    let survey = example("post-purchase");
    let ctx = context(
        r#"{"order":{"total":40},"customer":{"earlier_orders":2,"segment":"key_account"}}"#,
    );
    let (path, state) = walk(&survey, &ctx, typical);
    assert_eq!(path, ["reassure", "nps", "improvement", "follow_up"]);
    assert_eq!(
        survey.relationship(&ctx, &state.answers).source,
        TypeSource::Rule
    );
}

#[test]
fn a_detractor_friend_is_offered_a_person_and_an_apology() {
    let survey = example("post-purchase");
    let ctx = context(&REPEAT_LOW.replace("TYPE", "best_friends"));
    let (path, state) = walk(&survey, &ctx, |id, kind| typical_with(id, kind, 3));
    assert_eq!(path, ["reassure", "nps", "data_use", "personal_contact"]);
    let step = survey.steps.iter().find(|s| s.id == "personal_contact");
    let title = step.map(|s| survey.render(&ctx, &state, &s.title, "en"));
    assert_eq!(
        title.as_deref(),
        Some("We are sorry it was only a 3. Would you like a person to contact you?")
    );
    let ending = survey
        .ending(&ctx, &state)
        .map(|e| survey.render(&ctx, &state, &e.title, "de"));
    assert_eq!(ending.as_deref(), Some("Danke für Ihre Offenheit"));
}

#[test]
fn unmet_demands_open_the_escalation_path() {
    let survey = example("post-purchase");
    let ctx = context(&REPEAT_LOW.replace("TYPE", "master_servant"));
    let (path, state) = walk(&survey, &ctx, |id, kind| match id {
        "demands_met" => Some(AnswerValue::SingleChoice("partly".into())),
        _ => typical(id, kind),
    });
    assert_eq!(
        path,
        ["reassure", "demands_met", "escalation", "nps", "effort"]
    );
    let ending = survey
        .ending(&ctx, &state)
        .map(|e| survey.render(&ctx, &state, &e.title, "en"));
    assert_eq!(ending.as_deref(), Some("We are on it"));
}

#[test]
fn help_links_follow_the_business_relationship_mode() {
    let survey = example("post-purchase");
    let cases = [
        ("dedicated_personal_assistance", "tel:+49301234567"),
        ("personal_assistance", "tel:+49301234500"),
        ("self_service", "/help"),
        ("communities", "/community"),
        ("co_creation", "/ideas"),
    ];
    for (mode, url) in cases {
        let ctx = context(&format!(
            r#"{{"business":{{"mode":"{mode}"}},"relationship":"fling"}}"#
        ));
        let state = survey.start(&ctx);
        let Some(step) = survey.steps.iter().find(|s| s.id == "reassure") else {
            panic!("no reassure step")
        };
        let urls: Vec<&str> = survey
            .links(&ctx, &state, step)
            .iter()
            .map(|l| l.url.as_str())
            .collect();
        assert_eq!(urls, [url, "mailto:service@example.com"], "mode {mode}");
    }
}

#[test]
fn a_custom_taxonomy_works_the_same() {
    let survey = example("fournier-forms");
    let ctx = context(r#"{"customer":{"earlier_orders":1}}"#);
    for (type_id, extra) in [
        ("rebound", Some("switch_reason")),
        ("marriage_of_convenience", Some("convenience")),
        ("casual_friendship", None),
        ("committed_partnership", Some("loyalty_reason")),
    ] {
        let (path, state) = walk(&survey, &ctx, |id, kind| match kind {
            StepKind::RelationshipScreener => {
                Some(AnswerValue::RelationshipScreener(type_id.into()))
            }
            _ => typical(id, kind),
        });
        let mut expected = vec!["thanks", "form", "nps"];
        expected.extend(extra);
        assert_eq!(path, expected, "type {type_id}");
        assert_eq!(survey.relationship(&ctx, &state.answers).type_id, type_id);
    }
    // Ten earlier orders: the rule decides, the screener is not shown.
    let loyal = context(r#"{"customer":{"earlier_orders":12}}"#);
    let (path, _) = walk(&survey, &loyal, typical);
    assert_eq!(path, ["thanks", "nps", "loyalty_reason"]);
    // The built-in types are not part of this taxonomy.
    let explicit = context(r#"{"relationship":"fling","customer":{"earlier_orders":1}}"#);
    let state = survey.start(&explicit);
    let next = survey.apply(&explicit, &state, Action::Next);
    assert_eq!(
        next.ok().and_then(|s| s.path.last().cloned()).as_deref(),
        Some("form")
    );
}

#[test]
fn a_text_recalls_a_picked_option_by_its_label_in_the_customers_language() {
    let survey = rapport_survey::load(
        r#"{
          "id": "recall", "version": 1, "default_locale": "en", "locales": ["en", "de"],
          "steps": [
            {"id": "reason", "kind": "single_choice", "title": {"en": "Why?", "de": "Warum?"},
             "options": [{"id": "fast", "label": {"en": "Fast delivery", "de": "Schnelle Lieferung"}},
                         {"id": "price", "label": {"en": "The price", "de": "Der Preis"}}]},
            {"id": "extras", "kind": "multi_choice", "title": {"en": "What else?", "de": "Was noch?"},
             "options": [{"id": "wrap", "label": {"en": "Gift wrap", "de": "Geschenkpapier"}},
                         {"id": "card", "label": {"en": "A card", "de": "Eine Karte"}}]}
          ],
          "endings": [{"title": {"en": "Thanks: {answers.reason}, {answers.extras}",
                                 "de": "Danke: {answers.reason}, {answers.extras}"}}]
        }"#,
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let ctx = Context::default();
    let (_, state) = walk(&survey, &ctx, |id, _| match id {
        "reason" => Some(AnswerValue::SingleChoice("fast".into())),
        _ => Some(AnswerValue::MultiChoice(vec!["wrap".into(), "card".into()])),
    });
    let ending = survey.ending(&ctx, &state).map(|e| e.title.clone());
    let said = |locale| {
        ending
            .as_ref()
            .map(|t| survey.render(&ctx, &state, t, locale))
    };
    assert_eq!(
        said("de").as_deref(),
        Some("Danke: Schnelle Lieferung, Geschenkpapier, Eine Karte")
    );
    assert_eq!(
        said("en").as_deref(),
        Some("Thanks: Fast delivery, Gift wrap, A card")
    );
}
