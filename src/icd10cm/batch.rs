//! Many codes at once: [`valid_many`] (and `valid_arrow` with the `arrow`
//! feature), with the table's memory loads of a block of codes overlapped
//! instead of one code's loads after another's (`crate::batch`).

use super::{IcdCm, DATED};
use crate::batch::{self, Table};
use crate::date::Date;
use crate::tables as t;

static TABLE: Table = Table {
    seed: t::CM_SEED,
    pilots: &t::CM_PILOTS,
    slots: &t::CM_SLOTS,
    dated: &DATED,
};

#[inline(always)]
fn key(code: &str) -> u64 {
    IcdCm::parse(code).map_or(0, IcdCm::key)
}

/// For each code in `codes`, whether it is a billable ICD-10-CM code valid
/// on `date` (as of the horizon for later dates): `out[i]` is
/// `IcdCm::parse(codes[i]).is_ok_and(|c| c.valid_on(date))`, for any input
/// (dotted or not, any case, surrounding whitespace, or not a code at all).
/// Several times faster per code than asking one code at a time on codes in
/// random order, because the table lookups of a block of codes overlap.
///
/// # Panics
/// If `out` is not as long as `codes`.
///
/// ```
/// use medcode::{icd10cm, Date};
/// let codes = ["E11.9", "e119", "E11", "E11.A", "nonsense", " I10 "];
/// let mut out = [false; 6];
/// icd10cm::valid_many(&codes, Date::new(2025, 10, 1)?, &mut out);
/// assert_eq!(out, [true, true, false, true, false, true]);
/// icd10cm::valid_many(&codes, Date::new(2025, 6, 1)?, &mut out);
/// assert_eq!(out, [true, true, false, false, false, true]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn valid_many<S: AsRef<str>>(codes: &[S], date: Date, out: &mut [bool]) {
    assert_eq!(
        codes.len(),
        out.len(),
        "valid_many: out must be as long as codes"
    );
    batch::valid_indexed(&TABLE, key, |i| codes[i].as_ref(), date, out);
}

