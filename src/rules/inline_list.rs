//! A short list kept inline (no allocation up to `N` items).

use std::fmt;
use std::ops::Deref;

/// A list that keeps up to `N` items inline and spills to the heap beyond;
/// it reads as a slice (`Deref<Target = [T]>`). The prepared claim uses it
/// for each line's modifiers, so a typical line allocates nothing.
///
/// ```
/// use medcode::rules::InlineList;
/// let short: InlineList<u8, 4> = [1, 2, 3].into_iter().collect();
/// assert_eq!(&*short, &[1, 2, 3]);
/// assert!(!short.spilled());
/// let long: InlineList<u8, 4> = (0..6).collect();
/// assert_eq!(long.len(), 6);
/// assert!(long.spilled());
/// ```
#[derive(Clone)]
pub struct InlineList<T: Copy + Default, const N: usize> {
    len: usize,
    inline: [T; N],
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> InlineList<T, N> {
    /// An empty list.
    pub fn new() -> Self {
        InlineList {
            len: 0,
            inline: [T::default(); N],
            spill: Vec::new(),
        }
    }

    /// Appends an item.
    pub fn push(&mut self, item: T) {
        if self.len < N {
            self.inline[self.len] = item;
        } else {
            if self.len == N {
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push(item);
        }
        self.len += 1;
    }

    /// True if the items outgrew the inline space and live on the heap.
    pub fn spilled(&self) -> bool {
        self.len > N
    }
}

impl<T: Copy + Default, const N: usize> Default for InlineList<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy + Default, const N: usize> Deref for InlineList<T, N> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        if self.len <= N {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

impl<T: Copy + Default, const N: usize> FromIterator<T> for InlineList<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = InlineList::new();
        for item in iter {
            list.push(item);
        }
        list
    }
}

impl<T: Copy + Default + fmt::Debug, const N: usize> fmt::Debug for InlineList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq for InlineList<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + Eq, const N: usize> Eq for InlineList<T, N> {}

impl<'a, T: Copy + Default, const N: usize> IntoIterator for &'a InlineList<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reads_as_the_vec_it_was_built_from(items in proptest::collection::vec(any::<u16>(), 0..12)) {
            let list: InlineList<u16, 4> = items.iter().copied().collect();
            prop_assert_eq!(&*list, &items[..]);
            prop_assert_eq!(list.spilled(), items.len() > 4);
            prop_assert_eq!(list.clone(), list);
        }
    }
}
