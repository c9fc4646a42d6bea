//! Finding spec files and writing outputs atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

pub struct CollectError {
    pub zh: String,
    pub en: String,
}

/// Files named on the command line are taken as they are; folders are searched recursively
/// for `*.perf`, skipping hidden folders and `target`. The result is sorted, so every
/// output is in the same order on every machine. `exclude` keeps an output file from being
/// read back as input.
pub fn collect(paths: &[String], exclude: Option<&Path>) -> Result<Vec<PathBuf>, CollectError> {
    let defaults = [".".to_string()];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| CollectError {
            zh: format!("路径 {p} 不存在或无法访问：{e}"),
            en: format!("path {p} does not exist or cannot be read: {e}"),
        })?;
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by_file_name();
            for entry in walker.into_iter().filter_entry(|e| {
                e.depth() == 0 || {
                    let name = e.file_name().to_string_lossy();
                    !(e.file_type().is_dir() && (name.starts_with('.') || name == "target"))
                }
            }) {
                let entry = entry.map_err(|e| CollectError {
                    zh: format!("无法读取目录 {p}：{e}"),
                    en: format!("cannot read folder {p}: {e}"),
                })?;
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|x| x == "perf")
                {
                    out.push(entry.into_path());
                }
            }
        } else {
            out.push(path.to_path_buf());
        }
    }
    if let Some(ex) = exclude {
        out.retain(|p| p.canonicalize().ok().as_ref() != Some(&ex));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A path for messages and outputs: relative to the current folder when it lies inside it
/// (so outputs carry no machine-specific absolute paths), `/` separators, no leading `./`.
pub fn display(p: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf));
    let p = rel.as_deref().unwrap_or(p);
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Write through a temporary file in the same folder and rename it over the target, so a
/// reader never sees half a file and a failure leaves the previous file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] for output produced as a stream: `fill` writes into the temporary
/// file (buffered), so the output never has to fit in memory. When `fill` fails, the
/// temporary file is removed and the target stays as it was.
pub fn write_atomic_with<E>(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<std::io::Error>,
{
    // Through a symbolic link, as the shell's `>` writes, instead of replacing the link with
    // a file and leaving its target stale.
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".perfspec-")
        .tempfile_in(dir)?;
    // tempfile creates 0600; an output is an ordinary file: keep the mode of the file it
    // replaces, else the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_atomic_with;
    use std::io::Write;

    /// An output that fails half-way through its stream (a template error, a full disk)
    /// leaves the previous file as it was and no temporary file behind.
    #[test]
    fn a_stream_that_fails_midway_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, b"old output").unwrap();
        let r: std::io::Result<()> = write_atomic_with(&target, |w| {
            w.write_all(&[b'x'; 200_000])?;
            Err(std::io::Error::other("emitter failed"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"old output");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");

        write_atomic_with(&target, |w| w.write_all(b"new output")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new output");
    }
}
