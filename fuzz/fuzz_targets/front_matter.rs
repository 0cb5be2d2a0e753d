//! Front matter splitting and parsing (and site settings on the same
//! text): never a panic, every error located inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::front_matter(data);
});
