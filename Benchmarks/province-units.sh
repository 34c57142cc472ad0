#!/usr/bin/env bash
# Writes the units file (Deploy/sample/units.csv's format) of the benchmark province: a fictional Tỉnh Thử
# Nghiệm, code 99 (no real GSO province has it), and COMMUNES (default 100) communes directly under it, codes
# 99001…, all in force since 1/1/2020 (so any year of responses from 2020 on falls in their validity).
# The index and export benchmarks import it and seed their responses over it.
#
#   Benchmarks/province-units.sh > province.csv
#   COMMUNES=250 Benchmarks/province-units.sh > province.csv
set -euo pipefail
COMMUNES=${COMMUNES:-100}
[ "$COMMUNES" -ge 1 ] && [ "$COMMUNES" -le 999 ] || { echo "COMMUNES must be 1 to 999" >&2; exit 2; }
echo "code,name,level,parent,validFrom,validTo,formedFrom,formedBy"
echo "99,Tỉnh Thử Nghiệm,province,,2020-01-01,,,"
for n in $(seq "$COMMUNES"); do
    printf '99%03d,Xã Thử Nghiệm %d,commune,99,2020-01-01,,,\n' "$n" "$n"
done
