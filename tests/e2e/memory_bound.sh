#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bounded memory: telexd lets go of mapped store pages past map_resident_max,
# so its RSS does not grow with the store.  A real telexd, a store of tens of
# MB written by the full pipeline, the data.mdb mapping measured in
# /proc/PID/smaps while it works; then the same without a bound, to show the
# measurement sees the difference.
. "$(dirname "$0")/lib/common.bash"
# resident KB of the data.mdb mapping of process $1
map_rss_kb() {
    awk -v f="$(realpath "$STORE")/data.mdb" '/^[0-9a-f]+-[0-9a-f]+ /{m=($6==f)} m&&/^Rss:/{s+=$2} END{print s+0}' \
        "/proc/$1/smaps" 2>/dev/null || echo 0
}
# push_sample N PREFIX TOTAL: pushes N articles, prints the peak mapped KB seen
# until the store holds TOTAL processed articles: the whole work, accepts and
# the pipeline's commits (on a loaded machine the pipeline lags far behind
# the acks)
push_sample() {
    bench_e2e --to "$EP" --count "$1" --prefix "$2" --timeout-ms 60000 >"$T/bench.out" 2>&1 &
    local b=$! peak=0 kb i=0 end=$((SECONDS + 400))
    while kill -0 $b 2>/dev/null || { [ $((i % 10)) -ne 0 ] || ! processed "$3"; }; do
        kb=$(map_rss_kb "$TELEXD_PID"); [ "$kb" -gt "$peak" ] && peak=$kb
        [ "$SECONDS" -lt "$end" ] || fail "store did not reach $3 processed articles in 400 s"
        i=$((i + 1))
        sleep 0.05
    done
    wait $b || fail "bench_e2e: $(cat "$T/bench.out")"
    echo "$peak"
}

N=1500
start_telexd --threads 2 --map-resident-max 1M
bounded=$(push_sample $N bounded $N)
wait_processed $N
size_kb=$(( $(stat -c %s "$STORE/data.mdb") / 1024 ))
drops=$(metric telex_map_drops_total)
echo "store ${size_kb} KB; mapped peak ${bounded} KB with a 1 MB bound; ${drops} let-goes"
[ "$size_kb" -gt 16384 ] || fail "store too small to show anything: ${size_kb} KB"
[ "$drops" -gt 0 ] || fail "no let-goes counted"
# 1 MB + what one article's commit or eight accepts map between two checks
[ "$bounded" -lt 8192 ] || fail "mapped store pages peaked at ${bounded} KB with a 1 MB bound"
ok "mapped store pages stay near map_resident_max while the store grows (${bounded} KB peak, store ${size_kb} KB)"
stop_telexd

start_telexd --threads 2 --map-resident-max 0
free=$(push_sample $N unbounded $((2 * N)))
wait_processed $((2 * N))
telex get --store "$STORE" bounded-1 >/dev/null || fail "article written under the bound is not readable"
echo "mapped peak ${free} KB without a bound"
[ "$free" -gt $((2 * bounded)) ] || fail "without a bound the mapping peaked at ${free} KB, not above ${bounded} KB"
ok "without a bound the same work maps ${free} KB"
stop_telexd

# Two articles near max_text (8 MiB) at once: the pipeline needs ~13x an
# article's size while it runs, so they are processed one at a time (two
# together peaked at 213 MB, one at a time 133 MB), and afterwards the enrich
# threads give the memory back (an arena kept ~40 MB per thread before).
$PY - "$T" "$TLX_SOURCE_DIR/seeds" <<'PYEOF'
import glob, random, sys
words = " ".join(open(f).read() for f in sorted(glob.glob(sys.argv[2] + "/*.txt"))).split()
for k in range(2):
    rnd = random.Random(k); out = []; n = 0
    while n < 7_500_000:
        s = " ".join(rnd.choice(words) for _ in range(20)) + "."
        out.append(s); n += len(s) + 1
        if len(out) % 10 == 0:
            out.append("\n")
    open("%s/big%d.txt" % (sys.argv[1], k), "w").write("Big headline %d\n\n" % k + " ".join(out))
PYEOF
start_telexd --threads 2
telex push "$T/big0.txt" "$T/big1.txt" >/dev/null || fail "big articles not accepted"
wait_processed $((2 * N + 2))
hwm=$(awk '/VmHWM/{print $2}' "/proc/$TELEXD_PID/status")
# the enrich thread lets go of an article's arena after it sent the result,
# so the commit can be seen a moment before the memory goes back
anon_kb() { awk '/RssAnon/{print $2}' "/proc/$TELEXD_PID/status"; }
anon_back() { [ "$(anon_kb)" -lt $((24 * 1024)) ]; }
wait_until 120 "telexd kept 24 MB or more (RssAnon) after the big articles" anon_back
anon=$(anon_kb)
echo "two 7.5 MB articles: VmHWM $((hwm / 1024)) MB, anonymous RSS afterwards $((anon / 1024)) MB"
[ "$hwm" -lt $((180 * 1024)) ] || fail "two big articles at once peaked at $((hwm / 1024)) MB"
[ "$anon" -lt $((24 * 1024)) ] || fail "telexd kept $((anon / 1024)) MB after the big articles"
ok "big articles run one at a time and their memory goes back (peak $((hwm / 1024)) MB, after $((anon / 1024)) MB)"
