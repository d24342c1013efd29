//! Shared helpers for the scenario and cross-pack tests.
