//! One stable sort for the whole engine, to keep the WebAssembly module small.
//!
//! Every `slice::sort`/`sort_by` call site with its own element type or comparator makes the
//! compiler emit a full copy of the standard library's driftsort (about 5 KB of wasm each; the
//! module had 18 of them). The functions here route the sorts of cold paths (diff, editor
//! features, suggestions, rule listing, diagnostics) through a single instantiation: one
//! non-generic function sorts positions `0..len` with a comparator behind `dyn`, and a small generic
//! function moves the elements into that order. The result is exactly that of `sort_by` with the
//! same comparator (both are stable), so callers keep their output byte for byte. Hot paths keep
//! their direct sorts: the `dyn` call per comparison costs a little.

use std::cmp::Ordering;

/// The positions `0..len` in stable sorted order under `cmp` (which compares two positions).
#[inline(never)]
pub fn sorted_positions(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sort `v` stably by `cmp`: the same result as `v.sort_by(cmp)`, with one shared sort
/// instantiation instead of one per element type and comparator.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_positions(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    // `order` is a permutation of 0..len, so every slot is taken exactly once.
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sort `v` stably in its natural order: the same result as `v.sort()`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_std_sort_by_and_stable() {
        // Pairs compared on the first field only: equal keys must keep their input order.
        let mut seed = 0x2545_f491_u64;
        for len in 0..200 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
        }
    }

    #[test]
    fn natural_order_of_strings() {
        let mut v: Vec<String> = ["b", "a", "c", "a"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
    }
}
