//! Build script of the widget: writes a minified copy of `styles/widget.css` to `OUT_DIR`
//! for [`STYLES`](src/mount.rs) — comments and layout whitespace cost bytes on every shop page
//! (≈1.4 KB gzip) and tell the browser nothing.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let source = "styles/widget.css";
    println!("cargo:rerun-if-changed={source}");
    let css = match fs::read_to_string(source) {
        Ok(css) => css,
        Err(err) => {
            println!("cargo:warning=cannot read {source}: {err}");
            std::process::exit(1);
        }
    };
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        println!("cargo:warning=OUT_DIR is not set");
        std::process::exit(1);
    };
    let target = out_dir.join("widget.min.css");
    if let Err(err) = fs::write(&target, minify(&css)) {
        println!("cargo:warning=cannot write {}: {err}", target.display());
        std::process::exit(1);
    }
}

/// Drops comments, collapses whitespace to one space, and drops it next to `{`, `}`, `;`,
/// `,` and before `}` the last `;`. Quoted strings are copied as they are.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut space, c);
                out.push(c);
                let mut escaped = false;
                for inner in chars.by_ref() {
                    out.push(inner);
                    if escaped {
                        escaped = false;
                    } else if inner == '\\' {
                        escaped = true;
                    } else if inner == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                flush_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending space before `next`, unless either side is punctuation that needs none.
fn flush_space(out: &mut String, space: &mut bool, next: char) {
    const TIGHT: [char; 4] = ['{', '}', ';', ','];
    if std::mem::take(space) && !out.is_empty() && !TIGHT.contains(&next) && !out.ends_with(TIGHT) {
        out.push(' ');
    }
}
