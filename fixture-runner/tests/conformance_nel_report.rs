//! Elastic's `nel_report` pipeline pairs against `nel_reports` (see `conformance`).

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_nel_report_pairs() {
    conformance::check("cloudflare_logpush.nel_report", "nel_reports", &[]);
}
