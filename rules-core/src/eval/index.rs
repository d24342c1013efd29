//! Lists of a case's things by name (a kind, a document served), built once per evaluation.

/// Lists by name. A case uses a handful of names, each looked up for many items: a short list
/// searched with [`same`] costs less than a tree, whose every step compared whole names.
/// Past [`FEW`] names (only a malformed or hostile case has that many kinds), a tree finds
/// them instead, so that such a case costs `n log n` rather than `n²`.
pub(crate) struct Index<'a, T> {
    entries: Vec<(&'a str, Vec<T>)>,
    /// Each name's place in `entries`, once there are more than [`FEW`] names.
    many: Option<std::collections::BTreeMap<&'a str, usize>>,
}

impl<'a, T> Index<'a, T> {
    /// The list of `name`, if the case has anything of that name.
    pub fn get(&self, name: &str) -> Option<&Vec<T>> {
        match &self.many {
            Some(places) => places.get(name).and_then(|i| self.entries.get(*i)).map(|(_, v)| v),
            None => self.entries.iter().find(|(k, _)| same(k, name)).map(|(_, v)| v),
        }
    }

    /// Whether the case has anything of that name.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The names, in the order first met.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.entries.iter().map(|(k, _)| *k)
    }

    /// Indexes things by name, keeping their order within each list.
    pub fn build<I: ExactSizeIterator<Item = (&'a str, T)>>(things: I) -> Self {
        let mut b = Builder::with_room(things.len());
        for (name, t) in things {
            b.add(name, t);
        }
        b.index
    }

    /// The place of `name`'s list, added empty if new with room for `room` things.
    fn slot(&mut self, name: &'a str, room: usize) -> usize {
        let found = match &self.many {
            Some(places) => places.get(name).copied(),
            None => self.entries.iter().position(|(k, _)| same(k, name)),
        };
        if let Some(i) = found {
            return i;
        }
        let i = self.entries.len();
        self.entries.push((name, Vec::with_capacity(room)));
        match &mut self.many {
            Some(places) => {
                places.insert(name, i);
            }
            None if self.entries.len() > FEW => {
                // Inserted rather than collected: collecting would add a sort to the wasm.
                let mut places = std::collections::BTreeMap::new();
                for (i, (k, _)) in self.entries.iter().enumerate() {
                    places.insert(*k, i);
                }
                self.many = Some(places);
            }
            None => {}
        }
        i
    }
}

/// An index being built, thing by thing.
pub(crate) struct Builder<'a, T> {
    pub index: Index<'a, T>,
    /// The last name added and the place of its list, and the one before (records of two
    /// kinds often alternate: an activity's recording and its written records).
    last: Option<(&'a str, usize)>,
    before: Option<(&'a str, usize)>,
    /// How many things are still to come.
    room: usize,
}

impl<'a, T> Builder<'a, T> {
    /// A builder for `room` things.
    pub fn with_room(room: usize) -> Self {
        Builder { index: Index { entries: Vec::with_capacity(NAMES), many: None }, last: None, before: None, room }
    }

    /// Adds `t` to the list of `name`. A run of things of one name (a case lists them so: an
    /// activity's recordings, a service's receipts) is looked up once.
    #[inline(always)]
    pub fn add(&mut self, name: &'a str, t: T) {
        let slot = match (self.last, self.before) {
            (Some((k, s)), _) if same(k, name) => s,
            (_, Some((k, s))) if same(k, name) => {
                self.before = self.last;
                self.last = Some((k, s));
                s
            }
            _ => {
                // A new list has room for everything still to come, up to a bound: it is then
                // allocated once, and a case of a few kinds does not reserve many times its size.
                let s = self.index.slot(name, self.room.min(LIST));
                self.before = self.last;
                self.last = Some((name, s));
                s
            }
        };
        self.room = self.room.saturating_sub(1);
        if let Some((_, list)) = self.index.entries.get_mut(slot) {
            list.push(t);
        }
    }
}

/// The most room a new list starts with: a case has few names, each often used many times,
/// and growing lists from small was a visible share of evaluation.
const LIST: usize = 256;

/// The room for names an index starts with.
const NAMES: usize = 8;

/// Up to this many names, a list is searched in order (see [`Index`]).
const FEW: usize = 32;

/// Whether two names are equal. Names are short (a kind is a few Chinese characters, 3 bytes
/// each): up to 32 bytes they are compared as two overlapping words, without a call to
/// `memcmp`, which cost more than the comparison for names this short.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        17..=32 => word16(a, 0) == word16(b, 0) && word16(a, n - 16) == word16(b, n - 16),
        _ => a == b,
    }
}

/// Whether `list` names `name`, compared with [`same`].
pub(crate) fn listed(list: &[String], name: &str) -> bool {
    list.iter().any(|x| same(x, name))
}

/// The 8 bytes of `s` at `at` as a number (0 past the end, which callers never reach).
fn word8(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map_or(0, u64::from_ne_bytes)
}

/// The 16 bytes of `s` at `at` as a number (0 past the end, which callers never reach).
fn word16(s: &[u8], at: usize) -> u128 {
    s.get(at..at + 16).and_then(|w| <[u8; 16]>::try_from(w).ok()).map_or(0, u128::from_ne_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_agrees_with_eq_for_every_length() {
        let base: String = "询问笔录音像记录送达回证立案审批表现场检查".into();
        let bytes = base.as_bytes();
        for n in 0..=40usize.min(bytes.len()) {
            let a = &bytes[..n];
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                let (x, y) = (String::from_utf8_lossy(a).into_owned(), String::from_utf8_lossy(&b).into_owned());
                assert_eq!(same(&x, &y), x == y, "{x:?} {y:?}");
            }
            let x = String::from_utf8_lossy(a).into_owned();
            assert!(same(&x, &x.clone()));
        }
        assert!(!same("ab", "abc"));
    }

    #[test]
    fn index_keeps_order_within_each_name() {
        let things = [("a", 1), ("b", 2), ("a", 3), ("a", 4), ("c", 5), ("b", 6)];
        let index = Index::build(things.iter().map(|t| (t.0, t)));
        let values = |k: &str| index.get(k).map(|v| v.iter().map(|t| t.1).collect::<Vec<_>>());
        assert_eq!(values("a"), Some(vec![1, 3, 4]));
        assert_eq!(values("b"), Some(vec![2, 6]));
        assert_eq!(values("c"), Some(vec![5]));
        assert_eq!(values("d"), None);
        assert_eq!(index.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn many_names_are_found_through_the_tree_and_keep_their_order() {
        let names: Vec<String> = (0..1000).map(|i| format!("种类{}", i % 400)).collect();
        let index = Index::build(names.iter().enumerate().map(|(i, n)| (n.as_str(), i)));
        assert!(index.many.is_some());
        assert_eq!(index.get("种类7"), Some(&vec![7, 407, 807]));
        assert_eq!(index.get("种类399"), Some(&vec![399, 799]));
        assert_eq!(index.get("种类400"), None);
        assert_eq!(index.keys().count(), 400);
        assert_eq!(index.keys().next(), Some("种类0"));
    }
}
