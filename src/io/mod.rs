//! Reading and streaming JSON Lines: one claim a line in, one report a line
//! out, in order, on several threads. Used alike by the CLI, the C ABI and
//! the Python package; it knows lines and batches, not claims (the claim's
//! readers are in [`crate::claim`], the report's writer in [`crate::rules`]).
//!
//! ```
//! use medcode::io::{read_jsonl_line, JsonlLine};
//! let mut input = &b"{\"id\": \"A\"}\n"[..];
//! let mut buf = Vec::new();
//! assert_eq!(read_jsonl_line(&mut input, &mut buf, 1 << 20)?, Some(JsonlLine::Read));
//! assert_eq!(buf, br#"{"id": "A"}"#);
//! # Ok::<(), std::io::Error>(())
//! ```

mod line_reader;
mod parallel;

pub use line_reader::{read_jsonl_line, JsonlLine};
pub use parallel::{jobs_or_all_cores, ordered_batches};
