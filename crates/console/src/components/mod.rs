//! The console's parts, one a file.

pub mod app;
pub mod editor;
pub mod results_view;
pub mod sign_in;

pub use app::App;
