//! The validator rejects the broken definitions in `tests/broken/` with every expected problem,
//! each located by its JSON path. Each `<name>.json` has its expected report in
//! `<name>.expected.txt`, one `path [code]: message` per line (regenerate with
//! `RAPPORT_BLESS=1`, then read the diff: these are the messages researchers see).

use std::path::PathBuf;

fn report(json: &str) -> String {
    describe(rapport_survey::load(json))
}

fn describe(result: Result<rapport_survey::ValidSurvey, Vec<rapport_survey::Problem>>) -> String {
    match result {
        Ok(_) => "valid\n".to_owned(),
        Err(problems) => problems
            .iter()
            .map(|p| {
                let code = serde_json::to_value(p.code)
                    .ok()
                    .and_then(|c| c.as_str().map(str::to_owned));
                format!("{} [{}]: {}\n", p.path, code.unwrap_or_default(), p.message)
            })
            .collect(),
    }
}

#[test]
fn broken_definitions_are_rejected_with_located_problems() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "expected the broken definitions in tests/broken/"
    );
    for file in files {
        let json = std::fs::read_to_string(&file).unwrap_or_default();
        let actual = report(&json);
        let expected_path = file.with_extension("expected.txt");
        if std::env::var_os("RAPPORT_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).unwrap_or_else(|e| panic!("{e}"));
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_eq!(actual, expected, "{}", file.display());
        assert_ne!(actual, "valid\n", "{} should be invalid", file.display());
        assert_eq!(
            in_parts(&json).1,
            actual,
            "{} read in parts",
            file.display()
        );
    }
}

/// `load` in its three parts, as the widget runs them (each in a task of its own): the name
/// of the part that failed, and the report.
fn in_parts(json: &str) -> (&'static str, String) {
    let result = rapport_survey::parse(json)
        .map_err(|problems| ("parse", problems))
        .and_then(|value| rapport_survey::read_value(value).map_err(|p| ("read_value", p)))
        .and_then(|survey| rapport_survey::validate(survey).map_err(|p| ("validate", p)));
    match result {
        Ok(survey) => ("none", describe(Ok(survey))),
        Err((part, problems)) => (part, describe(Err(problems))),
    }
}

#[test]
fn each_part_of_loading_reports_its_own_kind_of_problem() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/broken");
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert_eq!(in_parts(&read("not-json.json")).0, "parse");
    assert_eq!(in_parts(&read("structure.json")).0, "read_value");
    assert_eq!(in_parts(&read("semantics.json")).0, "validate");
    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../surveys/post-purchase.json");
    let example = std::fs::read_to_string(&example).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(in_parts(&example), ("none", "valid\n".to_owned()));
}
