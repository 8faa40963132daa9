//! The generated tables (see build.rs); crate-private.
#![allow(dead_code, clippy::unreadable_literal)]

include!(concat!(env!("OUT_DIR"), "/tables.rs"));
