//! Precompressed siblings of the files in `dist/`: `name.gz` (gzip, best level) and `name.br`
//! (brotli, quality 11), so that a server sends the widget compressed without compressing it
//! on every request — the collector's static file service picks the sibling the browser
//! accepts, and static hosts do the same (nginx `gzip_static`/`brotli_static`, most CDNs).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;

/// Extensions of the files worth compressing (text and wasm; images are compressed already).
const COMPRESSIBLE: [&str; 6] = ["js", "wasm", "css", "html", "json", "svg"];

/// Brotli's highest quality and its largest standard window (4 MiB): build time is spent once.
const BROTLI_QUALITY: i32 = 11;
const BROTLI_WINDOW: i32 = 22;

/// Writes `.gz` and `.br` siblings next to every compressible file below `dir`, where they
/// are smaller than the file; returns how many siblings were written.
///
/// # Errors
/// A file that cannot be read, compressed or written, named in the error.
pub fn precompress(dir: &Path) -> Result<usize> {
    let mut files = Vec::new();
    crate::dist::collect_files(dir, &mut files)?;
    let mut written = 0;
    for file in files.iter().filter(|file| is_compressible(file)) {
        let bytes = fs::read(file).with_context(|| format!("failed to read {}", file.display()))?;
        for (suffix, packed) in [("gz", gzip(&bytes)?), ("br", brotli(&bytes)?)] {
            if packed.len() < bytes.len() {
                let sibling = sibling(file, suffix);
                fs::write(&sibling, packed)
                    .with_context(|| format!("failed to write {}", sibling.display()))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// `bytes` compressed with gzip at the best level.
///
/// # Errors
/// An I/O error of the in-memory encoder (none in practice).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// `bytes` compressed with brotli at quality 11.
///
/// # Errors
/// An I/O error of the in-memory encoder (none in practice).
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        ..Default::default()
    };
    let mut packed = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut packed, &params)
        .context("brotli compression failed")?;
    Ok(packed)
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
}

fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn siblings_decompress_to_the_file_and_only_compressible_files_get_them() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("rapport-xtask-{}", std::process::id()));
        fs::create_dir_all(dir.join("surveys"))?;
        let wasm: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        fs::write(dir.join("rapport_bg-0a1b.wasm"), &wasm)?;
        fs::write(dir.join("surveys/s.json"), "{\"a\": 1}".repeat(200))?;
        fs::write(dir.join("tiny.js"), "1")?;
        fs::write(dir.join("photo.png"), &wasm)?;

        let written = precompress(&dir)?;

        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&fs::read(dir.join("rapport_bg-0a1b.wasm.gz"))?[..])
            .read_to_end(&mut unzipped)?;
        assert_eq!(unzipped, wasm);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&fs::read(dir.join("rapport_bg-0a1b.wasm.br"))?[..], 4096)
            .read_to_end(&mut unbrotlied)?;
        assert_eq!(unbrotlied, wasm);
        assert!(dir.join("surveys/s.json.br").is_file());
        // Not smaller (one byte) or not compressible (an image): no sibling.
        assert!(!dir.join("tiny.js.gz").exists() && !dir.join("tiny.js.br").exists());
        assert!(!dir.join("photo.png.gz").exists());
        assert_eq!(written, 4);
        fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
