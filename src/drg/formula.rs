//! CMS's DRG formulas: boolean expressions over a claim's attributes.
//!
//! A formula is infix `&`, `|`, `~` and parentheses over operands. An operand
//! names an attribute, optionally with the code it must be on: `PDX:ami` (the
//! principal diagnosis), `SDX:ami` (a secondary diagnosis), `ONLY:incident`
//! (every secondary diagnosis), `ANY:ami` or bare `ami` (any code, or a
//! condition the grouper computes such as `ALIVE`); `MCC`, `CC` and `NONE`
//! test the severity the formula's row computes.
//!
//! A claim's attributes live in a [`Mask`]: for each operand, whether the
//! claim has it and in which MDCs it is suppressed (a procedure in a
//! satisfied cluster is not seen by the cluster's MDCs).

use std::collections::HashMap;

use super::data::Severity;

/// Interned attribute names.
#[derive(Default)]
pub(crate) struct Names {
    ids: HashMap<Box<str>, u16>,
    names: Vec<Box<str>>,
}

impl Names {
    pub fn intern(&mut self, name: &str) -> u16 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u16::try_from(self.names.len()).expect("fewer than 65,536 attribute names");
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    #[cfg(test)]
    pub fn get(&self, name: &str) -> Option<u16> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u16) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// Which codes an operand looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// Any code, or a computed condition (`ANY:` is the same).
    Any = 0,
    /// A secondary diagnosis.
    Sdx = 1,
    /// The principal diagnosis.
    Pdx = 2,
    /// Every secondary diagnosis.
    Only = 3,
}

impl Scope {
    fn slot(self) -> usize {
        self as usize
    }
}

pub(crate) const SCOPES: usize = 4;

/// One operand of a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operand {
    Attr(Scope, u16),
    /// `MCC`, `CC` or `NONE`: the row's severity.
    Severity(Severity),
    /// A prefix the grouper never sets: always false.
    Never,
}

#[derive(Debug, Clone, Copy)]
enum Node {
    And(u32, u32),
    Or(u32, u32),
    Not(u32),
    Atom(Operand),
}

/// A parsed formula: its tree (for the operands that made it true) and
/// the same compiled to a branching program (for evaluation, which every
/// claim does for dozens of rows).
#[derive(Debug)]
pub(crate) struct Expr {
    nodes: Vec<Node>,
    root: u32,
    /// The branching program: each test names the test to go to when it
    /// holds and when it does not, or the answer ([`TRUE`], [`FALSE`]).
    code: Vec<Test>,
    /// The first test (or the answer, for a formula that tests nothing).
    entry: u16,
    /// Mask slots one of which a claim must have for the formula to be
    /// true (`None`: no such set, e.g. under a `~` or a severity test): a
    /// row is skipped without evaluating it, or its severity, when the
    /// claim has none of them.
    needs: Option<Box<[u32]>>,
    /// For a formula of `&`s alone: its operands in [`Expr::matched`]'s
    /// order (each once), which are what a true formula matched: no tree
    /// to walk (most medical rows, `PDX:… & MCC`).
    conjunction: Option<Box<[Operand]>>,
    /// For a formula of `|`s alone: its operands left to right, of which
    /// the first that holds is what a true formula matched (the rerouting
    /// rows' `(d468 | d477)`).
    disjunction: Option<Box<[Operand]>>,
}

/// A branching program's answers, past its last test.
const TRUE: u16 = u16::MAX;
const FALSE: u16 = u16::MAX - 1;

/// A test's `what` at or past this: the row's severity is
/// `what - SEVERITY_TEST` (a [`Severity`] as a number); below: whether the
/// attribute at this mask slot is there (and not suppressed).
const SEVERITY_TEST: u32 = u32::MAX - 3;

/// One test of a compiled formula and where each answer leads: `&`, `|`
/// and `~` are only where the tests lead (each operand tested at most once,
/// the tests after it skipped as `&&` and `||` skip them).
#[derive(Debug, Clone, Copy)]
struct Test {
    what: u32,
    then: u16,
    or_else: u16,
}

