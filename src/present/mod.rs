//! Layer 13, **present**: what the shells show. View models (history rows, plan view, tables,
//! schema), the revision graph laid out in lanes, exports (Markdown, Mermaid, SVG) and the
//! web app's address. Shells only lay these out.

pub mod export;
pub mod layout;
pub mod report;
pub mod route;
pub mod tables;
pub mod views;
