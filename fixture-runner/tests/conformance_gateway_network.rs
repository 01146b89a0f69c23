//! Elastic's `gateway_network` pipeline pairs against `gateway_network` (see `conformance`).

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_gateway_network_pairs() {
    conformance::check("cloudflare_logpush.gateway_network", "gateway_network", &[]);
}