/// A claim's attributes: for each `(scope, attribute)`, present or not and
/// the MDCs (bits) where it is suppressed. Reset in O(1) by a generation
/// counter, so one mask serves every claim a thread groups.
pub(crate) struct Mask {
    /// For each slot, the generation that last added it and the MDCs
    /// where it is suppressed (side by side: one load of a slot's line).
    slots: Vec<Slot>,
    generation: u32,
    names: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    stamp: u32,
    suppressed: u32,
}

impl Mask {
    pub fn new(names: usize) -> Mask {
        Mask {
            slots: vec![Slot::default(); names * SCOPES],
            generation: 0,
            names,
        }
    }

    /// Forgets every attribute.
    pub fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill(Slot::default());
            self.generation = 1;
        }
    }

    /// Adds an attribute; a key added twice is suppressed only in the MDCs
    /// where every addition was.
    #[inline]
    pub fn add(&mut self, scope: Scope, attr: u16, suppressed: u32) {
        let i = scope.slot() * self.names + attr as usize;
        let generation = self.generation;
        let slot = &mut self.slots[i];
        if suppressed == 0 {
            // Suppressed nowhere, whatever was there: a plain store (most
            // additions, where the constant 0 leaves no test).
            *slot = Slot {
                stamp: generation,
                suppressed: 0,
            };
        } else if slot.stamp == generation {
            slot.suppressed &= suppressed;
        } else {
            *slot = Slot {
                stamp: generation,
                suppressed,
            };
        }
    }

    fn visible(&self, scope: Scope, attr: u16, mdc: u8) -> bool {
        self.visible_at(scope.slot() * self.names + attr as usize, mdc)
    }

    #[inline]
    pub fn present_at(&self, i: usize) -> bool {
        self.slots[i].stamp == self.generation
    }

    #[inline]
    fn visible_at(&self, i: usize, mdc: u8) -> bool {
        let slot = self.slots[i];
        slot.stamp == self.generation && (mdc >= 32 || slot.suppressed & (1u32 << mdc) == 0)
    }
}

/// What a formula is evaluated against.
pub(crate) struct Env<'a> {
    pub mask: &'a Mask,
    pub mdc: u8,
    pub severity: Severity,
}

impl Env<'_> {
    fn atom(&self, op: Operand) -> bool {
        match op {
            Operand::Attr(scope, attr) => self.mask.visible(scope, attr, self.mdc),
            Operand::Severity(s) => s == self.severity,
            Operand::Never => false,
        }
    }
}

impl Expr {
    /// Parses a formula, interning its attribute names.
    pub fn parse(text: &str, names: &mut Names) -> Result<Expr, String> {
        let mut p = Parser {
            tokens: tokenize(text),
            pos: 0,
            nodes: Vec::new(),
            names,
        };
        if p.tokens.is_empty() {
            return Err("empty formula".into());
        }
        let root = p.or()?;
        if p.pos != p.tokens.len() {
            return Err(format!("unexpected {:?}", p.tokens[p.pos]));
        }
        let names = p.names.len();
        let mut e = Expr {
            nodes: p.nodes,
            root,
            code: Vec::new(),
            entry: FALSE,
            needs: None,
            conjunction: None,
            disjunction: None,
        };
        let mut atoms = Vec::new();
        if e.conjunction_of(e.root, &mut atoms) {
            e.conjunction = Some(atoms.into_boxed_slice());
        } else {
            atoms.clear();
            if e.disjunction_of(e.root, &mut atoms) {
                e.disjunction = Some(atoms.into_boxed_slice());
            }
        }
        e.relink(names);
        Ok(e)
    }

    /// Whether node `n` is `&`s of operands alone; its operands (as
    /// [`Expr::collect`] takes them from a true node) appended to `atoms`.
    fn conjunction_of(&self, n: u32, atoms: &mut Vec<Operand>) -> bool {
        match self.nodes[n as usize] {
            Node::And(a, b) => self.conjunction_of(a, atoms) && self.conjunction_of(b, atoms),
            Node::Atom(op) => {
                if !atoms.contains(&op) {
                    atoms.push(op);
                }
                true
            }
            Node::Or(..) | Node::Not(_) => false,
        }
    }

