//! The contracts the README documents are real: its survey example is a valid survey, and its
//! response example is a valid payload for `surveys/post-purchase.json` and for the schema.

fn readme() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first ```json block after `marker`.
fn json_block_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("README lacks `{marker}`"));
    let rest = &text[start..];
    let open = rest
        .find("```json\n")
        .unwrap_or_else(|| panic!("no json block after `{marker}`"))
        + 8;
    let close = rest[open..]
        .find("```")
        .unwrap_or_else(|| panic!("unclosed block after `{marker}`"));
    rest[open..open + close].to_owned()
}

#[test]
fn the_survey_example_is_valid() {
    let example = json_block_after(&readme(), "## Survey definitions");
    if let Err(problems) = rapport_survey::load(&example) {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("README survey example:\n{}", list.join("\n"));
    }
}

#[test]
fn the_context_example_parses() {
    let example = json_block_after(&readme(), "### Purchase context");
    let parsed: Result<rapport_survey::Context, _> = serde_json::from_str(&example);
    assert!(parsed.is_ok(), "{parsed:?}");
}

#[test]
fn the_response_example_is_a_valid_payload() {
    let example = json_block_after(&readme(), "<!-- response-example -->");
    let response: rapport_survey::Response =
        serde_json::from_str(&example).unwrap_or_else(|e| panic!("README response example: {e}"));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/post-purchase.json"
    );
    let survey = rapport_survey::load(&std::fs::read_to_string(path).unwrap_or_default())
        .unwrap_or_else(|p| panic!("{p:?}"));
    let problems = survey.check_response(&response);
    assert!(problems.is_empty(), "{problems:?}");
}
