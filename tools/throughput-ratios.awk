# Reads the output of BenchmarkThroughput (THROUGHPUT_ROUNDS=N) and prints, per
# operation, emulator/bare req/s of each round, its ratio, and the median ratio.
# Usage: awk -f tools/throughput-ratios.awk bench-output.txt
/BenchmarkThroughput/ {
  split($1, parts, "/"); op = parts[2]; who = parts[3]; sub(/-[0-9]+$/, "", who); round = 0
  if (match(who, /#[0-9]+/)) { round = substr(who, RSTART+1, RLENGTH-1) + 0; who = substr(who, 1, RSTART-1) }
  for (i = 1; i < NF; i++) if ($(i+1) == "req/s") rps = $i
  v[op, round, who] = rps; ops[op] = 1; if (round > maxr) maxr = round
}
END {
  for (op in ops) {
    line = op ":"; n = 0
    for (r = 0; r <= maxr; r++) { e = v[op, r, "emulator"]; b = v[op, r, "bare"]; if (b > 0) { q = 100 * e / b; line = line sprintf(" %.0f/%.0f=%.0f%%", e, b, q); rs[++n] = q } }
    # median
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (rs[j] < rs[i]) { t = rs[i]; rs[i] = rs[j]; rs[j] = t }
    med = (n % 2) ? rs[(n + 1) / 2] : (rs[n / 2] + rs[n / 2 + 1]) / 2
    print line sprintf("  median %.0f%%", med)
  }
}
