//! Timeouts as written in the policy and the catalog: bounded when read.
//!
//! A timeout past [`MAX_SECONDS`] (7 days) is refused where it is written
//! (exit 2, file:line:column), never carried to a clock: `u64::MAX` seconds
//! added to an `Instant` overflows. A longer wait is a typo, or a wish to
//! wait forever, which relman does not offer.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// The longest timeout relman accepts: 7 days, in seconds.
pub const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// A timeout written as a whole number of seconds (the policy's
/// `*_timeout` and `notifications.timeout`), at most [`MAX_SECONDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WholeSeconds(pub u64);

/// What a timeout in whole seconds may be.
const WHOLE: &str = "a whole number of seconds from 0 to 604800 (7 days)";

impl<'de> Deserialize<'de> for WholeSeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WholeSeconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WholeSeconds, E> {
                if v <= MAX_SECONDS {
                    Ok(WholeSeconds(v))
                } else {
                    Err(E::custom(format!("`{v}` is more than 7 days: expected {WHOLE}")))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WholeSeconds, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!("`{v}` is negative: expected {WHOLE}"))),
                }
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<WholeSeconds, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => {
                        Err(E::custom(format!("`{v}` is more than 7 days: expected {WHOLE}")))
                    }
                }
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<WholeSeconds, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) if v < 0 => {
                        Err(E::custom(format!("`{v}` is negative: expected {WHOLE}")))
                    }
                    Err(_) => {
                        Err(E::custom(format!("`{v}` is more than 7 days: expected {WHOLE}")))
                    }
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WholeSeconds, E> {
                // A whole number too long for the parser's integers comes as
                // a float.
                if v.fract() == 0.0 && v > MAX_SECONDS as f64 {
                    return Err(E::custom(format!("`{v}` is more than 7 days: expected {WHOLE}")));
                }
                if v < 0.0 {
                    return Err(E::custom(format!("`{v}` is negative: expected {WHOLE}")));
                }
                Err(E::custom(format!("`{v}` is not {WHOLE}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WholeSeconds, E> {
                // A number too long for the parser's integers comes as text.
                if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom(format!("`{v}` is more than 7 days: expected {WHOLE}")));
                }
                Err(E::custom(format!("`{}` is not {}", v.escape_debug(), WHOLE)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<WholeSeconds, E> {
                Err(E::custom(format!("`{v}` is not {WHOLE}")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Result<u64, String> {
        serde_saphyr::from_str::<WholeSeconds>(yaml).map(|s| s.0).map_err(|e| e.to_string())
    }

    #[test]
    fn at_most_seven_days_in_whole_seconds() {
        assert_eq!(read("604800"), Ok(MAX_SECONDS));
        assert_eq!(read("0"), Ok(0));
        for (bad, says) in [
            ("604801", "more than 7 days"),
            ("18446744073709551615", "more than 7 days"),
            ("99999999999999999999999", "more than 7 days"),
            ("-1", "negative"),
            ("1.5", "is not a whole number of seconds"),
            ("30s", "is not a whole number of seconds"),
        ] {
            let e = read(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(!e.contains("u64"), "{bad}: {e}");
        }
    }
}
