//! The typed site: every page with its variants and languages, sections,
//! resolved links, assets and symbols. Built once from the sources; all
//! renderers read it and none goes back to the files.

mod building;
mod links;
mod paths;
mod types;

pub use building::{ParseFn, Parsed, build, build_with, parse_page, read_text};
pub use links::{LinkIndex, LinkOrigin, SAFE_SCHEMES, external_target, normalise};
pub use types::*;
