#!/usr/bin/env bash
# Installs the index template for logs-cloudflare.* (data streams) into Elasticsearch or
# OpenSearch: the component template with the ECS mappings, then the index template.
#
#   elasticsearch/install.sh URL [--opensearch] [CURL OPTIONS...]
#   elasticsearch/install.sh https://localhost:9200 -u elastic:changeme
#   elasticsearch/install.sh http://localhost:9200 --opensearch
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="${1:?usage: elasticsearch/install.sh URL [--opensearch] [CURL OPTIONS...]}"
shift
dir="$here"
if [[ "${1:-}" == "--opensearch" ]]; then
  dir="$here/../opensearch"
  shift
fi
put() {
  local path="$1" file="$2"
  shift 2
  curl --fail-with-body --silent --show-error -X PUT "$url/$path" -H 'Content-Type: application/json' --data-binary "@$file" "$@"
  echo
}
put "_component_template/logs-cloudflare@ecs" "$dir/component-template.json" "$@"
put "_index_template/logs-cloudflare" "$dir/index-template.json" "$@"
