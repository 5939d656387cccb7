//! `rapport-collector validate FILE…`: every problem of every survey file, one a line.

use std::io::Write;
use std::path::PathBuf;

/// Checks each file; writes `file: path: message` for every problem to `out`.
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
                        writeln!(out, "{shown}: {}: {}", problem.path, problem.message)?;
                    }
                    count += problems.len();
                }
            },
        }
    }
    Ok(count)
}
