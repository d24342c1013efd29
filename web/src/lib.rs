//! The `<law-record-checklist>` widget: the rules engine in the host platform's page.
//!
//! `api` is the JS boundary (every result tagged as `result` says), `store` applies side effects, `state` is the pure reducer,
//! `derive` makes the evaluation from the inputs the state keeps,
//! `engine` is the only caller of `rules-core`, `model` holds the types both use (so `engine`
//! never reaches up into `state`), `media` holds the files hashed here, `view` reads the report for rendering.
pub mod api;
pub mod app;
pub mod components;
pub mod derive;
pub mod engine;
pub mod hooks;
pub mod media;
pub mod model;
pub mod record;
pub mod result;
pub mod state;
pub mod store;
pub mod style;
pub mod timeline;
pub mod view;
