//! The `initialize` handshake: the workspace folders, the position encoding, and what the
//! server offers.

use std::path::PathBuf;

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    InitializeParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use crate::encoding::PositionEncoding;
use crate::lint::Workspace;
use crate::uri;

/// What the server reads from its process environment, once, at start-up.
#[derive(Clone, Debug, Default)]
pub(crate) struct Environment {
    pub(crate) current_dir: Option<PathBuf>,
    /// `DBT_PROFILES_DIR`.
    pub(crate) profiles_dir: Option<PathBuf>,
    /// `HOME`, for `~/.dbt/profiles.yml`.
    pub(crate) home: Option<PathBuf>,
}

/// The workspace the client opened, linted with the encoding both sides agreed on.
pub(crate) fn workspace(params: &InitializeParams, environment: Environment) -> Workspace {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| uri::to_path(&folder.uri))
        .collect();
    let roots = if folders.is_empty() {
        legacy_root(params)
            .or(environment.current_dir)
            .into_iter()
            .collect()
    } else {
        folders
    };
    // A file-system root (`file:///`) as a workspace would walk every disk: never linted.
    let roots = roots
        .into_iter()
        .filter(|root| root.parent().is_some())
        .collect();
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_deref());
    Workspace {
        roots,
        profiles_dir: environment.profiles_dir,
        user_profiles: environment
            .home
            .map(|home| home.join(".dbt").join("profiles.yml")),
        encoding: PositionEncoding::negotiate(offered),
    }
}

/// `rootUri`, else `rootPath`: deprecated by workspace folders, still all some clients send.
#[allow(deprecated)]
fn legacy_root(params: &InitializeParams) -> Option<PathBuf> {
    params
        .root_uri
        .as_ref()
        .and_then(uri::to_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
}

pub(crate) fn capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_system_root_is_never_a_workspace_root() {
        let params: InitializeParams = serde_json::from_value(serde_json::json!({
            "capabilities": {},
            "workspaceFolders": [
                { "uri": "file:///", "name": "everything" },
                { "uri": "file:///work/project", "name": "project" },
            ],
        }))
        .expect("params");
        let environment = Environment {
            current_dir: None,
            profiles_dir: None,
            home: None,
        };
        let roots = workspace(&params, environment).roots;
        assert_eq!(roots, [PathBuf::from("/work/project")]);
    }
}
