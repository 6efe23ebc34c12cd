//! Python source as text: literals of parameter values laid out as `ruff
//! format` writes them (`literal`), one sorted import block (`imports`), and
//! how a template's parts fit into one program (`compose`). Knows no
//! scenario: `python` and the scenarios' own Python hooks both use it.
pub mod compose;
pub mod imports;
pub mod literal;

pub use compose::sections;
pub use literal::PyValue;
