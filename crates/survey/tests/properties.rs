//! Properties of validation and the engine, checked with proptest over generated inputs.

use proptest::prelude::*;
use rapport_survey::condition::{parse, Scope};
use rapport_survey::definition::{ChoiceOption, RelationshipSettings, Step, StepKind, Survey};
use rapport_survey::text::Text;
use rapport_survey::{
    load, load_value, validate, Action, AnswerValue, Answers, Context, ResponseMeta, RunState,
    ValidSurvey,
};
use serde_json::Value;

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z_ .=<>\\[\\]{}0-9\"]{0,24}".prop_map(Value::from),
        prop::sample::select(vec![
            "nps",
            "csat",
            "text",
            "steps",
            "relationship",
            "answers.a >= 1",
            "{order.id}",
            "en",
            "de"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "id",
                    "version",
                    "default_locale",
                    "locales",
                    "steps",
                    "kind",
                    "title",
                    "when",
                    "options",
                    "label",
                    "en",
                    "de",
                    "relationship",
                    "types",
                    "rules",
                    "default",
                    "type",
                    "price_bands",
                    "from",
                    "endings",
                    "required",
                    "max_length",
                    "bullets",
                    "links",
                    "url",
                    "text",
                    "statement",
                ])
                .prop_map(str::to_owned),
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/post-purchase.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or(Value::Null)
}

