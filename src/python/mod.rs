//! Layer 2, **python**: Python source read, never run. [`Val`] is what the planner can know
//! of a Python value without running anything; [`eval`] is the partial evaluator that
//! computes it from ruff's syntax tree, with a hook through which the layers above give
//! calls their meaning (operations, helpers); [`bind_module`] binds a file's module level
//! once for every reader of it.

pub mod budget;
pub mod eval;
pub mod module;
pub mod parse;
pub mod value;

pub use budget::Budget;
pub use eval::{
    assign, changed_in_place, eval, fstring, imported_name, truth, CallHook, Callee, Env,
};
pub use module::{
    bind_module, compiles_decorators, import_from_names, Binding, CompilesDecorator, ModuleScope,
};
pub use parse::{
    invalid_string_reason, is_unlooked_char_name, parse_module, unread_statement_reason,
    ParsedFile, Refusal, UNLOOKED_CHAR_NAME,
};
pub use value::{short_name, HostRef, Val, AS_CLASS};
