//! Validity windows and text blobs shared by the code systems' tables.

use crate::date::Date;

/// A period in which a code is valid, with the MCE flags of that period.
///
/// ```
/// use medcode::{Date, IcdCm};
/// let n800 = "N80.0".parse::<IcdCm>().unwrap().info().unwrap();
/// let w = n800.windows()[0];
/// assert_eq!(w.from.to_string(), "2015-10-01");
/// assert_eq!(w.to, Some(Date::new(2022, 9, 30).unwrap())); // split into N80.00–N80.03
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ValidityWindow<F> {
    /// First day valid.
    pub from: Date,
    /// Last day valid, or `None` when the code is still valid at the horizon
    /// of the bundled tables.
    pub to: Option<Date>,
    /// The MCE flags in this period (for merged windows, those of its last period).
    pub flags: F,
}

impl<F> ValidityWindow<F> {
    /// True if `date` falls in the window.
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let w = "U07.1".parse::<IcdCm>().unwrap().info().unwrap().windows()[0];
    /// assert!(w.contains(Date::new(2030, 1, 1).unwrap())); // open-ended: still valid
    /// assert!(!w.contains(Date::new(2020, 3, 31).unwrap()));
    /// ```
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

pub(crate) fn window<F>(start: u32, end: u32, horizon: u32, flags: F) -> ValidityWindow<F> {
    ValidityWindow {
        from: Date::from_checked(start),
        to: if end >= horizon {
            None
        } else {
            Some(Date::from_checked(end))
        },
        flags,
    }
}

/// Merges adjacent periods into the validity windows a user means; flags of the last.
pub(crate) fn merge<F: Copy>(
    raw: impl Iterator<Item = ValidityWindow<F>>,
) -> Vec<ValidityWindow<F>> {
    let mut out: Vec<ValidityWindow<F>> = Vec::new();
    for w in raw {
        match out.last_mut() {
            Some(last) if last.to.is_some_and(|to| to.succ() == w.from) => {
                last.to = w.to;
                last.flags = w.flags;
            }
            _ => out.push(w),
        }
    }
    out
}

/// [`merge`] one window at a time, no `Vec` collected: what a finding's
/// message walks through once (the same windows, in the same order).
pub(crate) fn merged<F: Copy, I: Iterator<Item = ValidityWindow<F>>>(raw: I) -> Merged<I> {
    Merged {
        raw: raw.peekable(),
    }
}

/// See [`merged`].
pub(crate) struct Merged<I: Iterator> {
    raw: std::iter::Peekable<I>,
}

impl<F: Copy, I: Iterator<Item = ValidityWindow<F>>> Iterator for Merged<I> {
    type Item = ValidityWindow<F>;
    fn next(&mut self) -> Option<ValidityWindow<F>> {
        let mut w = self.raw.next()?;
        while let Some(next) = self
            .raw
            .next_if(|n| w.to.is_some_and(|to| to.succ() == n.from))
        {
            w.to = next.to;
            w.flags = next.flags;
        }
        Some(w)
    }
}

/// Picks the window on `date`, else the nearest one (the next if there is one, else the last).
pub(crate) fn nearest<F: Copy>(
    windows: &[ValidityWindow<F>],
    date: Date,
) -> Option<ValidityWindow<F>> {
    windows
        .iter()
        .find(|w| w.contains(date))
        .or_else(|| windows.iter().find(|w| w.from > date))
        .or_else(|| windows.last())
        .copied()
}

/// The text `i` of a blob whose entries end at `ends[i]`; `None` if empty
/// (or if the table was left out: `ends` is then empty).
pub(crate) fn text_at(blob: &'static str, ends: &[u32], i: usize) -> Option<&'static str> {
    let end = *ends.get(i)? as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    blob.get(start..end).filter(|s| !s.is_empty())
}

/// Row `row`'s older titles: `(until, title, short)` (yyyymmdd `until`, the
/// day the next version took effect), oldest first.
pub(crate) fn title_history(
    hist: &'static [(u32, u32, u32, u32, u32)],
    text: &'static str,
    row: u32,
) -> impl Iterator<Item = (u32, &'static str, &'static str)> {
    let first = hist.partition_point(|h| h.0 < row);
    hist[first..]
        .iter()
        .take_while(move |h| h.0 == row)
        .map(move |&(_, until, a, b, c)| {
            (
                until,
                &text[a as usize..b as usize],
                &text[b as usize..c as usize],
            )
        })
}

/// The `(title, short)` in force on `date` from a row's history, or `None`
/// when the newest version answers (no older version was in force then).
pub(crate) fn titles_on(
    hist: &'static [(u32, u32, u32, u32, u32)],
    text: &'static str,
    row: u32,
    date: Date,
) -> Option<(&'static str, &'static str)> {
    let d = date.yyyymmdd();
    title_history(hist, text, row)
        .find(|&(until, _, _)| d < until)
        .map(|(_, t, s)| (t, s))
}

/// A date as the validity arrays compare it ([`DatedRows::as_of`]).
#[derive(Clone, Copy)]
pub(crate) struct AsOf {
    yyyymmdd: u32,
    compact: u32,
}

/// One code system's generated validity arrays, indexed by table row, joined
/// with the MCE's flags of each period (from `medcode-mce-data`, laid out
/// period for period and row for row as the code table; a test checks the
/// two layouts' fingerprints agree).
pub(crate) struct DatedRows {
    /// Row i's periods are `windows[win_start[i]..win_start[i + 1]]`.
    pub win_start: &'static [u32],
    /// `(start, end)` with yyyymmdd dates (the code table's).
    pub windows: &'static [(u32, u32)],
    /// The MCE flag bits of each period of `windows`, same index (the MCE's).
    pub flags: &'static [u32],
    /// Per row `from << 16 | to` in compact dates, or `u32::MAX` when the
    /// periods have gaps (see `emit_spans` in `medcode_base::gen`).
    pub span: &'static [u32],
    /// Per row its one period inline (`from << 48 | to << 32 | flags`, compact
    /// dates; an empty range for none), or `u64::MAX` when it has several
    /// (see `emit_single_windows` in `medcode_base::gen`; the MCE's).
    pub single_window: &'static [u64],
    /// The horizon (yyyymmdd): ends on it mean "still valid".
    pub horizon: u32,
}

impl DatedRows {
    pub fn raw(&self, i: usize) -> &'static [(u32, u32)] {
        let (s, e) = (self.win_start[i] as usize, self.win_start[i + 1] as usize);
        &self.windows[s..e]
    }

    /// Row `i`'s periods with their MCE flag bits.
    fn raw_with_flags(&self, i: usize) -> impl ExactSizeIterator<Item = (u32, u32, u32)> {
        let (s, e) = (self.win_start[i] as usize, self.win_start[i + 1] as usize);
        self.windows[s..e]
            .iter()
            .zip(&self.flags[s..e])
            .map(|(&(from, to), &f)| (from, to, f))
    }

    /// Row `i` valid on `date` (as of the horizon for later dates).
    #[inline]
    pub fn valid_on(&self, i: usize, date: Date) -> bool {
        self.valid_as_of(i, self.as_of(date))
    }

    /// `date` as [`valid_as_of`](Self::valid_as_of) takes it: as of the
    /// horizon, as yyyymmdd and compact. Worked out once for a batch of
    /// codes on one date.
    #[inline]
    pub fn as_of(&self, date: Date) -> AsOf {
        let as_of = date.min(Date::from_checked(self.horizon));
        AsOf {
            yyyymmdd: as_of.yyyymmdd(),
            compact: u32::from(as_of.compact()),
        }
    }

    /// Row `i` valid on the date `as_of` was made for.
    #[inline]
    pub fn valid_as_of(&self, i: usize, as_of: AsOf) -> bool {
        let span = self.span[i];
        if span == u32::MAX {
            let d = as_of.yyyymmdd;
            return self.raw(i).iter().any(|&(s, e)| s <= d && d <= e);
        }
        (span >> 16) <= as_of.compact && as_of.compact <= (span & 0xFFFF)
    }

    /// The flag bits of row `i` on `date`, or `None` if not valid then.
    pub fn flags_on(&self, i: usize, date: Date) -> Option<u32> {
        self.flags_as_of(i, self.as_of(date))
    }

    /// [`flags_on`](Self::flags_on) for the date `as_of` was made for: a
    /// claim's codes share one date, worked out once for all of them.
    #[inline]
    pub fn flags_as_of(&self, i: usize, as_of: AsOf) -> Option<u32> {
        // Most codes have one period: one load, no second miss.
        let single = self.single_window[i];
        if single != u64::MAX {
            let d = u64::from(as_of.compact);
            let (from, to) = (single >> 48, (single >> 32) & 0xFFFF);
            return (from <= d && d <= to).then_some(single as u32);
        }
        self.flags_on_scan(i, as_of)
    }

    /// [`flags_as_of`](Self::flags_as_of) by looking through the row's periods.
    fn flags_on_scan(&self, i: usize, as_of: AsOf) -> Option<u32> {
        // `as_of` is already the date capped at the horizon.
        let d = as_of.yyyymmdd;
        self.raw_with_flags(i)
            .find(|&(s, e, _)| s <= d && d <= e)
            .map(|(_, _, f)| f)
    }

    /// Every period of row `i`, flags converted by `f`.
    pub fn periods<F>(
        &self,
        i: usize,
        f: fn(u32) -> F,
    ) -> impl ExactSizeIterator<Item = ValidityWindow<F>> {
        let horizon = self.horizon;
        self.raw_with_flags(i)
            .map(move |(s, e, bits)| window(s, e, horizon, f(bits)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The MCE's tables line up with the code tables: the same rows (packed
    /// keys) and the same periods, in the same order.
    #[test]
    fn mce_flags_line_up_with_the_code_tables() {
        use crate::tables as t;
        let cm = medcode_base::align::of_rows(&t::CM_KEYS, |i| crate::icd10cm::DATED.raw(i));
        assert_eq!(cm, t::MCE_DX_FINGERPRINT);
        let pcs = medcode_base::align::of_rows(&t::PCS_KEYS, |i| crate::icd10pcs::DATED.raw(i));
        assert_eq!(pcs, t::MCE_PCS_FINGERPRINT);
        assert_eq!(t::MCE_DX_FLAGS.len(), t::CM_WINDOWS.len());
        assert_eq!(t::MCE_PCS_FLAGS.len(), t::PCS_WINDOWS.len());
    }

    /// The inline single period answers as the scan of the periods, for
    /// every row of both code sets, on each period's first and last day,
    /// the days around them, and dates before, between and after releases.
    #[test]
    fn single_window_answers_as_the_scan() {
        for dated in [&crate::icd10cm::DATED, &crate::icd10pcs::DATED] {
            let rows = dated.win_start.len() - 1;
            assert_eq!(dated.single_window.len(), rows);
            let mut singles = 0;
            for i in 0..rows {
                singles += usize::from(dated.single_window[i] != u64::MAX);
                let mut days = vec![
                    19_991_231,
                    20_000_101,
                    20_150_930,
                    20_300_101,
                    dated.horizon,
                ];
                for &(s, e) in dated.raw(i) {
                    days.extend([s, e, s - 1, e + 1]);
                }
                for ymd in days {
                    let Ok(date) = Date::from_yyyymmdd(ymd) else {
                        continue;
                    };
                    assert_eq!(
                        dated.flags_on(i, date),
                        dated.flags_on_scan(i, dated.as_of(date)),
                        "row {i} on {date}"
                    );
                }
            }
            assert!(
                singles * 2 > rows,
                "{singles} of {rows} rows have one period"
            );
        }
    }

    /// The iterator merges as the `Vec` does: every row of both code sets,
    /// and periods with gaps, adjacent runs and a single period.
    #[test]
    fn merged_equals_merge() {
        let mut merges = 0;
        for i in 0..crate::icd10cm::DATED.win_start.len() - 1 {
            let periods: Vec<_> = crate::icd10cm::DATED.periods(i, |b| b).collect();
            let want = merge(periods.iter().copied());
            merges += usize::from(want.len() < periods.len());
            assert_eq!(
                merged(periods.into_iter()).collect::<Vec<_>>(),
                want,
                "row {i}"
            );
        }
        for i in 0..crate::icd10pcs::DATED.win_start.len() - 1 {
            let periods: Vec<_> = crate::icd10pcs::DATED.periods(i, |b| b).collect();
            let want = merge(periods.iter().copied());
            assert_eq!(
                merged(periods.into_iter()).collect::<Vec<_>>(),
                want,
                "row {i}"
            );
        }
        assert!(merges > 0);
        let d = |ymd| Date::from_checked(ymd);
        let w = |from, to: Option<u32>, flags: u8| ValidityWindow {
            from: d(from),
            to: to.map(d),
            flags,
        };
        let raw = [
            w(20151001, Some(20160930), 1),
            w(20161001, Some(20170930), 2),
            w(20171002, Some(20180930), 3),
            w(20181001, None, 4),
            w(20200101, None, 5),
        ];
        for n in 0..=raw.len() {
            assert_eq!(
                merged(raw[..n].iter().copied()).collect::<Vec<_>>(),
                merge(raw[..n].iter().copied())
            );
        }
    }
}
