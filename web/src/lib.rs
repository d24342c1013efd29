//! The `<law-record-checklist>` widget: the rules engine in the host platform's page.
//!
//! `api` is the JS boundary, `store` applies side effects, `state` is the pure reducer,
//! `engine` is the only caller of `rules-core`, `view` reads the report for rendering.
pub mod api;
pub mod app;
pub mod components;
pub mod engine;
pub mod hooks;
pub mod state;
pub mod store;
pub mod style;
pub mod view;
