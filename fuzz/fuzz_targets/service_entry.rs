//! One service directory entry, as an entry and as a translation: never a
//! panic, every error located inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::service_entry(data);
});
