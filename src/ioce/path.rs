//! The bill type's processing path: `pbt_map` chooses it from the type of
//! bill's first two digits, the OPPS flag and the condition codes; the
//! path's `pbt_control` switches say which groups of edits run.
//!
//! The rule numbers' meanings were read from the I/OCE's answers
//! (docs/design/ioce-logic-claim.md §2): 0 OPPS, 9 non-OPPS, 1 OPPS with
//! condition code 41 (partial hospitalization), 8 non-OPPS with 41, 12 OPPS
//! with 89 (opioid treatment program), 11 non-OPPS with 89, 10 a home
//! health claim (34x) not under OPPS, 3 a home health claim under OPPS with
//! a vaccine, antigen, splint or cast (services paid under OPPS: the path
//! that assigns APCs). Rule 7 has not been seen to apply and never matches
//! here.

use super::data::{PbtMapRow, Tables, Version};
use super::text::Trim;
use std::sync::OnceLock;

/// The `pbt_control` switches, by bit (`flags.tsv`).
#[allow(dead_code)]
pub(crate) mod switch {
    pub const DX_PROC_EDITS: u32 = 1 << 0;
    pub const LINE_ITEM_DATE: u32 = 1 << 1;
    pub const APC_EDITS: u32 = 1 << 2;
    pub const AGE_SEX_EDITS: u32 = 1 << 3;
    pub const UNIT_EDITS: u32 = 1 << 4;
    pub const MODIFIER_EDITS: u32 = 1 << 5;
    pub const NCCI_EDITS: u32 = 1 << 6;
    pub const PH_EDITS: u32 = 1 << 7;
    pub const MH_EDITS: u32 = 1 << 8;
    pub const APC_RETURN_BUF: u32 = 1 << 9;
    pub const REV_EDITS: u32 = 1 << 10;
    pub const OPPS_EDITS: u32 = 1 << 11;
    pub const BILL_TYPE: u32 = 1 << 12;
    pub const HCPC: u32 = 1 << 13;
    pub const NON_MCARE: u32 = 1 << 14;
    pub const PROC_MOD: u32 = 1 << 15;
    pub const HCPC_REQ: u32 = 1 << 16;
    pub const OBSERVATION: u32 = 1 << 17;
    pub const OPPS_PROC: u32 = 1 << 18;
    pub const DME: u32 = 1 << 19;
    pub const DX_PROC_EDITS2: u32 = 1 << 20;
    pub const REV_EDITS2: u32 = 1 << 21;
}

/// A claim's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Path {
    /// The `pbt_control` path number.
    pub number: u16,
    /// Its switches.
    pub switches: u32,
    /// The type of bill's first two digits.
    pub prefix: u16,
    /// Whether the claim is under OPPS (its OPPS flag is not `2`).
    pub opps: bool,
}

impl Path {
    pub(crate) fn on(&self, switch: u32) -> bool {
        self.switches & switch != 0
    }

    /// A home health claim (34x) down the path that assigns APCs: its
    /// vaccines, antigens, splints and casts are paid under OPPS.
    pub(crate) fn home_health_opps(&self) -> bool {
        self.prefix == 34 && self.on(switch::APC_RETURN_BUF)
    }
}

/// What choosing the path answers.
pub(crate) enum Route {
    /// The claim goes down this path.
    Path(Path),
    /// Invalid bill type (edit 118), still OPPS or not.
    Invalid { opps: bool },
    /// A 12x/14x claim with condition code 41 before v94: edit 046.
    PartialHospitalizationNotAllowed { opps: bool },
}

/// Whether a claim with this OPPS flag is paid under OPPS: any flag but
/// `"2"` (blanks around it dropped), or none.
pub(crate) fn is_opps(opps_flag: Option<&str>) -> bool {
    opps_flag.map(str::trim) != Some("2")
}