    /// Whether node `n` is `|`s of operands alone; its operands, left to
    /// right, appended to `atoms`.
    fn disjunction_of(&self, n: u32, atoms: &mut Vec<Operand>) -> bool {
        match self.nodes[n as usize] {
            Node::Or(a, b) => self.disjunction_of(a, atoms) && self.disjunction_of(b, atoms),
            Node::Atom(op) => {
                atoms.push(op);
                true
            }
            Node::And(..) | Node::Not(_) => false,
        }
    }

    /// Compiles node `n` to tests that lead to `then` when it holds and to
    /// `or_else` when not; returns its first test (or the answer it always
    /// has). The mask slots assume the names interned so far: compile again
    /// (see [`Expr::relink`]) if more are interned later.
    fn compile(&self, n: u32, names: usize, then: u16, or_else: u16, code: &mut Vec<Test>) -> u16 {
        let what = match self.nodes[n as usize] {
            Node::And(a, b) => {
                let b = self.compile(b, names, then, or_else, code);
                return self.compile(a, names, b, or_else, code);
            }
            Node::Or(a, b) => {
                let b = self.compile(b, names, then, or_else, code);
                return self.compile(a, names, then, b, code);
            }
            Node::Not(a) => return self.compile(a, names, or_else, then, code),
            Node::Atom(Operand::Never) => return or_else,
            Node::Atom(Operand::Attr(scope, attr)) => {
                let slot = (scope.slot() * names + attr as usize) as u32;
                assert!(
                    slot < SEVERITY_TEST,
                    "mask slots fit below the severity tests"
                );
                slot
            }
            Node::Atom(Operand::Severity(s)) => SEVERITY_TEST + s as u32,
        };
        let at = u16::try_from(code.len())
            .ok()
            .filter(|&at| at < FALSE)
            .expect("a formula of fewer than 65,534 operands");
        code.push(Test {
            what,
            then,
            or_else,
        });
        at
    }

