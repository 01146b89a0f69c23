//! Elastic's `gateway_http` pipeline pairs against `gateway_http` (see `conformance`).

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_gateway_http_pairs() {
    conformance::check(
        "cloudflare_logpush.gateway_http",
        "gateway_http",
        &[(
            "http.version",
            "`2`, ECS's form (from `HTTP/2`), as http_requests writes it; Elastic copies the protocol string",
        )],
    );
}