/// The `pbt_map` rows of version `v` whose bill types hold `prefix`, by
/// `pbt_index` (rows of one index in the table's order): found once a
/// process for each version and prefix of the process's tables.
fn map_rows(t: &Tables, v: Version, prefix: u16) -> impl Iterator<Item = &PbtMapRow> {
    let rows_of = |t: &'_ Tables, v: Version, prefix: u16| -> Vec<usize> {
        let mut rows: Vec<usize> = (0..t.pbt_map.len())
            .filter(|&i| {
                let r = &t.pbt_map[i];
                r.lo <= v && v <= r.hi && r.lo_bill <= prefix && prefix <= r.hi_bill
            })
            .collect();
        rows.sort_by_key(|&i| t.pbt_map[i].index);
        rows
    };
    static BY_VERSION: OnceLock<Vec<Vec<Vec<usize>>>> = OnceLock::new();
    let known = std::ptr::eq(t, Tables::get()) && prefix < 100;
    let found = known.then(|| {
        BY_VERSION.get_or_init(|| {
            let t = Tables::get();
            let last = t.last_version();
            (0..=last)
                .map(|v| (0..100).map(|p| rows_of(t, v, p)).collect())
                .collect()
        })
    });
    let rows = match found.and_then(|all| all.get(usize::from(v))) {
        Some(by_prefix) => std::borrow::Cow::Borrowed(by_prefix[usize::from(prefix)].as_slice()),
        None => std::borrow::Cow::Owned(rows_of(t, v, prefix)),
    };
    (0..rows.len()).map(move |i| &t.pbt_map[rows[i]])
}

/// The route of a claim with this type of bill, OPPS flag and condition
/// codes, in version `v`; `home_health_opps`: the claim has a code flagged
/// vaccine, antigen, splint or cast.
pub(crate) fn route(
    t: &Tables,
    v: Version,
    bill_type: &str,
    opps_flag: Option<&str>,
    condition_codes: &[&str],
    home_health_opps: bool,
) -> Route {
    let opps = is_opps(opps_flag);
    let b = bill_type.trimmed().as_bytes();
    if b.len() < 3 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return Route::Invalid { opps };
    }
    let prefix = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    let has = |cc: &str| condition_codes.iter().any(|c| c.trimmed() == cc);
    let (cc41, cc92, cc89) = (has("41"), has("92"), has("89"));
    for r in map_rows(t, v, prefix) {
        let applies = match r.rule {
            0 => opps && (prefix != 76 || v < 94 || cc41 || cc92),
            // (A 13x claim with 41 and 89 is an opioid treatment
            // program's: rule 12 — pyoce, 30 such claims.)
            1 => {
                opps && ((cc41 && !(cc89 && prefix == 13))
                    || (cc92 && !cc89 && prefix == 13 && v >= 94))
            }
            // (A 13x claim not under OPPS with 41 is edited as any 13x
            // claim not under OPPS: rule 9 — pyoce, NCCI's edits on 14 of
            // 14 such claims.)
            // (pyoce: 5 of 5 such 34x claims, none of the 152 others.)
            3 => opps && home_health_opps,
            8 => !opps && cc41 && prefix != 13,
            9 => !opps,
            // 34x (home health) not paid under OPPS: every such claim of
            // pyoce's went down its path (107), whatever its condition
            // codes (17 of 17).
            10 => !opps,
            11 => !opps && cc89,
            12 => opps && cc89,
            _ => false,
        };
        if !applies {
            continue;
        }
        let switches = t.pbt_control.get(&r.path, v).copied().unwrap_or(0);
        if r.path == 0 || (switches & switch::BILL_TYPE != 0 && !matches!(prefix, 43)) {
            if cc41 && v < 94 && matches!(prefix, 12 | 14) {
                return Route::PartialHospitalizationNotAllowed { opps };
            }
            return Route::Invalid { opps };
        }
        return Route::Path(Path {
            number: r.path,
            switches,
            prefix,
            opps,
        });
    }
    Route::Invalid { opps }
}
