//! The theme's files as sources: the built-in default theme, with a site's
//! own `themes/<name>/` over it file by file. Read here, before the model
//! is built (symbols come from it); compiled in [`crate::theme`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::SiteConfig;

/// All files of the theme in use, keyed by path inside the theme folder.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
}

impl ThemeFiles {
    /// Built-in files, then the site's `themes/<theme>/` over them.
    pub fn load(root: &Path, config: &SiteConfig) -> ThemeFiles {
        let mut files = BTreeMap::new();
        for (path, bytes) in crate::builtin::THEME_FILES {
            files.insert(path.to_string(), Arc::new(bytes.to_vec()));
        }
        let dir = root.join("themes").join(&config.theme);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    files.insert(rel, Arc::new(bytes));
                }
            }
        }
        ThemeFiles { files }
    }

    /// Files under a folder of the theme, in order.
    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Arc<Vec<u8>>)> + 'a {
        self.files
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// Where a theme file comes from, for messages.
    pub fn display(&self, root: &Path, config: &SiteConfig, rel: &str) -> String {
        let site = root.join("themes").join(&config.theme).join(rel);
        if site.is_file() {
            crate::diagnostics::display_path(root, &site)
        } else {
            format!("(built-in theme) themes/default/{rel}")
        }
    }
}
