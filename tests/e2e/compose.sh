#!/usr/bin/env bash
# docker-compose.yml is valid (no Docker engine runs here: `config` only parses and resolves it).
. "$(dirname "$0")/lib/common.bash"
cd "$TLX_SOURCE_DIR"
docker-compose -f docker-compose.yml config -q || fail "docker-compose config"
grep -q "demo-producer telexd" <<<"$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')" || fail "services"
ok "docker-compose.yml validates"
