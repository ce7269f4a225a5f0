#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The publisher over TLS (publish-tls-ca): a nats-server with a certificate
# signed by a throw-away CA; telexd trusting that CA publishes every record;
# telexd trusting another CA does not connect (the server is verified), keeps
# ingesting, and counts the failed rounds.
. "$(dirname "$0")/lib/common.bash"
cd "$T"
ossl() { openssl "$@" >/dev/null 2>&1 || fail "openssl $1"; }
for ca in ca other; do
    ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$ca.key" -out "$ca.pem" -days 2 -subj "/CN=telex test $ca"
done
ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext

NPORT=$(free_port)
nats-server -js -a 127.0.0.1 -p "$NPORT" -sd "$T/nats" --tls --tlscert server.pem --tlskey server.key \
    >>"$T/nats.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do
    $PY -c "import socket; socket.create_connection(('127.0.0.1',$NPORT),0.2)" 2>/dev/null && break
    sleep 0.05
done

start_telexd --publish "nats://127.0.0.1:$NPORT" --publish-tls-ca "$T/ca.pem" --threads 1
telex push --source tls "$TLX_SOURCE_DIR"/seeds/0*.txt >/dev/null
wait_processed 5
for _ in $(seq 1 200); do [ "$(metric telex_published_total)" = 5 ] && break; sleep 0.1; done
[ "$(metric telex_published_total)" = 5 ] || fail "published over TLS: $(metric telex_published_total)"
[ "$(metric telex_publish_lag_records)" = 0 ] || fail "lag over TLS"
ok "TLS with the server's CA: 5 records published, lag 0"
stop_telexd

rm -rf "$STORE"
start_telexd --publish "nats://127.0.0.1:$NPORT" --publish-tls-ca "$T/other.pem" --threads 1
telex push --source tls "$TLX_SOURCE_DIR"/seeds/0*.txt >/dev/null
wait_processed 5
for _ in $(seq 1 100); do [ "$(metric telex_publish_errors_total)" -ge 2 ] && break; sleep 0.1; done
[ "$(metric telex_publish_errors_total)" -ge 2 ] || fail "no failed rounds with the wrong CA"
[ "$(metric telex_published_total)" = 0 ] || fail "published to a server the CA does not vouch for"
[ "$(metric telex_publish_lag_records)" = 5 ] || fail "lag with the wrong CA: $(metric telex_publish_lag_records)"
[ "$(metric telex_publish_connected)" = 0 ] || fail "connected with the wrong CA"
[ "$(http_get /ready | cut -d' ' -f1)" = 200 ] || fail "not ready"
ok "TLS with another CA: not connected, nothing published, lag 5, still ready"
stop_telexd
