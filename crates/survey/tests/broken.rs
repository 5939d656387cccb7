//! The validator rejects the broken definitions in `tests/broken/` with every expected problem,
//! each located by its JSON path. Each `<name>.json` has its expected report in
//! `<name>.expected.txt`, one `path [code]: message` per line (regenerate with
//! `RAPPORT_BLESS=1`, then read the diff: these are the messages researchers see).

use std::path::PathBuf;

fn report(json: &str) -> String {
    match rapport_survey::load(json) {
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
    }
}
