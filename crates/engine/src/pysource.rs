//! Python source as text: literals of parameter values laid out as `ruff
//! format` writes them (`literal`), one sorted import block (`imports`), and
//! how a template's parts fit into one program (`compose`). Knows no
//! scenario: `python` and the scenarios' own Python hooks both use it.
pub mod compose;
pub mod imports;
pub mod literal;

pub use compose::sections;
pub use literal::PyValue;

/// What a program runs on (each says in its steps how to install it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProgramKind {
    StandardLibrary,
    /// Its process pool swapped for a Dask cluster's executor.
    Dask,
    /// A Bytewax dataflow.
    Bytewax,
}
