//! Flag groups and value types shared by several subcommands.

/// Output format of commands that print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people
    Text,
    /// JSON for programs
    Json,
}
