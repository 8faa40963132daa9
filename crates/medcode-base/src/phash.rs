//! The perfect hash behind every bundled code table.
//!
//! The library uses it for lookups and the data crates' build scripts for
//! construction, so both always agree on the hash. The scheme is PTHash's
//! (Pibiri & Trani, 2021): keys are hashed once, split into buckets, and each
//! bucket gets a small "pilot" so that all of its keys land in free slots.
//! A lookup is one multiply-mix, one load from the small pilot array (it stays
//! in cache) and one load of the slot, which holds the key *and* its value in a
//! single `u64` (42-bit packed code, 22-bit row index): hot fields together.
//! Measured against phf's SipHash maps and std's `HashMap` in `benches/lookup.rs`.

/// Bits of a slot that hold the row index; the packed key sits above them.
pub const VALUE_BITS: u32 = 22;
/// Mask of the row-index bits of a slot.
pub const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;

const MUL_A: u64 = 0x9E37_79B9_7F4A_7C15;
const MUL_B: u64 = 0xBF58_476D_1CE4_E5B9;

/// Hashes a packed key (murmur3's 64-bit finaliser, seeded): a bijection, so
/// distinct keys never share a hash.
#[inline(always)]
pub fn hash(key: u64, seed: u64) -> u64 {
    let mut x = key ^ seed;
    x ^= x >> 31;
    x = x.wrapping_mul(MUL_B);
    x ^= x >> 29;
    x = x.wrapping_mul(MUL_A);
    x ^ (x >> 32)
}

/// The bucket of a hash.
#[inline(always)]
pub fn bucket(h: u64, buckets: u32) -> usize {
    (((h >> 32) * buckets as u64) >> 32) as usize
}

/// The slot of a hash under a bucket's pilot.
#[inline(always)]
pub fn slot(h: u64, pilot: u16, slots: u32) -> usize {
    let mixed = (h ^ (pilot as u64).wrapping_mul(MUL_B)).wrapping_mul(MUL_A);
    (((mixed >> 32) * slots as u64) >> 32) as usize
}

/// Looks `key` up; returns its row index.
#[inline(always)]
pub fn lookup(key: u64, seed: u64, pilots: &[u16], slots: &[u64]) -> Option<u32> {
    let h = hash(key, seed);
    let pilot = pilots[bucket(h, pilots.len() as u32)];
    let entry = slots[slot(h, pilot, slots.len() as u32)];
    if entry >> VALUE_BITS == key {
        Some((entry & VALUE_MASK) as u32)
    } else {
        None
    }
}

/// A built table: seed, pilots and slots (0 = empty).
pub struct Built {
    pub seed: u64,
    pub pilots: Vec<u16>,
    pub slots: Vec<u64>,
}

/// Builds a table mapping `keys[i]` to `i`. Keys must be distinct, non-zero
/// and below 2^42; at most 2^22 keys.
pub fn build(keys: &[u64]) -> Built {
    assert!(keys.len() < (1 << VALUE_BITS), "too many keys");
    assert!(
        keys.iter().all(|&k| k != 0 && k >> (64 - VALUE_BITS) == 0),
        "key out of range"
    );
    let n = keys.len().max(1);
    // Load factor ~0.9 and ~4 keys a bucket keep pilots small and builds fast.
    let n_slots = (n as u64 * 10 / 9 + 1) as u32;
    let n_buckets = (n as u64 / 4 + 1) as u32;
    for seed_index in 0u64.. {
        let seed = seed_index.wrapping_mul(MUL_A) ^ 0x6d65_6463_6f64_6521; // "medcode!"
        if let Some(built) = try_build(keys, seed, n_slots, n_buckets) {
            return built;
        }
    }
    unreachable!()
}

fn try_build(keys: &[u64], seed: u64, n_slots: u32, n_buckets: u32) -> Option<Built> {
    let mut buckets: Vec<Vec<(u64, u32)>> = vec![Vec::new(); n_buckets as usize];
    for (i, &k) in keys.iter().enumerate() {
        let h = hash(k, seed);
        buckets[bucket(h, n_buckets)].push((h, i as u32));
    }
    let mut order: Vec<usize> = (0..buckets.len()).collect();
    // Largest buckets first; ties by index so the result is deterministic.
    order.sort_by(|&a, &b| buckets[b].len().cmp(&buckets[a].len()).then(a.cmp(&b)));
    let mut slots = vec![0u64; n_slots as usize];
    let mut taken = vec![false; n_slots as usize];
    let mut pilots = vec![0u16; n_buckets as usize];
    let mut positions = Vec::new();
    for b in order {
        if buckets[b].is_empty() {
            continue;
        }
        let mut found = false;
        'pilot: for pilot in 0..=u16::MAX {
            positions.clear();
            for &(h, _) in &buckets[b] {
                let s = slot(h, pilot, n_slots);
                if taken[s] || positions.contains(&s) {
                    continue 'pilot;
                }
                positions.push(s);
            }
            for (&s, &(_, i)) in positions.iter().zip(&buckets[b]) {
                taken[s] = true;
                slots[s] = (keys[i as usize] << VALUE_BITS) | i as u64;
            }
            pilots[b] = pilot;
            found = true;
            break;
        }
        if !found {
            return None;
        }
    }
    Some(Built {
        seed,
        pilots,
        slots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_found_and_misses_miss() {
        let keys: Vec<u64> = (1..5000u64).map(|i| i * 7919 + 3).collect();
        let t = build(&keys);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(lookup(k, t.seed, &t.pilots, &t.slots), Some(i as u32));
        }
        assert_eq!(lookup(2, t.seed, &t.pilots, &t.slots), None);
    }
}
