//! Many codes at once: [`valid_many`] (and `valid_arrow` with the `arrow`
//! feature), the ICD-10-PCS form of `icd10cm::valid_many`: the table's
//! memory loads of a block of codes overlapped (`crate::batch`).

use super::{IcdPcs, DATED};
use crate::batch::{self, Table};
use crate::date::Date;
use crate::tables as t;

static TABLE: Table = Table {
    seed: t::PCS_SEED,
    pilots: &t::PCS_PILOTS,
    slots: &t::PCS_SLOTS,
    dated: &DATED,
};

#[inline(always)]
fn key(code: &str) -> u64 {
    IcdPcs::parse(code).map_or(0, IcdPcs::key)
}

/// For each code in `codes`, whether it is an ICD-10-PCS code valid on
/// `date` (as of the horizon for later dates): `out[i]` is
/// `IcdPcs::parse(codes[i]).is_ok_and(|c| c.valid_on(date))`, for any input
/// (any case, surrounding whitespace, or not a code at all). Faster per code
/// than asking one code at a time on codes in random order, because the
/// table lookups of a block of codes overlap.
///
/// # Panics
/// If `out` is not as long as `codes`.
///
/// ```
/// use medcode::{icd10pcs, Date};
/// let codes = ["0SRD0JZ", "0srd0jz", "0SRD0J", "nonsense", " 0SRD0JZ "];
/// let mut out = [false; 5];
/// icd10pcs::valid_many(&codes, Date::new(2025, 10, 1)?, &mut out);
/// assert_eq!(out, [true, true, false, false, true]);
/// // Before ICD-10-PCS (2015-10-01), no code is valid.
/// icd10pcs::valid_many(&codes, Date::new(2015, 9, 30)?, &mut out);
/// assert_eq!(out, [false; 5]);
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
/// as `codes`, true where the value is an ICD-10-PCS code valid on `date`,
/// false where it is not, and **null where `codes` is null** (its logical
/// nulls). The values are read in place from the column's buffers.
///
/// `codes` is any Arrow array whose values are `&str`: `&StringArray`,
/// `&LargeStringArray`, `&StringViewArray`, or a string dictionary viewed
/// with `downcast_dict::<StringArray>()`.
///
/// Only with the `arrow` feature (off by default).
///
/// [`BooleanArray`]: arrow_array::BooleanArray
///
/// ```
/// use arrow_array::{Array, StringArray};
/// use medcode::{icd10pcs, Date};
/// let codes = StringArray::from(vec![Some("0SRD0JZ"), None, Some("0SRD0J")]);
/// let out = icd10pcs::valid_arrow(&codes, Date::new(2025, 10, 1)?);
/// assert_eq!(out.iter().collect::<Vec<_>>(), [Some(true), None, Some(false)]);
/// assert!(out.is_null(1)); // null in, null out
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
            codes.push(codes[i].to_lowercase());
            codes.push(format!(" {} ", codes[i]));
        }
        codes.extend(
            [
                "",
                " ",
                "0",
                "0SRD0J",
                "0SRD0JZZ",
                "0SRD0JZ ",
                "\t0SRD0JZ",
                "ZZZZZZZ",
                "é",
                "0SR.D0JZ",
                "E11.9",
            ]
            .map(String::from),
        );
        for date in [
            "2015-09-30",
            "2015-10-01",
            "2020-01-01",
            "2025-10-01",
            "2030-01-01",
        ] {
            let date: Date = date.parse().unwrap();
            let mut out = vec![false; codes.len()];
            valid_many(&codes, date, &mut out);
            for (code, &got) in codes.iter().zip(&out) {
                let want = IcdPcs::parse(code).is_ok_and(|c| c.valid_on(date));
                assert_eq!(got, want, "{code:?} on {date}");
            }
        }
        let mut out = vec![false; codes.len()];
        valid_many(&codes, "2025-10-01".parse().unwrap(), &mut out);
        assert!(out.iter().filter(|&&v| v).count() > 10_000);
    }
}