    /// Compiles again for the final number of interned names (the mask's
    /// layout depends on it).
    pub fn relink(&mut self, names: usize) {
        let mut code = Vec::new();
        self.entry = self.compile(self.root, names, TRUE, FALSE, &mut code);
        self.code = code;
        self.needs = self.needs_of(self.root, names).map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v.into_boxed_slice()
        });
    }

    /// Slots one of which must be present for node `n` to be true.
    fn needs_of(&self, n: u32, names: usize) -> Option<Vec<u32>> {
        match self.nodes[n as usize] {
            Node::Atom(Operand::Attr(scope, attr)) => {
                Some(vec![(scope.slot() * names + attr as usize) as u32])
            }
            // Never true: nothing can make it so.
            Node::Atom(Operand::Never) => Some(Vec::new()),
            Node::Atom(Operand::Severity(_)) | Node::Not(_) => None,
            // Either side's set will do: the smaller.
            Node::And(a, b) => match (self.needs_of(a, names), self.needs_of(b, names)) {
                (Some(x), Some(y)) => Some(if x.len() <= y.len() { x } else { y }),
                (x, y) => x.or(y),
            },
            Node::Or(a, b) => {
                let mut x = self.needs_of(a, names)?;
                x.extend(self.needs_of(b, names)?);
                Some(x)
            }
        }
    }

    /// Mask slots one of which a claim must have for the formula to be true
    /// (`None`: no such set).
    pub fn needs(&self) -> Option<&[u32]> {
        self.needs.as_deref()
    }

    /// False when the claim has none of the attributes the formula needs
    /// (so it is false); true when it may be true.
    #[inline]
    pub fn may_hold(&self, mask: &Mask) -> bool {
        match &self.needs {
            None => true,
            Some(slots) => slots.iter().any(|&i| mask.present_at(i as usize)),
        }
    }

    pub fn eval(&self, env: &Env<'_>) -> bool {
        let mut at = self.entry;
        while let Some(test) = self.code.get(usize::from(at)) {
            let holds = if test.what < SEVERITY_TEST {
                env.mask.visible_at(test.what as usize, env.mdc)
            } else {
                test.what - SEVERITY_TEST == env.severity as u32
            };
            at = if holds { test.then } else { test.or_else };
        }
        at == TRUE
    }

    /// The operands a true formula used, in formula order, as CMS's grouper
    /// marks them while it evaluates the formula left to right with `&&`
    /// and `||`: an operand that holds is used when it is reached, and
    /// stays used when a later operand makes its `&` false (in
    /// `(MCC & backneck) | discdevice` without `backneck`, both the MCC and
    /// the `discdevice` procedure); an `|` stops at its first true side;
    /// nothing under `~`.
    /// Empty when the formula is false.
    pub fn matched(&self, env: &Env<'_>, out: &mut Vec<Operand>) {
        out.clear();
        if let Some(atoms) = &self.conjunction {
            // True: every operand holds and is used.
            if self.eval(env) {
                out.extend_from_slice(atoms);
            }
            return;
        }
        if let Some(atoms) = &self.disjunction {
            // The first side that holds is the use.
            out.extend(atoms.iter().copied().find(|&op| env.atom(op)));
            return;
        }
        if !self.used(self.root, env, out) {
            out.clear();
        }
    }

    /// Evaluates node `n` as CMS's grouper does (left to right, `&&` and
    /// `||` skipping what they skip), adding each operand that holds to
    /// `out` when it is reached; its value.
    fn used(&self, n: u32, env: &Env<'_>, out: &mut Vec<Operand>) -> bool {
        match self.nodes[n as usize] {
            Node::And(a, b) => self.used(a, env, out) && self.used(b, env, out),
            Node::Or(a, b) => self.used(a, env, out) || self.used(b, env, out),
            Node::Not(a) => !self.value(a, env),
            Node::Atom(op) => {
                let holds = env.atom(op);
                if holds && !out.contains(&op) {
                    out.push(op);
                }
                holds
            }
        }
    }

    /// Node `n`'s value, nothing used (under a `~`).
    fn value(&self, n: u32, env: &Env<'_>) -> bool {
        match self.nodes[n as usize] {
            Node::And(a, b) => self.value(a, env) && self.value(b, env),
            Node::Or(a, b) => self.value(a, env) || self.value(b, env),
            Node::Not(a) => !self.value(a, env),
            Node::Atom(op) => env.atom(op),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Open,
    Close,
    And,
    Or,
    Not,
    Atom(&'a str),
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let t = match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => Token::Open,
            b')' => Token::Close,
            b'&' => Token::And,
            b'|' => Token::Or,
            b'~' => Token::Not,
            _ => {
                let start = i;
                while i < bytes.len() && !b" \t\r\n()&|~".contains(&bytes[i]) {
                    i += 1;
                }
                out.push(Token::Atom(&text[start..i]));
                continue;
            }
        };
        out.push(t);
        i += 1;
    }
    out
}

struct Parser<'t, 'n> {
    tokens: Vec<Token<'t>>,
    pos: usize,
    nodes: Vec<Node>,
    names: &'n mut Names,
}

impl Parser<'_, '_> {
    fn push(&mut self, n: Node) -> u32 {
        self.nodes.push(n);
        (self.nodes.len() - 1) as u32
    }

