//! Layer 15, **present**: what the shells show. View models (history rows, plan view, tables,
//! schema), the revision graph laid out in lanes, exports (Markdown, Mermaid, SVG), a pull
//! request's review as text, Markdown and annotations, and the web app's address. Shells
//! only lay these out.

pub mod export;
pub mod layout;
pub mod lint;
pub mod report;
pub mod review;
pub mod route;
pub mod tables;
pub mod views;
