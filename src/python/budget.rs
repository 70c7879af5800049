//! What evaluating one file may spend: nesting depth, steps, and bytes built or copied
//! (the bounds are in `base::limits`). Every evaluation of a file draws on one `Budget`;
//! once a bound is reached the value in hand becomes opaque with the reason, and once the
//! file's steps or bytes are spent everything after is opaque at once, so a hostile file
//! costs bounded time and memory and the rest of the project is still analysed.

use crate::base::limits::{
    bytes, thousands, MAX_EVAL_DEPTH, MAX_FILE_EVAL_BYTES, MAX_FILE_EVAL_STEPS, MAX_VALUE_BYTES,
    MAX_VALUE_DEPTH,
};

use super::value::Val;

/// One file's evaluation budget.
#[derive(Debug)]
pub struct Budget {
    steps: u64,
    bytes: u64,
    depth: usize,
    /// The first bound reached, in words; `None` while the budget holds.
    pub exhausted: Option<String>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new()
    }
}

impl Budget {
    pub fn new() -> Budget {
        Budget {
            steps: MAX_FILE_EVAL_STEPS,
            bytes: MAX_FILE_EVAL_BYTES,
            depth: 0,
            exhausted: None,
        }
    }

    /// A budget of `steps` and `bytes` only (a bounded side evaluation, such as a helper's
    /// return value, within a file's).
    pub fn limited(steps: u64, bytes: u64) -> Budget {
        Budget {
            steps: steps.min(MAX_FILE_EVAL_STEPS),
            bytes: bytes.min(MAX_FILE_EVAL_BYTES),
            depth: 0,
            exhausted: None,
        }
    }

    /// Whether the file's steps or bytes are spent (everything after is opaque).
    pub fn spent(&self) -> bool {
        self.steps == 0 || self.bytes == 0
    }

    fn hit(&mut self, reason: String) -> String {
        self.exhausted.get_or_insert_with(|| reason.clone());
        reason
    }

    /// One step of work (an expression, a statement, a loop turn).
    pub fn step(&mut self) -> Result<(), String> {
        if self.steps == 0 {
            return Err(self.hit(format!(
                "the file takes more than {} evaluation steps (a loop or recursion too long to follow); the rest is not interpreted",
                thousands(MAX_FILE_EVAL_STEPS)
            )));
        }
        self.steps -= 1;
        Ok(())
    }

    /// Enters a nested expression: a step, one level deeper. Pair with [`Budget::leave`].
    pub fn enter(&mut self) -> Result<(), String> {
        self.step()?;
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(self.hit(format!(
                "an expression nested more than {MAX_EVAL_DEPTH} levels deep, which the planner does not follow"
            )));
        }
        self.depth += 1;
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Draws `n` bytes built or copied.
    pub fn charge(&mut self, n: usize) -> Result<(), String> {
        let n = n as u64;
        if n > self.bytes {
            self.bytes = 0;
            return Err(self.hit(format!(
                "the file builds more than {} of values; the rest is not interpreted",
                bytes(MAX_FILE_EVAL_BYTES)
            )));
        }
        self.bytes -= n;
        Ok(())
    }

    /// A string as built, or opaque when it is larger than a value may be.
    pub fn string(&mut self, s: String) -> Val {
        if s.len() > MAX_VALUE_BYTES {
            return Val::Opaque(self.hit(format!(
                "a string of more than {}, which the planner does not build",
                bytes(MAX_VALUE_BYTES as u64)
            )));
        }
        match self.charge(s.len()) {
            Ok(()) => Val::Str(s),
            Err(r) => Val::Opaque(r),
        }
    }

    /// A string or list that would be larger than a value may be, refused before it is
    /// built.
    pub fn too_large(&mut self) -> Val {
        Val::Opaque(self.hit(format!(
            "a string or list of more than {}, which the planner does not build",
            bytes(MAX_VALUE_BYTES as u64)
        )))
    }

    /// A list as built, or opaque when it is larger (or deeper) than a value may be.
    pub fn list(&mut self, items: Vec<Val>) -> Val {
        let v = Val::List(items);
        self.admit(v)
    }

    /// A value about to be kept (bound to a name, copied): charged for its size, opaque when
    /// it is too large or nests too deeply.
    pub fn admit(&mut self, v: Val) -> Val {
        let m = measure(&v, MAX_VALUE_DEPTH);
        if m.too_deep {
            return Val::Opaque(self.hit(format!(
                "a value nested more than {MAX_VALUE_DEPTH} levels deep, which the planner does not keep"
            )));
        }
        if m.bytes > MAX_VALUE_BYTES {
            return Val::Opaque(self.hit(format!(
                "a value of more than {}, which the planner does not build",
                bytes(MAX_VALUE_BYTES as u64)
            )));
        }
        match self.charge(m.bytes) {
            Ok(()) => v,
            Err(r) => Val::Opaque(r),
        }
    }
}

/// A value's size in bytes (roughly what it holds), and whether it nests deeper than asked.
/// Stops at the depth bound, and once past the size bound, so it costs little on any value.
pub struct Measure {
    pub bytes: usize,
    pub too_deep: bool,
}

pub fn measure(v: &Val, max_depth: usize) -> Measure {
    let mut m = Measure {
        bytes: 0,
        too_deep: false,
    };
    walk(v, max_depth, &mut m);
    m
}

fn walk(v: &Val, depth_left: usize, m: &mut Measure) {
    if m.too_deep || m.bytes > MAX_VALUE_BYTES {
        return;
    }
    if depth_left == 0 {
        m.too_deep = true;
        return;
    }
    m.bytes += std::mem::size_of::<Val>();
    match v {
        Val::Str(s) | Val::Float(s) | Val::Ref(s) | Val::Opaque(s) => m.bytes += s.len(),
        Val::List(items) => items.iter().for_each(|x| walk(x, depth_left - 1, m)),
        Val::Dict(items) => items.iter().for_each(|(k, x)| {
            walk(k, depth_left - 1, m);
            walk(x, depth_left - 1, m);
        }),
        Val::Call { func, args, kwargs } => {
            m.bytes += func.len();
            args.iter().for_each(|x| walk(x, depth_left - 1, m));
            kwargs.iter().for_each(|(k, x)| {
                m.bytes += k.len();
                walk(x, depth_left - 1, m)
            });
        }
        Val::Method {
            receiver,
            name,
            args,
            kwargs,
        } => {
            m.bytes += name.len();
            walk(receiver, depth_left - 1, m);
            args.iter().for_each(|x| walk(x, depth_left - 1, m));
            kwargs.iter().for_each(|(k, x)| {
                m.bytes += k.len();
                walk(x, depth_left - 1, m)
            });
        }
        Val::None | Val::Bool(_) | Val::Int(_) | Val::Host(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deep_value_is_refused() {
        let mut v = Val::None;
        for _ in 0..(MAX_VALUE_DEPTH + 5) {
            v = Val::List(vec![v]);
        }
        let mut b = Budget::new();
        assert!(matches!(b.admit(v), Val::Opaque(_)));
        assert!(b.exhausted.is_some());
    }

    #[test]
    fn steps_run_out() {
        let mut b = Budget::new();
        let mut n = 0u64;
        while b.step().is_ok() {
            n += 1;
        }
        assert_eq!(n, MAX_FILE_EVAL_STEPS);
        assert!(b.spent());
    }
}
