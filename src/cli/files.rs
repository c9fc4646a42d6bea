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
    let resolved = through_link(path)?;
    let path = resolved.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".perfspec-")
        .tempfile_in(dir)?;
    keep_mode(tmp.as_file(), path)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The file a write to `path` should replace: through a symbolic link, as the shell's `>`
/// writes, instead of replacing the link with a file and leaving its target stale.
fn through_link(path: &Path) -> std::io::Result<PathBuf> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// tempfile creates 0600; an output is an ordinary file: give the new file the mode of the
/// file it replaces, else the usual 0644.
fn keep_mode(new: &std::fs::File, replaced: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(replaced)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        new.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (new, replaced);
    Ok(())
}

/// Several outputs written into `dir` all or nothing (`build --split`): each goes into a
/// hidden staging folder inside `dir`, and only when every one is complete are they renamed
/// into place. A failure while writing leaves `dir` as it was: the staging folder is
/// removed, and so is `dir` if this call created it. `fill` takes each item by value, so
/// what it was made from can be dropped as soon as it is written.
///
/// Errors name the path they concern. Only a failing rename (after everything was
/// written) can leave some files new and others old; the error says which one failed.
pub fn write_set_atomic<T, E>(
    dir: &Path,
    items: Vec<(String, T)>,
    mut fill: impl FnMut(T, &mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<Vec<PathBuf>, (PathBuf, E)>
where
    E: From<std::io::Error>,
{
    let at = |p: &Path| {
        let p = p.to_path_buf();
        move |e: std::io::Error| (p, E::from(e))
    };
    // A folder where a file is to go would stop the renames half-way: refused up front.
    for (name, _) in &items {
        let target = dir.join(name);
        if std::fs::metadata(&target).is_ok_and(|m| m.is_dir()) {
            let e = std::io::Error::other("a folder has this name");
            return Err((target, E::from(e)));
        }
    }
    let created = !dir.exists();
    std::fs::create_dir_all(dir).map_err(at(dir))?;
    let staged = (|| {
        let staging = tempfile::Builder::new()
            .prefix(".perfspec-")
            .tempdir_in(dir)
            .map_err(at(dir))?;
        let mut names = Vec::with_capacity(items.len());
        for (name, item) in items {
            let tmp = staging.path().join(&name);
            let target = dir.join(&name);
            let file = std::fs::File::create_new(&tmp).map_err(at(&target))?;
            keep_mode(&file, &target).map_err(at(&target))?;
            {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, &file);
                fill(item, &mut w).map_err(|e| (target.clone(), e))?;
                w.flush().map_err(at(&target))?;
            }
            file.sync_all().map_err(at(&target))?;
            names.push(name);
        }
        Ok((staging, names))
    })();
    let (staging, names) = match staged {
        Ok(s) => s,
        Err(e) => {
            if created {
                // Only if empty: nothing but our own staging folder was ever in it.
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
    };
    let mut written = Vec::with_capacity(names.len());
    for name in names {
        let target = dir.join(&name);
        let resolved = through_link(&target).map_err(at(&target))?;
        std::fs::rename(staging.path().join(&name), &resolved).map_err(at(&target))?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::{write_atomic_with, write_set_atomic};
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

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A set of outputs where one fails after others were complete: no file of the set is
    /// replaced, no staging folder stays, and a folder made for the set is removed again.
    #[test]
    fn a_set_with_one_failing_output_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.json"), b"old a").unwrap();
        let items = vec![
            ("a.json".to_string(), 1),
            ("b.json".to_string(), 2),
            ("c.json".to_string(), 3),
        ];
        let fill = |n: i32, w: &mut std::io::BufWriter<&std::fs::File>| {
            w.write_all(&vec![b'x'; 100_000])?;
            if n == 3 {
                return Err(std::io::Error::other("emitter failed"));
            }
            Ok(())
        };
        let (path, _) = write_set_atomic(&out, items.clone(), fill).unwrap_err();
        assert_eq!(path, out.join("c.json"));
        assert_eq!(names(&out), ["a.json"]);
        assert_eq!(std::fs::read(out.join("a.json")).unwrap(), b"old a");

        let fresh = dir.path().join("fresh");
        assert!(write_set_atomic(&fresh, items.clone(), fill).is_err());
        assert!(
            !fresh.exists(),
            "the folder made for the failed set was left"
        );

        // A folder in the way is found before anything is written.
        std::fs::create_dir(out.join("b.json")).unwrap();
        let (path, _) = write_set_atomic(&out, items.clone(), fill).unwrap_err();
        assert_eq!(path, out.join("b.json"));
        assert_eq!(names(&out), ["a.json", "b.json"]);
        assert_eq!(std::fs::read(out.join("a.json")).unwrap(), b"old a");
        std::fs::remove_dir(out.join("b.json")).unwrap();

        let ok = |n: i32, w: &mut std::io::BufWriter<&std::fs::File>| write!(w, "new {n}");
        let written = write_set_atomic(&out, items[..2].to_vec(), ok).unwrap();
        assert_eq!(written, [out.join("a.json"), out.join("b.json")]);
        assert_eq!(names(&out), ["a.json", "b.json"]);
        assert_eq!(std::fs::read(out.join("a.json")).unwrap(), b"new 1");
    }
}