    fn or(&mut self) -> Result<u32, String> {
        let mut left = self.and()?;
        while self.tokens.get(self.pos) == Some(&Token::Or) {
            self.pos += 1;
            let right = self.and()?;
            left = self.push(Node::Or(left, right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<u32, String> {
        let mut left = self.factor()?;
        while self.tokens.get(self.pos) == Some(&Token::And) {
            self.pos += 1;
            let right = self.factor()?;
            left = self.push(Node::And(left, right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<u32, String> {
        let t = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or("formula ends early")?;
        self.pos += 1;
        match t {
            Token::Atom(a) => {
                let op = self.operand(a);
                Ok(self.push(Node::Atom(op)))
            }
            Token::Open => {
                let e = self.or()?;
                if self.tokens.get(self.pos) != Some(&Token::Close) {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(e)
            }
            Token::Not => {
                let e = self.factor()?;
                Ok(self.push(Node::Not(e)))
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn operand(&mut self, atom: &str) -> Operand {
        let (scope, name) = match atom.split_once(':') {
            None => match atom {
                "MCC" => return Operand::Severity(Severity::Mcc),
                "CC" => return Operand::Severity(Severity::Cc),
                "NONE" => return Operand::Severity(Severity::None),
                _ => (Scope::Any, atom),
            },
            Some(("ANY", n)) => (Scope::Any, n),
            Some(("SDX", n)) => (Scope::Sdx, n),
            Some(("PDX", n)) => (Scope::Pdx, n),
            Some(("ONLY", n)) => (Scope::Only, n),
            Some(_) => return Operand::Never,
        };
        Operand::Attr(scope, self.names.intern(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(text: &str) -> (Names, Expr) {
        let mut names = Names::default();
        let e = Expr::parse(text, &mut names).unwrap();
        (names, e)
    }

    #[test]
    fn precedence_and_scopes() {
        let (names, e) = setup("PDX:ami | SDX:x & ~y");
        let mut mask = Mask::new(names.len());
        mask.clear();
        let env = |m: &Mask| {
            e.eval(&Env {
                mask: m,
                mdc: 5,
                severity: Severity::None,
            })
        };
        assert!(!env(&mask));
        mask.add(Scope::Sdx, names.get("x").unwrap(), 0);
        assert!(env(&mask));
        mask.add(Scope::Any, names.get("y").unwrap(), 0);
        assert!(!env(&mask));
        mask.add(Scope::Pdx, names.get("ami").unwrap(), 0);
        assert!(env(&mask));
    }

    #[test]
    fn suppression_is_per_mdc() {
        let (names, e) = setup("d468");
        let mut mask = Mask::new(names.len());
        mask.clear();
        mask.add(Scope::Any, names.get("d468").unwrap(), 1 << 8);
        let at = |mdc| {
            e.eval(&Env {
                mask: &mask,
                mdc,
                severity: Severity::None,
            })
        };
        assert!(at(5));
        assert!(!at(8));
    }

    #[test]
    fn matched_operands_skip_negations() {
        let (names, e) = setup("(a | b) & ~c & MCC");
        let mut mask = Mask::new(names.len());
        mask.clear();
        mask.add(Scope::Any, names.get("b").unwrap(), 0);
        let env = Env {
            mask: &mask,
            mdc: 1,
            severity: Severity::Mcc,
        };
        let mut out = Vec::new();
        e.matched(&env, &mut out);
        assert_eq!(
            out,
            vec![
                Operand::Attr(Scope::Any, names.get("b").unwrap()),
                Operand::Severity(Severity::Mcc)
            ]
        );
    }

    /// CMS's grouper keeps what an `&` used before it turned false: in
    /// `(MCC & backneck) | discdevice` without `backneck`, the MCC and the
    /// disc device are both used (DRG 518, v41.0 on).
    #[test]
    fn a_false_conjunction_keeps_what_it_used_before_the_next_side() {
        let (names, e) = setup("(MCC & backneck) | discdevice | spinstim");
        let id = |n: &str| names.get(n).unwrap();
        let mut mask = Mask::new(names.len());
        mask.clear();
        mask.add(Scope::Any, id("discdevice"), 0);
        let mut env = Env {
            mask: &mask,
            mdc: 8,
            severity: Severity::Mcc,
        };
        let mut out = Vec::new();
        e.matched(&env, &mut out);
        assert_eq!(
            out,
            vec![
                Operand::Severity(Severity::Mcc),
                Operand::Attr(Scope::Any, id("discdevice"))
            ]
        );
        // Without the MCC only the device.
        env.severity = Severity::Cc;
        e.matched(&env, &mut out);
        assert_eq!(out, vec![Operand::Attr(Scope::Any, id("discdevice"))]);
        // A false formula uses nothing, whatever it reached.
        let (names, e) = setup("(MCC & backneck) | spinstim");
        let mut mask = Mask::new(names.len());
        mask.clear();
        let env = Env {
            mask: &mask,
            mdc: 8,
            severity: Severity::Mcc,
        };
        e.matched(&env, &mut out);
        assert!(out.is_empty());
    }

    /// The branching program answers as the tree does, for every claim of
    /// a formula's attributes and every severity.
    #[test]
    fn the_program_answers_as_the_tree() {
        fn tree(e: &Expr, n: u32, env: &Env<'_>) -> bool {
            match e.nodes[n as usize] {
                Node::And(a, b) => tree(e, a, env) && tree(e, b, env),
                Node::Or(a, b) => tree(e, a, env) || tree(e, b, env),
                Node::Not(a) => !tree(e, a, env),
                Node::Atom(op) => env.atom(op),
            }
        }
        for text in [
            "a",
            "~a",
            "a & b",
            "a | b",
            "(a | b) & ~c & MCC",
            "~(a & ~(b | c)) | (PDX:a & SDX:b) | CC",
            "((a | b) & (c | NONE)) | ~(ONLY:d | MCC & a)",
            "NOPE:a | (b & NOPE:c)",
            "~(NOPE:a) & (a | (b | (c | d)))",
        ] {
            let (names, e) = setup(text);
            let scopes = [Scope::Any, Scope::Pdx, Scope::Sdx, Scope::Only];
            each_claim(&names, &scopes, |env, bits| {
                assert_eq!(
                    e.eval(env),
                    tree(&e, e.root, env),
                    "{text} {bits:b} {:?}",
                    env.severity
                );
            });
        }
    }

    /// Calls `f` with every claim of the attributes `a`–`d` of `names`
    /// under `scopes` (a bit a (scope, attribute) pair) at every severity.
    fn each_claim(names: &Names, scopes: &[Scope], mut f: impl FnMut(&Env<'_>, u32)) {
        let attrs: Vec<(Scope, u16)> = ["a", "b", "c", "d"]
            .iter()
            .filter_map(|n| names.get(n))
            .flat_map(|a| scopes.iter().map(move |&s| (s, a)))
            .collect();
        let mut mask = Mask::new(names.len());
        for bits in 0u32..1 << attrs.len() {
            mask.clear();
            for (i, &(scope, a)) in attrs.iter().enumerate() {
                if bits & 1 << i != 0 {
                    mask.add(scope, a, 0);
                }
            }
            for severity in [Severity::None, Severity::Cc, Severity::Mcc] {
                let env = Env {
                    mask: &mask,
                    mdc: 3,
                    severity,
                };
                f(&env, bits);
            }
        }
    }

    /// `matched` on `text` (a formula that takes a short way: `&`s or `|`s
    /// alone) gives what the tree's walk gives, for every claim of its
    /// attributes and every severity.
    fn short_way_matches_the_tree(text: &str) {
        let (names, e) = setup(text);
        assert!(e.conjunction.is_some() || e.disjunction.is_some(), "{text}");
        let walked = |env: &Env<'_>| {
            let mut out = Vec::new();
            if !e.used(e.root, env, &mut out) {
                out.clear();
            }
            out
        };
        each_claim(
            &names,
            &[Scope::Any, Scope::Pdx, Scope::Sdx],
            |env, bits| {
                let mut out = Vec::new();
                e.matched(env, &mut out);
                assert_eq!(out, walked(env), "{text} {bits:b} {:?}", env.severity);
            },
        );
    }

    /// A formula of `&`s alone takes the short way to its matched
    /// operands: no tree to walk.
    #[test]
    fn conjunctions_match_as_the_tree() {
        for text in [
            "a",
            "a & b",
            "PDX:a & b & a & MCC",
            "a & (b & (c & SDX:d)) & NOPE:a",
        ] {
            assert!(setup(text).1.conjunction.is_some(), "{text}");
            short_way_matches_the_tree(text);
        }
        assert!(setup("a | b").1.conjunction.is_none());
        assert!(setup("a & ~b").1.conjunction.is_none());
    }

    /// A formula of `|`s alone takes the short way too: the first operand
    /// that holds, as the tree's walk takes an `|`'s first true side.
    #[test]
    fn disjunctions_match_as_the_tree() {
        for text in [
            "a | b",
            "(a | SDX:b) | c",
            "a | (b | (c | PDX:a))",
            "a | MCC",
        ] {
            assert!(setup(text).1.disjunction.is_some(), "{text}");
            short_way_matches_the_tree(text);
        }
        assert!(setup("a & b").1.disjunction.is_none());
        assert!(setup("a | ~b").1.disjunction.is_none());
    }

    #[test]
    fn malformed_formulas_are_errors() {
        let mut names = Names::default();
        assert!(Expr::parse("", &mut names).is_err());
        assert!(Expr::parse("(a & b", &mut names).is_err());
        assert!(Expr::parse("a b", &mut names).is_err());
    }
}
