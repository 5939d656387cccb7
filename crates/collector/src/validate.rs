//! `rapport-collector validate FILE…`: every problem of every survey file, one a line.

use std::io::Write;
use std::path::PathBuf;

use rapport_survey::ProblemCode;

/// Checks each file; writes `file: path [code]: message` for every problem to `out` (the
/// code as in the API's problems, e.g. `invalid_version`; the format of the main README's
/// Validation section and of `tests/broken/*.expected.txt`, after the file name).
/// Returns the number of problems (a file that cannot be read counts as one).
pub fn run(files: &[PathBuf], out: &mut impl Write) -> std::io::Result<usize> {
    let mut count = 0;
    for file in files {
        let shown = file.display();
        match std::fs::read_to_string(file) {
            Err(err) => {
                writeln!(out, "{shown}: $: cannot read the file: {err}")?;
                count += 1;
            }
            Ok(text) => match rapport_survey::load(&text) {
                Ok(survey) => {
                    writeln!(
                        out,
                        "{shown}: ok (survey `{}` version {})",
                        survey.id, survey.version
                    )?;
                }
                Err(problems) => {
                    for problem in &problems {
                        writeln!(
                            out,
                            "{shown}: {} [{}]: {}",
                            problem.path,
                            code_name(problem.code),
                            problem.message
                        )?;
                    }
                    count += problems.len();
                }
            },
        }
    }
    Ok(count)
}

/// A problem code's name as it is serialized (`invalid_version`).
fn code_name(code: ProblemCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(name)) => name,
        // Never for a unit variant; the debug name still says what it is.
        _ => format!("{code:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::code_name;
    use rapport_survey::ProblemCode;

    #[test]
    fn codes_are_named_as_serialized() {
        assert_eq!(code_name(ProblemCode::InvalidVersion), "invalid_version");
        assert_eq!(code_name(ProblemCode::Syntax), "syntax");
    }
}
