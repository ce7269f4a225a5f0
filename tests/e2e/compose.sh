#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docker-compose.yml is valid (no Docker engine runs here: `config` only
# parses and resolves it): a store service with a volume, an enrich service
# that can scale (no fixed container name or host port), a demo producer,
# a JetStream nats service the store publishes to and a replica fed from it;
# the image is built the way the Makefile builds it.
. "$(dirname "$0")/lib/common.bash"
cd "$TLX_SOURCE_DIR"
docker-compose -f docker-compose.yml config -q || fail "docker-compose config"
docker-compose -f docker-compose.yml config >"$T/compose.yml"
[ "$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')" = "demo-producer enrich nats replica store " ] || fail "services"
$PY - "$T/compose.yml" <<'PYEOF' || fail "compose layout"
import yaml, sys
c = yaml.safe_load(open(sys.argv[1]))
s = c["services"]
store, enrich = s["store"], s["enrich"]
assert "--role" in store["command"] and store["command"][store["command"].index("--role") + 1] == "store"
assert any(v.get("target") == "/var/lib/telex" if isinstance(v, dict) else ":/var/lib/telex" in v for v in store["volumes"])
assert enrich["command"][enrich["command"].index("--role") + 1] == "enrich"
assert enrich["command"][enrich["command"].index("--connect") + 1] == "tcp://store:5556"
assert "container_name" not in enrich and "ports" not in enrich, "enrich would not scale"
assert store["image"] == enrich["image"] == s["replica"]["image"] == "telex:latest"
assert store["command"][store["command"].index("--publish") + 1] == "nats://nats:4222"
assert store["command"][store["command"].index("--publish-format") + 1] == "msgpack"  # what a replica needs
r = s["replica"]["command"]
assert r[r.index("--role") + 1] == "replica" and r[r.index("--from") + 1] == "nats://nats:4222"
assert "-js" in s["nats"]["command"]
PYEOF
grep -q '^RUN make install PREFIX=/usr' Dockerfile || fail "the Dockerfile does not build with make install"
grep -q 'docker build -t telex:latest \.' Makefile || fail "make image tag differs from the compose image"
ok "docker-compose.yml validates: store + scalable enrich + demo producer + nats + replica; image built by make install"
