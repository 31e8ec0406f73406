//! File paths as SARIF artifact URIs: relative paths against a base id, absolute ones as
//! `file://` URIs, percent-encoded so every one is a valid URI reference.

use std::path::{Component, Path};

use super::model::ArtifactLocation;

/// A relative path becomes a URI relative to `base_id`; an absolute one a `file://` URI.
pub(super) fn artifact(path: &Path, base_id: &'static str) -> ArtifactLocation {
    if path.is_absolute() {
        ArtifactLocation {
            uri: file_uri(path),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(&slashed(path)),
            uri_base_id: Some(base_id),
        }
    }
}

/// The `file://` URI of a directory, ending in `/` as SARIF requires of base URIs.
pub(super) fn directory(dir: &Path) -> Option<String> {
    dir.is_absolute().then(|| {
        let uri = file_uri(dir);
        if uri.ends_with('/') { uri } else { uri + "/" }
    })
}

fn file_uri(path: &Path) -> String {
    let text = slashed(path);
    // `C:/x` on Windows needs the extra slash of `file:///C:/x`.
    let rooted = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", encode(&rooted))
}

/// The path's components joined with `/`, whatever the platform's separator.
pub(crate) fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::RootDir => None,
            other => Some(other.as_os_str().to_string_lossy().into_owned()),
        })
        .collect();
    let joined = parts.join("/");
    if path.has_root() && !joined.contains(':') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved set, `/` and `:`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_keep_their_base_and_are_encoded() {
        let location = artifact(Path::new("my project/profiles.yml"), "SRCROOT");
        assert_eq!(location.uri, "my%20project/profiles.yml");
        assert_eq!(location.uri_base_id, Some("SRCROOT"));
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        let location = artifact(Path::new("/home/ana/dbt/profiles.yml"), "SRCROOT");
        assert_eq!(location.uri, "file:///home/ana/dbt/profiles.yml");
        assert_eq!(location.uri_base_id, None);
        assert_eq!(
            directory(Path::new("/work/repo")).as_deref(),
            Some("file:///work/repo/")
        );
        assert_eq!(directory(Path::new("relative")), None);
    }
}
