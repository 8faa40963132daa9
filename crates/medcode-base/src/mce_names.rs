//! The MCE flag names medcode knows, in bit order. Shared by the data
//! crates' build scripts (which turn data/ flag names into bits) and the
//! library (which names the bits).
//! A flag in data/ that is not listed here fails the build, so a new CMS flag
//! is never silently dropped.

/// ICD-10-CM (diagnosis) flags of `mce_i10dx_master`, bit 0 first.
pub const DX_FLAG_NAMES: [&str; 19] = [
    "newborn",
    "pediatric",
    "maternity",
    "adult",
    "male",
    "female",
    "manifestation",
    "unacceptable",
    "qadm",
    "ecodepdx",
    "unspecified",
    "wrngproc",
    "reqsdx",
    "clintrial",
    "delout",
    "diabtypeI",
    "ncov6",
    "ncov7",
    "ncov_z302",
];

/// ICD-10-PCS (procedure) flags of `mce_i10sg_master`, bit 0 first.
pub const PCS_FLAG_NAMES: [&str; 15] = [
    "noncovered",
    "lcov",
    "lcov_artheartxpa",
    "lcov_artheartxpb",
    "ncov6",
    "ncov7",
    "ncov12agele60",
    "ncov45",
    "ncov_z302",
    "csect",
    "vagdel",
    "kidneyxp",
    "los",
    "male",
    "female",
];
