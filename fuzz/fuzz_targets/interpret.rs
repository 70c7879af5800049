#![no_main]
//! Fuzz target `interpret`: see tests/support/fuzzing.rs.

#[path = "../../tests/support/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::interpret(data));
