//! `rapport-collector validate FILE…`: every problem of every survey file, one a line.

use std::io::Write;
use std::path::PathBuf;

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
                        writeln!(out, "{shown}: {}", problem.line())?;
                    }
                    count += problems.len();
                }
            },
        }
    }
    Ok(count)
}
