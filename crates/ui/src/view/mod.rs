//! Presentational components: they draw what they are given and report
//! what the person did through callbacks.
pub mod axis;
pub mod chart;
pub mod controls;
pub mod embed;
pub mod history;
pub mod import;
pub mod machine;
pub mod messages;
pub mod pipeline;
pub mod predict;
pub mod python;
pub mod reading;
pub mod results;
pub mod share;
pub mod status;
pub mod sweep;
pub mod theme;
pub mod timeline;
pub mod wordcount;
