//! CLI contract cases run by trycmd: each `tests/cmd/contract/NAME.toml` gives the arguments
//! and exit code, `NAME.stdout` and `NAME.stderr` the exact output, on the small fixtures in
//! `tests/data/` (never the seed data, so correcting a fact there breaks no contract).
//! Regenerate the expected output with `TRYCMD=overwrite cargo test --test it cmd`.

#[test]
fn contract_cases() {
    trycmd::TestCases::new().case("tests/cmd/contract/*.toml");
}
