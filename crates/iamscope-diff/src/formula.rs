//! Boolean formulas over the facts a request may satisfy (a resource pattern matches, a condition
//! entry holds, a principal element names the caller), and their disjunctive normal form.

/// One fact. Atoms are interned by content, so the same pattern or condition entry in the old and
/// the new policy is one atom (which is how "the same condition on both sides" cancels out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Atom {
    /// The request resource matches resource pattern `n`.
    Res(usize),
    /// Condition entry `n` holds.
    Cond(usize),
    /// Principal element `n` names the caller.
    Prin(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum F {
    True,
    False,
    Atom(Atom),
    Not(Box<F>),
    And(Vec<F>),
    Or(Vec<F>),
}

/// A conjunction of literals (atom, polarity), sorted and without duplicates.
pub(crate) type Conj = Vec<(Atom, bool)>;

impl F {
    pub fn not(f: F) -> F {
        match f {
            F::True => F::False,
            F::False => F::True,
            F::Not(g) => *g,
            g => F::Not(Box::new(g)),
        }
    }

    pub fn and(parts: Vec<F>) -> F {
        if parts.contains(&F::False) {
            return F::False;
        }
        let parts: Vec<F> = parts.into_iter().filter(|p| *p != F::True).collect();
        match parts.len() {
            0 => F::True,
            1 => parts.into_iter().next().expect("one"),
            _ => F::And(parts),
        }
    }

    pub fn or(parts: Vec<F>) -> F {
        if parts.contains(&F::True) {
            return F::True;
        }
        let parts: Vec<F> = parts.into_iter().filter(|p| *p != F::False).collect();
        match parts.len() {
            0 => F::False,
            1 => parts.into_iter().next().expect("one"),
            _ => F::Or(parts),
        }
    }
}

/// The DNF of `f`: a list of satisfiable-looking conjunctions (contradictory ones dropped), and
/// whether the list is complete (false when it was cut at `cap` conjunctions).
pub(crate) fn dnf(f: &F, cap: usize) -> (Vec<Conj>, bool) {
    let mut complete = true;
    let out = go(f, true, cap, &mut complete);
    (out, complete)
}

fn go(f: &F, positive: bool, cap: usize, complete: &mut bool) -> Vec<Conj> {
    match (f, positive) {
        (F::True, true) | (F::False, false) => vec![Vec::new()],
        (F::True, false) | (F::False, true) => Vec::new(),
        (F::Atom(a), p) => vec![vec![(*a, p)]],
        (F::Not(g), p) => go(g, !p, cap, complete),
        (F::And(parts), true) | (F::Or(parts), false) => {
            let mut acc: Vec<Conj> = vec![Vec::new()];
            for part in parts {
                let d = go(part, positive, cap, complete);
                let mut next = Vec::new();
                'outer: for a in &acc {
                    for b in &d {
                        if let Some(c) = merge(a, b) {
                            if next.len() >= cap {
                                *complete = false;
                                break 'outer;
                            }
                            next.push(c);
                        }
                    }
                }
                iamscope_syntax::sort::sort(&mut next);
                next.dedup();
                acc = next;
                if acc.is_empty() {
                    break;
                }
            }
            acc
        }
        (F::Or(parts), true) | (F::And(parts), false) => {
            let mut out = Vec::new();
            for part in parts {
                for c in go(part, positive, cap, complete) {
                    if out.len() >= cap {
                        *complete = false;
                        return out;
                    }
                    out.push(c);
                }
            }
            iamscope_syntax::sort::sort(&mut out);
            out.dedup();
            out
        }
    }
}

/// The conjunction of two conjunctions, or `None` when it has an atom both ways.
fn merge(a: &Conj, b: &Conj) -> Option<Conj> {
    let mut out = a.clone();
    for &(atom, pol) in b {
        match out.iter().find(|(x, _)| *x == atom) {
            Some((_, p)) if *p != pol => return None,
            Some(_) => {}
            None => out.push((atom, pol)),
        }
    }
    iamscope_syntax::sort::sort(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(n: usize) -> F {
        F::Atom(Atom::Res(n))
    }

    #[test]
    fn contradictions_drop() {
        // (a0 | a1) & !(a0 | a1) is empty
        let f = F::and(vec![
            F::or(vec![a(0), a(1)]),
            F::not(F::or(vec![a(0), a(1)])),
        ]);
        let (d, complete) = dnf(&f, 100);
        assert!(d.is_empty() && complete);
        // a0 & !(a0 & a1) = a0 & !a1
        let f = F::and(vec![a(0), F::not(F::and(vec![a(0), a(1)]))]);
        let (d, _) = dnf(&f, 100);
        assert_eq!(d, vec![vec![(Atom::Res(0), true), (Atom::Res(1), false)]]);
    }

    #[test]
    fn cap_is_reported() {
        let parts: Vec<F> = (0..10)
            .map(|i| F::or(vec![a(2 * i), a(2 * i + 1)]))
            .collect();
        let (d, complete) = dnf(&F::and(parts), 50);
        assert!(!complete && d.len() <= 50);
    }
}
