//! Elastic's `dns` pipeline pairs against `dns_logs` (see `conformance`).

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_dns_pairs() {
    conformance::check(
        "cloudflare_logpush.dns",
        "dns_logs",
        &[("related.ip", "the EDNS client subnet is a network, not a host of the query: kept as cloudflare.EDNSSubnet, as the seed samples do")],
    );
}