/// [`valid_many`] over an Arrow string column: a [`BooleanArray`] as long
/// as `codes`, true where the value is a billable ICD-10-CM code valid on
/// `date`, false where it is not (junk, not billable, not valid then), and
/// **null where `codes` is null** (its logical nulls: a dictionary's null
/// values count too). The values are read in place from the column's
/// buffers and probed in the same overlapped blocks as [`valid_many`].
///
/// `codes` is any Arrow array whose values are `&str`: `&StringArray`,
/// `&LargeStringArray`, `&StringViewArray`, or a string dictionary viewed
/// with `downcast_dict::<StringArray>()`.
///
/// Only with the `arrow` feature (off by default; `arrow-array` 59, the
/// version the Python package uses).
///
/// [`BooleanArray`]: arrow_array::BooleanArray
///
/// ```
/// use arrow_array::{Array, LargeStringArray, StringArray, StringViewArray};
/// use medcode::{icd10cm, Date};
/// let codes = StringArray::from(vec![Some("E11.9"), None, Some("e119"), Some("E11"), Some("E11.A")]);
/// let out = icd10cm::valid_arrow(&codes, Date::new(2025, 10, 1)?);
/// assert_eq!(out.len(), 5);
/// assert!(out.is_null(1)); // null in, null out
/// assert_eq!(out.iter().collect::<Vec<_>>(), [Some(true), None, Some(true), Some(false), Some(true)]);
/// // E11.A is new in FY2026 (2025-10-01).
/// let out = icd10cm::valid_arrow(&codes, Date::new(2025, 6, 1)?);
/// assert_eq!(out.value(4), false);
///
/// // Large and view string columns the same way.
/// let large = LargeStringArray::from(vec!["I10", "I10.0"]);
/// let view = StringViewArray::from(vec!["I10", "I10.0"]);
/// let date = Date::new(2026, 1, 1)?;
/// assert_eq!(icd10cm::valid_arrow(&large, date), icd10cm::valid_arrow(&view, date));
/// assert_eq!(icd10cm::valid_arrow(&view, date).value(0), true);
/// assert_eq!(icd10cm::valid_arrow(&view, date).value(1), false); // I10 has no subcodes
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "arrow")]
pub fn valid_arrow<'a, A>(codes: A, date: Date) -> arrow_array::BooleanArray
where
    A: arrow_array::ArrayAccessor<Item = &'a str>,
{
    batch::valid_arrow(&TABLE, key, codes, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_many_equals_one_at_a_time() {
        let mut codes: Vec<String> = super::super::all()
            .step_by(3)
            .map(|i| i.code().to_string())
            .collect();
        let n = codes.len();
        for i in (0..n).step_by(5) {
            codes.push(codes[i].replace('.', "").to_lowercase());
        }
        codes.extend(
            [
                "", " ", "E1", "E11.", "Q99.999", "E11.9 ", "\tI10", "ZZZZZZZZ", "é", "E119999",
            ]
            .map(String::from),
        );
        for date in ["2015-10-01", "2020-01-01", "2025-10-01", "2030-01-01"] {
            let date: Date = date.parse().unwrap();
            let mut out = vec![false; codes.len()];
            valid_many(&codes, date, &mut out);
            for (code, &got) in codes.iter().zip(&out) {
                let want = IcdCm::parse(code).is_ok_and(|c| c.valid_on(date));
                assert_eq!(got, want, "{code:?} on {date}");
            }
            assert!(out.iter().filter(|&&v| v).count() > 1000);
        }
    }
}

#[cfg(all(test, feature = "arrow"))]
mod arrow_tests {
    use super::*;
    use arrow_array::builder::StringDictionaryBuilder;
    use arrow_array::types::Int32Type;
    use arrow_array::{Array, BooleanArray, LargeStringArray, StringArray, StringViewArray};
    use proptest::prelude::*;

    /// Codes of every kind, with nulls among them.
    fn inputs() -> Vec<Option<String>> {
        let mut codes: Vec<Option<String>> = Vec::new();
        for (n, info) in super::super::all().step_by(7).enumerate() {
            let code = info.code().to_string();
            codes.push(Some(match n % 4 {
                0 => code.clone(),
                1 => code.replace('.', ""),
                2 => code.to_lowercase(),
                _ => format!(" {} ", code.replace('.', "").to_lowercase()),
            }));
            if n % 11 == 0 {
                codes.push(None);
            }
        }
        for junk in [
            "", " ", "E1", "E11.", "Q99.999", "\tI10", "ZZZZZZZZ", "é", "E119999", "E11..9",
        ] {
            codes.push(Some(junk.to_string()));
            codes.push(None);
        }
        codes
    }

    /// What one code at a time answers, nulls kept.
    fn one_at_a_time(codes: &[Option<String>], date: Date) -> BooleanArray {
        codes
            .iter()
            .map(|c| {
                c.as_ref()
                    .map(|c| IcdCm::parse(c).is_ok_and(|c| c.valid_on(date)))
            })
            .collect()
    }

    #[test]
    fn valid_arrow_equals_valid_many_and_one_at_a_time() {
        let codes = inputs();
        let strings = StringArray::from(codes.clone());
        let large = LargeStringArray::from(codes.clone());
        let view = StringViewArray::from(codes.clone());
        let mut dict = StringDictionaryBuilder::<Int32Type>::new();
        for c in &codes {
            dict.append_option(c.as_deref());
        }
        let dict = dict.finish();
        let dict = dict.downcast_dict::<StringArray>().unwrap();
        let texts: Vec<&str> = codes.iter().map(|c| c.as_deref().unwrap_or("")).collect();
        for date in [
            "2015-10-01",
            "2020-01-01",
            "2025-06-01",
            "2025-10-01",
            "2030-01-01",
        ] {
            let date: Date = date.parse().unwrap();
            let want = one_at_a_time(&codes, date);
            let mut many = vec![false; texts.len()];
            valid_many(&texts, date, &mut many);
            for got in [
                valid_arrow(&strings, date),
                valid_arrow(&large, date),
                valid_arrow(&view, date),
                valid_arrow(dict, date),
            ] {
                assert_eq!(got, want, "on {date}");
                for (i, &m) in many.iter().enumerate() {
                    // valid_many reads a null as "" (not a code): false.
                    assert_eq!(got.is_valid(i) && got.value(i), m, "{:?}", codes[i]);
                    // Under a null the value bit is false too.
                    assert!(got.is_valid(i) || !got.value(i));
                }
            }
            assert!(want.true_count() > 1000);
        }
    }

    #[test]
    fn valid_arrow_of_a_slice_and_an_empty_column() {
        let date = Date::new(2026, 1, 1).unwrap();
        let codes = StringArray::from(vec![Some("E11.9"), None, Some("x"), Some("I10"), None]);
        let sliced = codes.slice(1, 3);
        let got = valid_arrow(&sliced, date);
        assert_eq!(got, BooleanArray::from(vec![None, Some(false), Some(true)]));
        let empty = StringArray::from(Vec::<&str>::new());
        assert_eq!(valid_arrow(&empty, date).len(), 0);
    }

    proptest! {
        #[test]
        fn valid_arrow_equals_one_at_a_time_on_any_text(
            codes in proptest::collection::vec(
                proptest::option::of("[ a-zA-Z0-9.]{0,9}|[A-TV-Z][0-9][0-9A-Z]\\.?[0-9A-Z]{0,4}"),
                0..100,
            ),
            day in 0u32..5000,
        ) {
            let start = Date::new(2015, 10, 1).unwrap().days_since_epoch();
            let date = Date::from_days_since_epoch(start + i64::from(day)).unwrap();
            let got = valid_arrow(&StringArray::from(codes.clone()), date);
            prop_assert_eq!(got, one_at_a_time(&codes, date));
        }
    }
}
