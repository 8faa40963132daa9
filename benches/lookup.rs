//! Lookup speed: medcode's tables against the baselines people reach for.
//!
//! Run: `cargo bench --bench lookup`. Each benchmark answers one lookup per
//! iteration, walking a shuffled list of inputs so successive lookups are
//! independent (as in a batch of claims).
//!
//! - `parse`: `&str` -> `IcdCm` only.
//! - `parse+info/random`: parse and look up a billable FY2026 code, random order over all 74,719.
//! - `parse+info/hot1000`: the same over a hot set of 1,000 codes.
//! - `parse+info/miss`: valid syntax, not a code.
//! - `parse+valid_on/random`: parse, look up and check the date.
//! - `valid_on one at a time/1M random` against `valid_many/1M random` (and
//!   `valid_arrow/1M random (StringArray)` with `--features arrow`): a
//!   million random billable FY2026 codes per iteration, reported per code.
//! - `icd10pcs/…`: the same for ICD-10-PCS (79,115 FY2026 codes).
//! - `structure/…`: CPT and HCPCS parse + section (no bundled tables).
//! - baselines on the same inputs: `HashMap<String, u32>` built at start-up
//!   (keyed by the undotted upper-case string, so it is not even normalising
//!   input), phf's CHD layout on u64 keys (phf_generator + SipHash, what
//!   `phf::Map<u64, _>` does), and a linear-probing u64 table at load 0.5
//!   (the fastest static layout we know, no perfect hashing).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use medcode::{icd10cm, icd10pcs, Cpt, Date, Hcpcs, IcdCm, IcdPcs};
use std::collections::HashMap;

/// A small deterministic PRNG (xorshift) so runs shuffle identically.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Packs an undotted code 6 bits a character, as medcode does internally.
fn pack(s: &str) -> u64 {
    let mut key = 0u64;
    for i in 0..7 {
        let sym = match s.as_bytes().get(i) {
            Some(c @ b'0'..=b'9') => (c - b'0') as u64 + 1,
            Some(c @ b'A'..=b'Z') => (c - b'A') as u64 + 11,
            _ => 0,
        };
        key = (key << 6) | sym;
    }
    key
}

struct LinearProbe {
    mask: usize,
    slots: Vec<(u64, u32)>,
}

impl LinearProbe {
    fn new(keys: &[u64]) -> LinearProbe {
        let size = (keys.len() * 2).next_power_of_two();
        let mut slots = vec![(0u64, 0u32); size];
        for (i, &k) in keys.iter().enumerate() {
            let mut p = Self::home(k, size - 1);
            while slots[p].0 != 0 {
                p = (p + 1) & (size - 1);
            }
            slots[p] = (k, i as u32);
        }
        LinearProbe {
            mask: size - 1,
            slots,
        }
    }
    #[inline(always)]
    fn home(k: u64, mask: usize) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask
    }
    #[inline(always)]
    fn get(&self, k: u64) -> Option<u32> {
        let mut p = Self::home(k, self.mask);
        loop {
            let (key, v) = self.slots[p];
            if key == k {
                return Some(v);
            }
            if key == 0 {
                return None;
            }
            p = (p + 1) & self.mask;
        }
    }
}

struct PhfU64 {
    key: phf_shared::HashKey,
    disps: Vec<(u32, u32)>,
    entries: Vec<(u64, u32)>,
}

impl PhfU64 {
    fn new(keys: &[u64]) -> PhfU64 {
        let state = phf_generator::generate_hash(keys);
        let entries = state.map.iter().map(|&i| (keys[i], i as u32)).collect();
        PhfU64 {
            key: state.key,
            disps: state.disps,
            entries,
        }
    }
    #[inline(always)]
    fn get(&self, k: u64) -> Option<u32> {
        let hashes = phf_shared::hash(&k, &self.key);
        let idx = phf_shared::get_index(&hashes, &self.disps, self.entries.len());
        let (key, v) = self.entries[idx as usize];
        (key == k).then_some(v)
    }
}

/// Inputs laid out one after another in one buffer, as a batch of claims
/// would hold them: reading the next input is a sequential read, so the
/// benchmark measures the lookup, not a cache miss on a scattered `String`.
struct Packed {
    text: String,
    spans: Vec<(u32, u32)>,
}

impl Packed {
    fn new<S: AsRef<str>>(items: &[S]) -> Packed {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(items.len());
        for s in items {
            let start = text.len() as u32;
            text.push_str(s.as_ref());
            spans.push((start, text.len() as u32));
        }
        Packed { text, spans }
    }
    fn strs(&self) -> Vec<&str> {
        self.spans
            .iter()
            .map(|&(s, e)| &self.text[s as usize..e as usize])
            .collect()
    }
}

