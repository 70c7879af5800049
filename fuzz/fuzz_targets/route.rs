#![no_main]
//! Fuzz target `route`: see tests/support/fuzzing.rs.

#[path = "../../tests/support/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::route(data));
