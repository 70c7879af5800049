#![no_main]
//! Fuzz target `read_zip`: see tests/support/fuzzing.rs.

#[path = "../../tests/support/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::read_zip(data));
