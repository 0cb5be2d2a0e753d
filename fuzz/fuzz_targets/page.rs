//! The markdown pipeline: a page (and its easy-read version) parsed,
//! checked and rendered as HTML, large print, plain text and booklet; the
//! HTML never carries scripts, event handlers, inline styles or
//! javascript:/data: addresses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::page(data);
});
