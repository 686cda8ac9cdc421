# SPDX-License-Identifier: GPL-2.0
# How tests/run.sh spreads the suite over several guests. Sourced.

# Seconds each test file took in the last whole run, ours and the C
# reference's apart: "FILE OURS C" lines. Before the first whole run (a
# cold cache), the times of a recorded run in tests/suite-times.txt: with
# every file at one minute, the guests of a cold run had 27 and 10 minutes
# of tests (2026-12-03), where these times give each about 19.
suite_times=$CACHE/suite-times.txt
suite_times_default=$TOP/tests/suite-times.txt

# suite_shards N REFERENCES: prints N lines (fewer if there are fewer test
# files), each the test files one guest runs, so that the guests take about
# as long as each other: the longest file first, each to the guest with the
# least work so far (by the last run's times; a new file counts a minute).
# With REFERENCES=0 the C reference runs are cached and do not count.
suite_shards() {
	local n=$1 refs=$2 times=$suite_times
	[ -f "$times" ] || times=$suite_times_default
	(
		cd "$TOP/tests/guest" || exit 1
		for f in test_*.sh; do echo "${f%.sh}"; done
	) | awk -v n="$n" -v refs="$refs" -v times="$times" '
		BEGIN { while ((getline line < times) > 0) { split(line, f, " "); ours[f[1]] = f[2]; c[f[1]] = f[3] } }
		{ file[NR] = $1; w[NR] = ($1 in ours) ? ours[$1] + (refs ? c[$1] : 0) : 60 }
		END {
			if (n > NR) n = NR
			# Longest first (a selection sort: there are a few dozen files).
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (w[j] > w[i]) {
				t = w[i]; w[i] = w[j]; w[j] = t; t = file[i]; file[i] = file[j]; file[j] = t
			}
			for (i = 1; i <= NR; i++) {
				best = 1
				for (g = 2; g <= n; g++) if (load[g] < load[best]) best = g
				load[best] += w[i]; shard[best] = shard[best] " " file[i]
			}
			for (g = 1; g <= n; g++) print substr(shard[g], 2)
		}'
}

# record_suite_times OUTPUT...: keeps the time of each test file, from the
# "(12.3s)" the guests print on each result and reference line, for the
# next run's shards. Files with no C reference line this run keep their
# last C time.
record_suite_times() {
	local new
	new=$(mktemp)
	cat "$@" | awk -v times="$suite_times" '
		BEGIN { while ((getline line < times) > 0) { split(line, t, " "); old_c[t[1]] = t[3] } }
		function secs(s) { return match(s, /\([0-9.]+s\)/) ? substr(s, RSTART + 1, RLENGTH - 3) + 0 : 0 }
		/^(not )?ok [0-9]+ - / { split($0, a, " - "); split(a[2], b, ":"); ours[b[1]] += secs($0); seen[b[1]] = 1 }
		/^# reference [^:]*: [^ ]+ (passes|FAILS)/ { split($4, b, ":"); c[b[1]] += secs($0); has_c[b[1]] = 1 }
		END { for (f in seen) printf "%s %.0f %.0f\n", f, ours[f], (f in has_c) ? c[f] : old_c[f] + 0 }' |
		sort >"$new"
	mkdir -p "$(dirname "$suite_times")"
	mv "$new" "$suite_times"
}

# all_finished WORK N: whether each of the N guests under WORK printed its
# plan and exited with 0.
all_finished() {
	local k
	for k in $(seq "$2"); do
		grep -q '^1\.\.[0-9]*$' "$1/$k/output" || return 1
		[ "$(cat "$1/$k/rc" 2>/dev/null)" = 0 ] || return 1
	done
}