/// Replaces the value at a pseudo-random place in `doc` by `replacement`.
fn mutate(doc: &mut Value, choice: usize, replacement: Value) {
    let descend = !choice.is_multiple_of(3);
    let child = match doc {
        Value::Object(map) if descend && !map.is_empty() => {
            let len = map.len();
            map.values_mut().nth(choice % len)
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let len = items.len();
            items.get_mut(choice % len)
        }
        _ => None,
    };
    match child {
        Some(child) => mutate(child, choice / 3, replacement),
        None => *doc = replacement,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_on_arbitrary_json(value in arbitrary_json()) {
        let _ = load_value(value.clone());
        let _ = load(&value.to_string());
    }

    #[test]
    fn validation_never_panics_on_a_mutated_example(
        edits in prop::collection::vec((any::<usize>(), arbitrary_json()), 1..4)
    ) {
        let mut doc = example();
        for (choice, replacement) in edits {
            mutate(&mut doc, choice, replacement);
        }
        if let Err(problems) = load_value(doc) {
            prop_assert!(problems.iter().all(|p| p.path.starts_with('$') && !p.message.is_empty()));
        }
    }

    #[test]
    fn conditions_never_panic(source in "\\PC{0,40}") {
        let _ = parse(&source);
    }

    #[test]
    fn conditions_with_syntax_words_never_panic(
        words in prop::collection::vec(prop::sample::select(vec![
            "and", "or", "not", "in", "contains", "(", ")", "[", "]", ",", "==", "!=", "<=", ">", "relationship",
            "answers.a", "order.total", "5", "-1.5", "'x'", "\"", "true", "fling", "customer.first_purchase",
        ]), 0..16)
    ) {
        let _ = parse(&words.join(" "));
    }
}

// ---- generated valid surveys for the engine properties ----

const KINDS: [StepKind; 8] = [
    StepKind::Reassurance,
    StepKind::Nps,
    StepKind::Csat,
    StepKind::Ces,
    StepKind::SingleChoice,
    StepKind::MultiChoice,
    StepKind::Text,
    StepKind::Consent,
];

fn text(s: &str) -> Text {
    Text::from_pairs(&[("en", s)])
}

/// A condition for step `i` from a seed, reading only the context or earlier steps.
fn condition(steps: &[Step], seed: u32) -> Option<String> {
    let earlier: Vec<&Step> = steps
        .iter()
        .filter(|s| s.kind != StepKind::Reassurance)
        .collect();
    let pick = |n: usize| (seed as usize / 7) % n.max(1);
    let atom = match seed % 9 {
        0..=2 => return None,
        3 => "order.total >= 100".to_owned(),
        4 => "customer.first_purchase".to_owned(),
        5 => "relationship in [fling, best_friends]".to_owned(),
        _ if earlier.is_empty() => "not customer.first_purchase".to_owned(),
        _ => {
            let step = earlier[pick(earlier.len())];
            match step.kind {
                StepKind::Nps | StepKind::Csat | StepKind::Ces => {
                    format!("answers.{} >= {}", step.id, seed % 6 + 1)
                }
                StepKind::SingleChoice => format!("answers.{} == o{}", step.id, seed % 3),
                StepKind::MultiChoice => format!("answers.{} contains o{}", step.id, seed % 3),
                StepKind::Consent => format!("answers.{}", step.id),
                _ => format!("answers.{} != \"\"", step.id),
            }
        }
    };
    Some(if seed.is_multiple_of(4) {
        format!("not ({atom}) or order.total < 50")
    } else {
        atom
    })
}

fn survey_from(seeds: &[(u8, bool, u32)]) -> Survey {
    let mut steps: Vec<Step> = Vec::new();
    for (i, (kind, required, cond)) in seeds.iter().enumerate() {
        let kind = KINDS[*kind as usize % KINDS.len()];
        let options = if matches!(kind, StepKind::SingleChoice | StepKind::MultiChoice) {
            (0..3)
                .map(|o| ChoiceOption {
                    id: format!("o{o}"),
                    label: text("opt"),
                })
                .collect()
        } else {
            Vec::new()
        };
        let when = condition(&steps, *cond);
        steps.push(Step {
            id: format!("s{i}"),
            kind,
            required: *required && kind != StepKind::Reassurance,
            when,
            title: text("Title {order.id}"),
            body: None,
            bullets: Vec::new(),
            links: Vec::new(),
            options,
            low_label: None,
            high_label: None,
            max_length: (kind == StepKind::Text).then_some(20),
            placeholder: None,
        });
    }
    Survey {
        schema: None,
        id: "generated".into(),
        version: 1,
        default_locale: "en".into(),
        locales: vec!["en".into()],
        title: None,
        relationship: RelationshipSettings::default(),
        price_bands: Vec::new(),
        price_currency: None,
        steps,
        endings: Vec::new(),
        delivery: Default::default(),
    }
}

/// The customer's answer to a step, from a seed; `None` = skip (only optional steps).
fn answer_for(step: &Step, seed: u8) -> Option<AnswerValue> {
    let pick = |n: u8| seed % n;
    let value = match step.kind {
        StepKind::Reassurance => return None,
        _ if !step.required && seed.is_multiple_of(5) => return None,
        StepKind::Nps => AnswerValue::Nps(pick(11)),
        StepKind::Csat => AnswerValue::Csat(1 + pick(5)),
        StepKind::Ces => AnswerValue::Ces(1 + pick(7)),
        StepKind::SingleChoice => AnswerValue::SingleChoice(format!("o{}", pick(3))),
        StepKind::MultiChoice => {
            AnswerValue::MultiChoice((0..=pick(3)).map(|o| format!("o{o}")).collect())
        }
        StepKind::Text => AnswerValue::Text("x".repeat(1 + usize::from(pick(10)))),
        StepKind::Consent => AnswerValue::Consent(step.required || seed.is_multiple_of(2)),
        StepKind::RelationshipScreener => AnswerValue::RelationshipScreener("fling".into()),
    };
    Some(value)
}

fn action(survey: &ValidSurvey, state: &RunState, seed: u8) -> Action {
    match survey
        .current(state)
        .and_then(|step| answer_for(step, seed))
    {
        Some(value) => Action::Answer(value),
        None => Action::Next,
    }
}

/// Runs to the end with one seed per step; returns every state.
fn run(survey: &ValidSurvey, ctx: &Context, answers: &[u8]) -> Vec<RunState> {
    let mut states = vec![survey.start(ctx)];
    for (k, seed) in answers
        .iter()
        .cycle()
        .take(survey.steps.len() + 1)
        .enumerate()
    {
        let state = &states[states.len() - 1];
        if state.done {
            break;
        }
        let next = survey.apply(ctx, state, action(survey, state, *seed));
        match next {
            Ok(next) => states.push(next),
            Err(e) => panic!("step {k}: {e}"),
        }
    }
    states
}

fn generated() -> impl Strategy<Value = (Vec<(u8, bool, u32)>, Context, Vec<u8>)> {
    (
        prop::collection::vec((any::<u8>(), any::<bool>(), any::<u32>()), 1..10),
        (
            prop::option::of(0.0f64..1000.0),
            prop::option::of(0u32..3),
            prop::option::of(prop::sample::select(vec![
                "fling",
                "just_buying",
                "best_friends",
            ])),
        ),
        prop::collection::vec(any::<u8>(), 1..12),
    )
        .prop_map(|(seeds, (total, earlier, relationship), answers)| {
            let mut ctx = Context::default();
            ctx.order.total = total;
            ctx.order.id = Some("A-1".into());
            ctx.customer.earlier_orders = earlier;
            ctx.relationship = relationship.map(str::to_owned);
            (seeds, ctx, answers)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_valid_survey_finishes_within_as_many_steps_as_it_has((seeds, ctx, answers) in generated()) {
        let survey = validate(survey_from(&seeds)).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let states = run(&survey, &ctx, &answers);
        let last = &states[states.len() - 1];
        prop_assert!(last.done);
        prop_assert!(states.len() - 1 <= survey.steps.len());
        prop_assert!(last.path.len() <= survey.steps.len());
    }

    #[test]
    fn a_step_whose_condition_is_false_is_never_shown((seeds, ctx, answers) in generated()) {
        let survey = validate(survey_from(&seeds)).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let states = run(&survey, &ctx, &answers);
        let last = &states[states.len() - 1];
        // Independently of the engine: walk the shown path and evaluate each step's condition
        // over the answers of the steps shown before it.
        let mut before = Answers::new();
        let relationship = survey.relationship(&ctx, &last.answers);
        for id in &last.path {
            let step = survey.steps.iter().find(|s| &s.id == id).ok_or_else(|| TestCaseError::fail("unknown id"))?;
            if let Some(source) = &step.when {
                let expr = parse(source).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let scope = Scope { survey: &survey, context: &ctx, relationship: Some(&relationship.type_id), answers: &before };
                prop_assert!(scope.holds(&expr), "step {id} shown although `{source}` is false");
            }
            if let Some(answer) = last.answers.get(id) {
                before.insert(id.clone(), answer.clone());
            }
        }
        // And no step left out had a true condition at its turn.
        let shown: Vec<usize> = last.path.iter().filter_map(|id| survey.steps.iter().position(|s| &s.id == id)).collect();
        prop_assert_eq!(shown, survey.visible_steps(&ctx, &last.answers));
    }

    #[test]
    fn going_back_and_forward_again_gives_the_same_path((seeds, ctx, answers) in generated(), back in 1usize..6) {
        let survey = validate(survey_from(&seeds)).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let states = run(&survey, &ctx, &answers);
        let last = states[states.len() - 1].clone();
        let mut state = last.clone();
        for _ in 0..back {
            match survey.apply(&ctx, &state, Action::Back) {
                Ok(previous) => state = previous,
                Err(_) => break,
            }
        }
        // Forward again giving the same answers (or skipping where they skipped).
        while let Some(step) = survey.current(&state) {
            let action = match last.answers.get(&step.id) {
                Some(answer) => Action::Answer(answer.clone()),
                None => Action::Next,
            };
            state = survey.apply(&ctx, &state, action).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(&state.path, &last.path);
        prop_assert_eq!(
            survey.counted_answers(&ctx, &state.answers),
            survey.counted_answers(&ctx, &last.answers)
        );
    }

    #[test]
    fn an_answer_to_a_step_that_became_hidden_is_dropped_and_the_server_agrees(
        (seeds, ctx, answers) in generated(), back in 1usize..6, other in any::<u8>()
    ) {
        let survey = validate(survey_from(&seeds)).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let states = run(&survey, &ctx, &answers);
        let mut state = states[states.len() - 1].clone();
        for _ in 0..back {
            if let Ok(previous) = survey.apply(&ctx, &state, Action::Back) {
                state = previous;
            }
        }
        // A different answer where they went back to, then on to the end.
        let mut seed = other;
        while survey.current(&state).is_some() {
            state = survey.apply(&ctx, &state, action(&survey, &state, seed)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            seed = seed.wrapping_mul(31).wrapping_add(7);
        }
        let response = survey.response(&ctx, &state, ResponseMeta {
            response_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            sequence: 1,
            locale: "en".into(),
            started_at: "2026-11-25T08:30:00Z".into(),
            submitted_at: "2026-11-25T08:31:00Z".into(),
            widget_version: "test".into(),
        });
        for id in response.answers.keys() {
            prop_assert!(state.path.contains(id), "answer to hidden step {id} in the response");
        }
        let problems = survey.check_response(&response);
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// A number in a condition and the same number in the context (read from the tag's JSON)
    /// are one value, and it is the correctly rounded one (what `str::parse::<f64>` gives), for
    /// every decimal of up to 15 significant digits.
    #[test]
    fn a_number_in_a_condition_equals_the_same_number_in_the_context(
        negative in any::<bool>(),
        whole in 0u64..1_000_000_000,
        zeros in 0usize..3,
        fraction in "[0-9]{0,6}",
    ) {
        let digits = format!("{}{whole}", "0".repeat(zeros));
        let literal = match (negative, fraction.is_empty()) {
            (false, true) => digits,
            (true, true) => format!("-{digits}"),
            (false, false) => format!("{digits}.{fraction}"),
            (true, false) => format!("-{digits}.{fraction}"),
        };
        let json = format!("{}{whole}{}", if negative { "-" } else { "" },
            if fraction.is_empty() { String::new() } else { format!(".{fraction}") });
        let from_json: Context = serde_json::from_str(&format!(r#"{{"order":{{"total":{json}}}}}"#))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut correctly_rounded = Context::default();
        correctly_rounded.order.total = Some(literal.parse::<f64>().map_err(|e| TestCaseError::fail(e.to_string()))?);
        let survey = survey_from(&[(0, false, 0)]);
        let answers = Answers::new();
        for ctx in [&from_json, &correctly_rounded] {
            let scope = Scope { survey: &survey, context: ctx, relationship: None, answers: &answers };
            for (op, expected) in [("==", true), (">=", true), ("<=", true), ("!=", false), (">", false), ("<", false)] {
                let source = format!("order.total {op} {literal}");
                let expr = parse(&source).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(scope.holds(&expr), expected, "{} with total {:?}", source, ctx.order.total);
            }
        }
    }
}
