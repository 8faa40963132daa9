//! What preparation reads from a claim: the owned [`Claim`] of the typed
//! API, or the [`ClaimRef`] the JSON Lines path borrows from its text. One
//! preparation serves both, so both paths give the same findings.

use super::ModifierTexts;
use crate::claim::{Claim, ClaimRef};

/// The fields of one service line.
pub(crate) struct LineParts<'c> {
    pub code: Option<&'c str>,
    pub modifiers: ModifierTexts<'c>,
    pub units: Option<f64>,
    pub pointers: &'c [i64],
    pub service_date: Option<&'c str>,
    #[cfg(feature = "ioce")]
    pub revenue_code: Option<&'c str>,
    #[cfg(feature = "ioce")]
    pub charge: Option<f64>,
    #[cfg(feature = "ioce")]
    pub contractor_bypass_edits: ModifierTexts<'c>,
}

/// A claim as preparation reads it.
pub(crate) trait ClaimSource<'c>: Copy {
    fn id(self) -> Option<&'c str>;
    fn claim_type(self) -> Option<&'c str>;
    fn sex(self) -> Option<&'c str>;
    fn birth_date(self) -> Option<&'c str>;
    fn age(self) -> Option<f64>;
    fn service_date(self) -> Option<&'c str>;
    fn admission_date(self) -> Option<&'c str>;
    fn discharge_date(self) -> Option<&'c str>;
    fn discharge_status(self) -> Option<&'c str>;
    fn admitting_diagnosis(self) -> Option<&'c str>;
    /// `(code, poa)` of each diagnosis.
    fn diagnoses(self) -> impl ExactSizeIterator<Item = (Option<&'c str>, Option<&'c str>)>;
    /// `(code, date)` of each procedure.
    fn procedures(self) -> impl ExactSizeIterator<Item = (Option<&'c str>, Option<&'c str>)>;
    fn lines(self) -> impl ExactSizeIterator<Item = LineParts<'c>>;
    fn bill_type(self) -> Option<&'c str>;
    /// The statement period's from and through dates.
    #[cfg(feature = "ioce")]
    fn statement_from(self) -> Option<&'c str>;
    #[cfg(feature = "ioce")]
    fn statement_through(self) -> Option<&'c str>;
    #[cfg(feature = "ioce")]
    fn condition_codes(self) -> ModifierTexts<'c>;
    #[cfg(feature = "ioce")]
    fn reason_for_visit(self) -> ModifierTexts<'c>;
    #[cfg(feature = "ioce")]
    fn receipt_date(self) -> Option<&'c str>;
    /// Read without the `ioce` feature too: an invalid flag is a problem.
    fn opps_flag(self) -> Option<&'c str>;
}

/// The two claim types have the same field names and shapes (`String`
/// where one has `Cow<str>`), so one body serves both.
macro_rules! claim_source {
    ($ty:ty, |$c:ident| $patient:expr) => {
        impl<'c> ClaimSource<'c> for &'c $ty {
            fn id(self) -> Option<&'c str> {
                self.id.as_deref()
            }
            fn claim_type(self) -> Option<&'c str> {
                self.claim_type.as_deref()
            }
            fn sex(self) -> Option<&'c str> {
                let $c = self;
                $patient.and_then(|p| p.sex.as_deref())
            }
            fn birth_date(self) -> Option<&'c str> {
                let $c = self;
                $patient.and_then(|p| p.birth_date.as_deref())
            }
            fn age(self) -> Option<f64> {
                let $c = self;
                $patient.and_then(|p| p.age)
            }
            fn service_date(self) -> Option<&'c str> {
                self.service_date.as_deref()
            }
            fn admission_date(self) -> Option<&'c str> {
                self.admission_date.as_deref()
            }
            fn discharge_date(self) -> Option<&'c str> {
                self.discharge_date.as_deref()
            }
            fn discharge_status(self) -> Option<&'c str> {
                self.discharge_status.as_deref()
            }
            fn admitting_diagnosis(self) -> Option<&'c str> {
                self.admitting_diagnosis.as_deref()
            }
            fn diagnoses(
                self,
            ) -> impl ExactSizeIterator<Item = (Option<&'c str>, Option<&'c str>)> {
                self.diagnoses
                    .iter()
                    .map(|d| (d.code.as_deref(), d.poa.as_deref()))
            }
            fn procedures(
                self,
            ) -> impl ExactSizeIterator<Item = (Option<&'c str>, Option<&'c str>)> {
                self.procedures
                    .iter()
                    .map(|p| (p.code.as_deref(), p.date.as_deref()))
            }
            fn lines(self) -> impl ExactSizeIterator<Item = LineParts<'c>> {
                self.lines.iter().map(|l| LineParts {
                    code: l.code.as_deref(),
                    modifiers: ModifierTexts::from(&l.modifiers[..]),
                    units: l.units,
                    pointers: &l.dx_pointers,
                    service_date: l.service_date.as_deref(),
                    #[cfg(feature = "ioce")]
                    revenue_code: l.revenue_code.as_deref(),
                    #[cfg(feature = "ioce")]
                    charge: l.charge,
                    #[cfg(feature = "ioce")]
                    contractor_bypass_edits: ModifierTexts::from(&l.contractor_bypass_edits[..]),
                })
            }
            fn bill_type(self) -> Option<&'c str> {
                self.bill_type.as_deref()
            }
            #[cfg(feature = "ioce")]
            fn statement_from(self) -> Option<&'c str> {
                self.from_date.as_deref()
            }
            #[cfg(feature = "ioce")]
            fn statement_through(self) -> Option<&'c str> {
                self.through_date.as_deref()
            }
            #[cfg(feature = "ioce")]
            fn condition_codes(self) -> ModifierTexts<'c> {
                ModifierTexts::from(&self.condition_codes[..])
            }
            #[cfg(feature = "ioce")]
            fn reason_for_visit(self) -> ModifierTexts<'c> {
                ModifierTexts::from(&self.reason_for_visit[..])
            }
            #[cfg(feature = "ioce")]
            fn receipt_date(self) -> Option<&'c str> {
                self.receipt_date.as_deref()
            }
            fn opps_flag(self) -> Option<&'c str> {
                self.opps_flag.as_deref()
            }
        }
    };
}

claim_source!(Claim, |c| c.patient.as_ref());
// A `ClaimRef` always has a patient (the default when absent).
claim_source!(ClaimRef<'_>, |c| Some(&c.patient));
