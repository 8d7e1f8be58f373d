#!/bin/bash
# usage: cmp.sh N  -> alternates floor and ours N times
cd /work/main
for i in $(seq 1 ${1:-2}); do
  rm -rf /tmp/imp/f && mkdir -p /tmp/imp/f
  echo -n "floor "; node --import tsx bench/import-worker.ts floor /tmp/imp/bench.xlsx /tmp/imp/f
  npx tsx .scratch-import/prep.ts >/dev/null
  echo -n "ours  "; node --import tsx bench/import-worker.ts ours /tmp/imp/bench.xlsx sqlite:/tmp/imp/run/bench.sqlite /tmp/imp/run 1
done
uptime
