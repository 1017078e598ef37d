#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| gongkai_fuzz::read_as(data, gongkai::Format::Fixed));
