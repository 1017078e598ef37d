//! The font files gongkai embeds, as bytes (README.md says what each is).
//!
//! They are a crate of their own because embedding them costs the compiler
//! memory, not time: compiled inside gongkai, 33 MB of `include_bytes!`
//! raised the peak of that one compiler process by about 260 MB. Here they
//! are compiled once, apart, and not again when gongkai's code changes.
//! The bytes are reached through functions, not public statics: a public
//! static's bytes would be written into this crate's metadata, which the
//! compiler reads again for gongkai.

#![forbid(unsafe_code)]

static SERIF_COMMON: &[u8] = include_bytes!("NotoSerifSC-Regular-common.ttf");
static SANS_COMMON: &[u8] = include_bytes!("NotoSansSC-Bold-common.ttf");
static SERIF_FULL_GZ: &[u8] = include_bytes!("NotoSerifSC-Regular.ttf.gz");
static SANS_FULL_GZ: &[u8] = include_bytes!("NotoSansSC-Bold.ttf.gz");
static EXTB_GZ: &[u8] = include_bytes!("HanaMinB-ExtB.ttf.gz");

/// Noto Serif SC Regular cut down to the common characters.
#[inline(never)]
pub fn serif_common() -> &'static [u8] {
    SERIF_COMMON
}

/// Noto Sans SC Bold cut down to the common characters.
#[inline(never)]
pub fn sans_common() -> &'static [u8] {
    SANS_COMMON
}

/// The whole Noto Serif SC Regular, gzip-compressed.
#[inline(never)]
pub fn serif_full_gz() -> &'static [u8] {
    SERIF_FULL_GZ
}

/// The whole Noto Sans SC Bold, gzip-compressed.
#[inline(never)]
pub fn sans_full_gz() -> &'static [u8] {
    SANS_FULL_GZ
}

/// HanaMinB cut down to CJK Extension B, gzip-compressed.
#[inline(never)]
pub fn extb_gz() -> &'static [u8] {
    EXTB_GZ
}