/// Cycles through `inputs`, one per iteration.
fn cycle<'a, T>(inputs: &'a [T]) -> impl FnMut() -> &'a T {
    let mut i = 0;
    move || {
        i += 1;
        if i == inputs.len() {
            i = 0;
        }
        &inputs[i]
    }
}

fn benches(c: &mut Criterion) {
    let date = Date::new(2025, 10, 1).unwrap();
    let mut rng = Rng(0x6d65_6463_6f64_6521);
    let mut billable: Vec<String> = icd10cm::valid_on(date)
        .map(|i| i.code().to_string())
        .collect();
    rng.shuffle(&mut billable);
    let hot: Vec<String> = billable.iter().take(1000).cloned().collect();
    // Hot set: 1,000 codes looked up in random order, repeated.
    let mut hot_inputs: Vec<String> = (0..100_000)
        .map(|_| hot[(rng.next() % 1000) as usize].clone())
        .collect();
    rng.shuffle(&mut hot_inputs);
    let misses: Vec<String> = (0..100_000)
        .map(|i| format!("Q{}{}.{}", (i % 10), (i / 10 % 10), 9000 + i % 900))
        .filter(|s| s.parse::<IcdCm>().is_ok_and(|c| c.info().is_none()))
        .collect();

    let (billable_p, hot_p, misses_p) = (
        Packed::new(&billable),
        Packed::new(&hot_inputs),
        Packed::new(&misses),
    );
    let (billable, hot_inputs, misses) = (billable_p.strs(), hot_p.strs(), misses_p.strs());

    let mut g = c.benchmark_group("icd10cm");
    g.bench_function("harness (read input only)", |b| {
        let mut next = cycle(&billable);
        b.iter(|| black_box(next().len()))
    });
    g.bench_function("parse", |b| {
        let mut next = cycle(&billable);
        b.iter(|| black_box(next().parse::<IcdCm>().ok()))
    });
    for (name, inputs) in [
        ("random", &billable),
        ("hot1000", &hot_inputs),
        ("miss", &misses),
    ] {
        g.bench_function(format!("parse+info/{name}"), |b| {
            let mut next = cycle(inputs);
            b.iter(|| black_box(next().parse::<IcdCm>().ok().and_then(IcdCm::info)))
        });
    }
    g.bench_function("parse+valid_on/random", |b| {
        let mut next = cycle(&billable);
        b.iter(|| black_box(next().parse::<IcdCm>().is_ok_and(|c| c.valid_on(date))))
    });
    // Every billable code once, in random order: one at a time, then as a
    // batch (`valid_many`, loads of blocks of 8 codes overlapped). Per code: divide
    // by the number of codes (criterion's `thrpt` column).
    g.throughput(criterion::Throughput::Elements(billable.len() as u64));
    g.bench_function("valid_on one at a time/random (all codes)", |b| {
        b.iter(|| {
            billable
                .iter()
                .filter(|s| s.parse::<IcdCm>().is_ok_and(|c| c.valid_on(date)))
                .count()
        })
    });
    let mut out = vec![false; billable.len()];
    g.bench_function("valid_many/random (all codes)", |b| {
        b.iter(|| {
            icd10cm::valid_many(&billable, date, &mut out);
            black_box(&out);
        })
    });
    // 1,000,000 codes drawn at random (with repeats) from every billable
    // FY2026 code, laid out one after another: one at a time, `valid_many`,
    // and (with `--features arrow`) `valid_arrow` over an Arrow StringArray
    // of the same codes. Per code: criterion's `thrpt` column.
    // (Its own PRNG: the inputs of the benchmarks below stay as they were.)
    let mut draw = Rng(0x6d69_6c6c_696f_6e21);
    let million_p = Packed::new(
        &(0..1_000_000)
            .map(|_| billable[(draw.next() % billable.len() as u64) as usize])
            .collect::<Vec<_>>(),
    );
    let million = million_p.strs();
    g.throughput(criterion::Throughput::Elements(million.len() as u64));
    g.bench_function("valid_on one at a time/1M random", |b| {
        b.iter(|| {
            million
                .iter()
                .filter(|s| IcdCm::parse(s).is_ok_and(|c| c.valid_on(date)))
                .count()
        })
    });
    let mut out = vec![false; million.len()];
    g.bench_function("valid_many/1M random", |b| {
        b.iter(|| {
            icd10cm::valid_many(&million, date, &mut out);
            black_box(&out);
        })
    });
    #[cfg(feature = "arrow")]
    {
        let column = arrow_array::StringArray::from(million.clone());
        g.bench_function("valid_arrow/1M random (StringArray)", |b| {
            b.iter(|| black_box(icd10cm::valid_arrow(&column, date)))
        });
    }
    drop(million);
    drop(million_p);
    g.throughput(criterion::Throughput::Elements(1));
    g.bench_function("info/random (pre-parsed)", |b| {
        let parsed: Vec<IcdCm> = billable.iter().map(|s| s.parse().unwrap()).collect();
        let mut next = cycle(&parsed);
        b.iter(|| black_box(next().info()))
    });
    g.finish();

    // ICD-10-PCS, same shape of inputs.
    let mut pcs: Vec<String> = icd10pcs::valid_on(date)
        .map(|i| i.code().to_string())
        .collect();
    rng.shuffle(&mut pcs);
    let mut pcs_hot: Vec<String> = (0..100_000)
        .map(|_| pcs[(rng.next() % 1000) as usize].clone())
        .collect();
    rng.shuffle(&mut pcs_hot);
    let (pcs_p, pcs_hot_p) = (Packed::new(&pcs), Packed::new(&pcs_hot));
    let (pcs, pcs_hot) = (pcs_p.strs(), pcs_hot_p.strs());
    let mut g = c.benchmark_group("icd10pcs");
    g.bench_function("parse", |b| {
        let mut next = cycle(&pcs);
        b.iter(|| black_box(next().parse::<IcdPcs>().ok()))
    });
    for (name, inputs) in [("random", &pcs), ("hot1000", &pcs_hot)] {
        g.bench_function(format!("parse+info/{name}"), |b| {
            let mut next = cycle(inputs);
            b.iter(|| black_box(next().parse::<IcdPcs>().ok().and_then(IcdPcs::info)))
        });
    }
    g.bench_function("parse+valid_on/random", |b| {
        let mut next = cycle(&pcs);
        b.iter(|| black_box(next().parse::<IcdPcs>().is_ok_and(|c| c.valid_on(date))))
    });
    g.finish();

    // CPT and HCPCS: structure only (no bundled tables), so parse + section.
    let cpt_p = Packed::new(
        &(0..100_000u32)
            .map(|i| format!("{:05}", (i * 7919) % 100_000))
            .collect::<Vec<_>>(),
    );
    let hcpcs_p = Packed::new(
        &(0..100_000u32)
            .map(|i| {
                format!(
                    "{}{:04}",
                    ["A", "E", "G", "J", "L"][(i % 5) as usize],
                    (i * 7919) % 10_000
                )
            })
            .collect::<Vec<_>>(),
    );
    let (cpt, hcpcs) = (cpt_p.strs(), hcpcs_p.strs());
    let mut g = c.benchmark_group("structure");
    g.bench_function("cpt/parse+section", |b| {
        let mut next = cycle(&cpt);
        b.iter(|| black_box(next().parse::<Cpt>().ok().map(Cpt::section)))
    });
    g.bench_function("hcpcs/parse+section", |b| {
        let mut next = cycle(&hcpcs);
        b.iter(|| black_box(next().parse::<Hcpcs>().ok().map(Hcpcs::section)))
    });
    g.finish();

    // Baselines over the same codes.
    let all: Vec<String> = icd10cm::all()
        .map(|i| i.code().undotted().to_string())
        .collect();
    let keys: Vec<u64> = all.iter().map(|s| pack(s)).collect();
    let undotted =
        |v: &[&str]| Packed::new(&v.iter().map(|s| s.replace('.', "")).collect::<Vec<_>>());
    let (billable_up, hot_up) = (undotted(&billable), undotted(&hot_inputs));
    let (billable_u, hot_u) = (billable_up.strs(), hot_up.strs());
    let hashmap: HashMap<String, u32> = all
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), i as u32))
        .collect();
    let probe = LinearProbe::new(&keys);
    let phf = PhfU64::new(&keys);

    let mut g = c.benchmark_group("baseline");
    for (name, inputs) in [("random", &billable_u), ("hot1000", &hot_u)] {
        g.bench_function(format!("hashmap_string/{name}"), |b| {
            let mut next = cycle(inputs);
            b.iter(|| black_box(hashmap.get(*next())))
        });
        g.bench_function(format!("phf_sip_u64/{name}"), |b| {
            let mut next = cycle(inputs);
            b.iter(|| black_box(phf.get(pack(next()))))
        });
        g.bench_function(format!("linear_probe_u64/{name}"), |b| {
            let mut next = cycle(inputs);
            b.iter(|| black_box(probe.get(pack(next()))))
        });
    }
    g.finish();
}

criterion_group!(lookup, benches);
criterion_main!(lookup);
