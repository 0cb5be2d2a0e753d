//! Braille ASCII (the six-dot cells of a `.brf` file) and Unicode braille.

/// North American Braille ASCII for the 64 six-dot cells, indexed by the
/// dot bits (dot 1 = bit 0 ... dot 6 = bit 5), as in Unicode braille.
const BRAILLE_ASCII: &[u8; 64] =
    b" A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=";

/// Unicode braille to Braille ASCII (dots 7 and 8 are dropped: BRF is
/// six-dot). Other characters pass as a blank cell.
pub fn to_ascii(unicode: &str) -> String {
    unicode
        .chars()
        .map(|c| match c as u32 {
            u @ 0x2800..=0x28ff => BRAILLE_ASCII[(u - 0x2800) as usize & 0x3f] as char,
            _ if c.is_whitespace() => ' ',
            _ => ' ',
        })
        .collect()
}

/// Braille ASCII to Unicode braille.
pub fn to_unicode(ascii: &str) -> String {
    ascii
        .chars()
        .map(|c| {
            let up = c.to_ascii_uppercase() as u8;
            match BRAILLE_ASCII.iter().position(|b| *b == up) {
                Some(i) => char::from_u32(0x2800 + i as u32).unwrap_or(' '),
                None => '\u{2800}',
            }
        })
        .collect()
}
