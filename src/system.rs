//! The code systems medcode knows, low in the crate: errors, tables and
//! lookups all name them, and this module depends on nothing else of the
//! crate (`medcode::lookup::System` is the public path).

use std::fmt;
use std::str::FromStr;

/// The code systems medcode knows.
///
/// ```
/// use medcode::lookup::System;
/// let system: System = "ICD-10-PCS".parse().unwrap();
/// assert_eq!(system, System::Icd10Pcs);
/// assert_eq!(system.to_string(), "icd10pcs");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// ICD-10-CM diagnoses.
    Icd10Cm,
    /// ICD-10-PCS inpatient procedures.
    Icd10Pcs,
    /// CPT (structure only; descriptors from a file the user is licensed for).
    Cpt,
    /// HCPCS Level II (from the CMS quarterly file, bundled or loaded).
    Hcpcs,
    /// A CPT or HCPCS modifier (`25`, `LT`): its class, and its title from
    /// the HCPCS release (bundled or loaded).
    Modifier,
}

impl System {
    /// All systems, most specific syntax first: when no table holds an input
    /// that several syntaxes accept, the first of these answers.
    ///
    /// ```
    /// use medcode::lookup::System;
    /// assert_eq!(System::ALL.len(), 5);
    /// assert_eq!(System::ALL[0], System::Hcpcs);
    /// ```
    pub const ALL: [System; 5] = [
        System::Hcpcs,
        System::Cpt,
        System::Icd10Pcs,
        System::Icd10Cm,
        System::Modifier,
    ];

    /// The system's name as the CLI and JSON write it.
    ///
    /// ```
    /// assert_eq!(medcode::lookup::System::Icd10Cm.as_str(), "icd10cm");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            System::Icd10Cm => "icd10cm",
            System::Icd10Pcs => "icd10pcs",
            System::Cpt => "cpt",
            System::Hcpcs => "hcpcs",
            System::Modifier => "modifier",
        }
    }

    /// The system's name as people write it (`ICD-10-CM`).
    ///
    /// ```
    /// assert_eq!(medcode::lookup::System::Icd10Cm.display_name(), "ICD-10-CM");
    /// ```
    pub const fn display_name(self) -> &'static str {
        match self {
            System::Icd10Cm => "ICD-10-CM",
            System::Icd10Pcs => "ICD-10-PCS",
            System::Cpt => "CPT",
            System::Hcpcs => "HCPCS",
            System::Modifier => "modifier",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown system name.
///
/// ```
/// use medcode::lookup::System;
/// let err = "icd9".parse::<System>().unwrap_err();
/// assert_eq!(err.0, "icd9");
/// assert_eq!(err.to_string(), r#"unknown code system "icd9" (known: icd10cm, icd10pcs, cpt, hcpcs, modifier)"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code system {0:?} (known: icd10cm, icd10pcs, cpt, hcpcs, modifier)")]
pub struct UnknownSystem(pub String);

impl FromStr for System {
    type Err = UnknownSystem;
    fn from_str(s: &str) -> Result<System, UnknownSystem> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "icd10cm" => Ok(System::Icd10Cm),
            "icd10pcs" => Ok(System::Icd10Pcs),
            "cpt" => Ok(System::Cpt),
            "hcpcs" | "hcpcs2" | "hcpcsii" => Ok(System::Hcpcs),
            "modifier" | "mod" => Ok(System::Modifier),
            _ => Err(UnknownSystem(s.to_owned())),
        }
    }
}
