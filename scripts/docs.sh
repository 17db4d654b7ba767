#!/bin/bash
# docs.sh - keep Documentation/'s generated kslab_misuse table in step with the code.
# SPDX-License-Identifier: GPL-2.0
#
# Usage: scripts/docs.sh gen         rewrite the generated region of
#                                    Documentation/testing.rst
#        scripts/docs.sh check       exit 1 if that region is not what gen
#                                    would write
#        scripts/docs.sh html DIR    render Documentation/ into DIR with
#                                    sphinx-build (python3-sphinx) and the
#                                    kernel-doc extension of an extracted
#                                    kernel tree ($KSLAB_CACHE/src/...)
#
# The table is made from rows[] of kunit/misuse_kunit.c: the input string
# of each row, the finding it expects (enum kslab_report_item, named as in
# names[] of kslab/check/report.c; a count array where a row has one), the
# #if around it, and any comment on or just above the row. The columns the
# code cannot give, what the kernel does with the input and what kslab
# returns, come from Documentation/misuse-kernel.tsv, keyed by the input
# string; gen warns about rows without a line there and lines without a
# row. The tree is the one this script is in, so a copy of the tree checks
# itself.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SRC=$REPO/kunit/misuse_kunit.c
NAMES=$REPO/kslab/check/report.c
NOTES=$REPO/Documentation/misuse-kernel.tsv
DOC=$REPO/Documentation/testing.rst
BEGIN='.. BEGIN GENERATED misuse table (scripts/docs.sh gen)'
END='.. END GENERATED misuse table'

usage() {
	echo "usage: $0 gen | check | html DIR" >&2
	exit 2
}

# rows: one line per row of rows[], "cond<TAB>input<TAB>finding<TAB>note".
rows() {
	awk '
	function trim(s) { sub(/^[ \t\r\n]+/, "", s); sub(/[ \t\r\n]+$/, "", s); return s }

	# Split s at commas outside (), {}, [] and string literals into a[1..n].
	function split_args(s, a,    n, i, c, d, q, cur) {
		n = 0; d = 0; q = 0; cur = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (q) {
				cur = cur c
				if (c == "\\") { i++; cur = cur substr(s, i, 1) }
				else if (c == "\"") q = 0
				continue
			}
			if (c == "\"") q = 1
			else if (c == "(" || c == "{" || c == "[") d++
			else if (c == ")" || c == "}" || c == "]") d--
			else if (c == "," && d == 0) { a[++n] = trim(cur); cur = ""; continue }
			cur = cur c
		}
		if (trim(cur) != "") a[++n] = trim(cur)
		return n
	}

	# The text of the string literals in s, concatenated and unescaped.
	function cstring(s,    i, c, q, out) {
		q = 0; out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (!q) { if (c == "\"") q = 1; continue }
			if (c == "\\") {
				i++; c = substr(s, i, 1)
				if (c == "n") c = " "
				else if (c == "t") c = " "
				out = out c
			} else if (c == "\"") q = 0
			else out = out c
		}
		return out
	}

	# An identifier through the object-like #defines seen so far.
	function resolve(t,    n) {
		t = trim(t)
		for (n = 0; (t in objdef) && n < 8; n++) t = objdef[t]
		return t
	}

	function finding(item,    k) {
		item = resolve(item)
		if (item == "" || item == "KSLAB_NR_REPORT_ITEMS") return "none"
		k = item; sub(/^KSLAB_REPORT_/, "", k)
		if (k in rname) return rname[k]
		k = tolower(k); gsub(/_/, "-", k)
		return k
	}

	function not(c) {
		return c ~ /^[A-Za-z0-9_]+$/ ? "!" c : "!(" c ")"
	}

	function cond_now(    i, s) {
		s = ""
		for (i = 1; i <= nc; i++) s = s (s == "" ? "" : " && ") cstack[i]
		return s
	}

	# One entry of rows[]: expand a function-like macro, then map the
	# initializer fields onto the members of struct row.
	function entry(e, note,    m, name, args, na, a, nf, f, i, j, p, v, fld, input, item, times, counts, out) {
		e = trim(e)
		if (e == "") return
		split("", v)
		if (match(e, /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			name = trim(substr(e, 1, RLENGTH - 1))
			if (!(name in mparams)) {
				printf "docs.sh: %s: row macro %s has no #define\n", FILENAME, name > "/dev/stderr"
				bad = 1
				return
			}
			args = substr(e, RLENGTH + 1)
			sub(/\)[ \t]*$/, "", args)
			na = split_args(args, a)
			nf = split(mparams[name], p, ",")
			fld = mbody[name]
			sub(/^[ \t]*\{/, "", fld); sub(/\}[ \t]*$/, "", fld)
			nf = split_args(fld, f)
			for (i = 1; i <= nf; i++) {
				fld = trim(f[i])
				for (j = 1; j <= na; j++) {
					p[j] = trim(p[j])
					if (fld == p[j]) { fld = a[j]; break }
					if (substr(fld, length(fld) - length(p[j]) - 1) == "##" p[j]) {
						fld = substr(fld, 1, length(fld) - length(p[j]) - 2) a[j]
						break
					}
					if (substr(fld, 1, length(p[j]) + 2) == p[j] "##") {
						fld = a[j] substr(fld, length(p[j]) + 3)
						break
					}
				}
				v[i] = fld
			}
		} else if (substr(e, 1, 1) == "{") {
			sub(/^\{/, "", e); sub(/\}[ \t]*$/, "", e)
			nf = split_args(e, f)
			for (i = 1; i <= nf; i++) v[i] = f[i]
		} else {
			printf "docs.sh: %s: cannot read row: %s\n", FILENAME, e > "/dev/stderr"
			bad = 1
			return
		}
		input = ""; item = ""; times = ""; counts = ""
		for (i = 1; i <= nf; i++) {
			fld = trim(v[i])
			if (match(fld, /^\.[A-Za-z_][A-Za-z0-9_]*[ \t]*=/)) {
				name = substr(fld, 2, RLENGTH - 2); sub(/[ \t=]+$/, "", name)
				fld = trim(substr(fld, RLENGTH + 1))
			} else
				name = member[i]
			if (name == m_input) input = cstring(fld)
			else if (name == m_report) item = fld
			else if (name == m_times) times = resolve(fld)
			else if (name == m_counts) counts = fld
		}
		if (input == "") {
			printf "docs.sh: %s: a row without an input string\n", FILENAME > "/dev/stderr"
			bad = 1
			return
		}
		if (counts != "" && counts != "NULL" && counts != "0") {
			if (!(counts in cdesc)) {
				printf "docs.sh: %s: count array %s not found\n", FILENAME, counts > "/dev/stderr"
				bad = 1
				return
			}
			out = cdesc[counts]
		} else {
			out = finding(item)
			if (times + 0 > 1) out = out " ×" (times + 0)
		}
		gsub(/[\t\n]/, " ", note)
		printf "%s\t%s\t%s\t%s\n", cond_now(), input, out, trim(note)
	}

	FNR == 1 { file++ }

	# report.c: names[] of the findings.
	file == 1 && /^static const char \*const names\[\] = \{/ { innames = 1; next }
	file == 1 && innames && /^\};/ { innames = 0; next }
	file == 1 && innames {
		if (match($0, /\[KSLAB_REPORT_[A-Z0-9_]+\]/)) {
			k = substr($0, RSTART + 14, RLENGTH - 15)
			s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s)
			rname[k] = s
		}
		next
	}
	file == 1 { next }

	# misuse_kunit.c, before rows[]: struct row, #defines, count arrays.
	/^struct row \{/ { instruct = 1; nm = 0; next }
	instruct && /^\};/ { instruct = 0; next }
	instruct {
		s = $0; sub(/\/\*.*/, "", s); sub(/;.*/, "", s)
		if (trim(s) == "") next
		if (match(s, /\(\*[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\)/))
			s = substr(s, RSTART, RLENGTH)
		gsub(/[^A-Za-z0-9_]+$/, "", s)
		sub(/\[.*/, "", s)
		match(s, /[A-Za-z_][A-Za-z0-9_]*$/)
		member[++nm] = substr(s, RSTART, RLENGTH)
		next
	}
	!inrows && /^#define[ \t]+[A-Za-z_][A-Za-z0-9_]*\(/ {
		s = $0; sub(/^#define[ \t]+/, "", s)
		name = s; sub(/\(.*/, "", name)
		p = s; sub(/^[^(]*\(/, "", p); sub(/\).*/, "", p); gsub(/[ \t]/, "", p)
		b = s; sub(/^[^)]*\)/, "", b); sub(/\/\*.*/, "", b)
		mparams[name] = p; mbody[name] = trim(b)
		next
	}
	!inrows && /^#define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*(\/\*.*)?$/ {
		objdef[$2] = $3
		next
	}
	!inrows && /^static const unsigned int [A-Za-z_][A-Za-z0-9_]*\[KSLAB_NR_REPORT_ITEMS\] = \{/ {
		carr = $0; sub(/^static const unsigned int[ \t]+/, "", carr)
		sub(/\[.*/, "", carr); cdesc[carr] = ""
		next
	}
	carr != "" && /^\};/ { carr = ""; next }
	carr != "" {
		if (match($0, /\[[A-Z0-9_]+\][ \t]*=[ \t]*[0-9]+/)) {
			s = substr($0, RSTART, RLENGTH)
			k = s; sub(/^\[/, "", k); sub(/\].*/, "", k)
			n = s; sub(/.*=[ \t]*/, "", n)
			d = finding(k) (n + 0 > 1 ? " ×" (n + 0) : "")
			cdesc[carr] = cdesc[carr] (cdesc[carr] == "" ? "" : ", ") d
		}
		next
	}

	# rows[] itself.
	/^static const struct row rows\[\] = \{/ {
		inrows = 1; depth = 0; cur = ""; note = ""; pend = ""; q = 0; cm = 0
		m_input = "input"; m_report = "report"; m_times = "times"; m_counts = "counts"
		next
	}
	inrows && depth == 0 && !cm && /^[ \t]*\};/ { inrows = 0; seen = 1; next }
	inrows && depth == 0 && !cm && /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)/ {
		s = $0; sub(/^[ \t]*#[ \t]*/, "", s); sub(/\/\*.*/, "", s)
		d = s; sub(/[ \t].*/, "", d); s = trim(substr(s, length(d) + 1))
		# cstack: the condition of the branch; chain: the branches
		# before it in this #if, which must all have been false.
		if (d == "ifdef") { d = "if"; s = "defined(" s ")" }
		if (d == "ifndef") { d = "if"; s = "!defined(" s ")" }
		if (d == "if") { cstack[++nc] = s; chain[nc] = not(s) }
		else if (d == "elif") { cstack[nc] = chain[nc] " && " s; chain[nc] = chain[nc] " && " not(s) }
		else if (d == "else") cstack[nc] = chain[nc]
		else if (d == "endif") nc--
		pend = ""
		next
	}
	inrows {
		line = $0
		if (depth == 0 && !cm && trim(line) == "") { pend = ""; next }
		# held: the entry a comma ended on this line, printed at the end
		# of the line so that a comment after the comma is its note.
		hasheld = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1); c2 = substr(line, i, 2)
			if (cm) {
				if (c2 == "*/") { cm = 0; i++; ctext = ctext " "; continue }
				ctext = ctext c
				continue
			}
			if (q) {
				cur = cur c
				if (c == "\\") { i++; cur = cur substr(line, i, 1) }
				else if (c == "\"") q = 0
				continue
			}
			if (c2 == "/*" || c2 == "//") {
				if (ctext == "") trailing = hasheld && trim(cur) == ""
				if (c2 == "//") { ctext = ctext substr(line, i + 2); break }
				cm = 1; i++
				continue
			}
			if (c == "\"") q = 1
			if (c == "(" || c == "{") depth++
			if (c == ")" || c == "}") depth--
			if (c == "," && depth == 0) {
				if (hasheld) entry(held, hnote)
				held = cur; hnote = trim(pend " " note); hasheld = 1
				cur = ""; note = ""; pend = ""
				continue
			}
			cur = cur c
		}
		# A comment ends: after a comma it is the note of the entry the
		# comma ended; inside an entry, the note of that entry; else it
		# waits for the entry below it.
		if (!cm && ctext != "") {
			gsub(/^[ \t*]+|[ \t*]+$/, "", ctext)
			if (trailing) hnote = trim(hnote " " ctext)
			else if (trim(cur) != "") note = trim(note " " ctext)
			else pend = trim(pend " " ctext)
			ctext = ""
		}
		if (hasheld) entry(held, hnote)
		cur = cur " "
		next
	}
	END {
		if (!seen) {
			print "docs.sh: no rows[] table in " FILENAME > "/dev/stderr"
			exit 1
		}
		if (trim(cur) != "") entry(cur, trim(pend " " note))
		if (bad) exit 1
	}
	' "$NAMES" "$SRC"
}

# table: the reST between the markers, from rows and the notes file.
table() {
	local r
	r=$(rows) || exit 1
	printf '%s\n' "$r" | awk -F'\t' -v notes="$NOTES" '
	# The #if macros of rows[] in words; any other condition as it is.
	function label1(c,    neg, l) {
		neg = sub(/^!/, "", c)
		if (c == "KSLAB_CACHE_ARGS") l = "v6.12+ (``struct kmem_cache_args``)"
		else if (c == "KSLAB_HAVE_NOLOCK") l = "kernels with ``kmalloc_nolock()``"
		else if (c == "KSLAB_HAVE_BUCKETS") l = "kernels with ``kmem_buckets`` (v6.11+)"
		else if (c == "KSLAB_BUCKETS") l = "``CONFIG_SLAB_BUCKETS=y``"
		else return ""
		return neg ? "not " l : l
	}
	function cond_label(c,    n, p, i, l, out) {
		if (c == "") return ""
		n = split(c, p, / && /)
		out = ""
		for (i = 1; i <= n; i++) {
			l = label1(p[i])
			if (l == "") return "``#if " c "``"
			out = out (out == "" ? "" : ", ") l
		}
		return out
	}
	function lit(s) {
		return "``" s "``"
	}
	# One cell of a list-table row; an empty one without a trailing blank.
	function cell(s) {
		return s == "" ? "     -" : "     - " s
	}
	BEGIN {
		while ((getline line < notes) > 0) {
			if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
			nf = split(line, f, "\t")
			if (nf < 3) {
				printf "docs.sh: %s: not three tab-separated fields: %s\n", notes, line > "/dev/stderr"
				continue
			}
			kernel[f[1]] = f[2]; ret[f[1]] = f[3]; used[f[1]] = 0
			order[++nn] = f[1]
		}
		close(notes)
	}
	{
		n++
		cond[n] = $1; input[n] = $2; find[n] = $3; note[n] = $4
		if (note[n] != "") anynote = 1
	}
	END {
		print ""
		print ".. list-table::"
		print "   :header-rows: 1"
		print "   :widths: " (anynote ? "3 24 12 30 18 6 7" : "3 25 12 33 19 8")
		print ""
		print "   * - #"
		print "     - Input"
		print "     - kslab reports"
		print "     - The kernel (6.1/6.12, from the source)"
		print "     - kslab returns"
		print "     - Only on"
		if (anynote) print "     - Note"
		for (i = 1; i <= n; i++) {
			if (input[i] in kernel) { k = kernel[input[i]]; rv = ret[input[i]]; used[input[i]] = 1 }
			else {
				k = "(not described in misuse-kernel.tsv)"; rv = ""
				printf "docs.sh: row %d, %s: no line in %s\n", i, input[i], notes > "/dev/stderr"
			}
			print "   * - " i
			print cell(lit(input[i]))
			print cell(find[i])
			print cell(k)
			print cell(rv)
			print cell(cond_label(cond[i]))
			if (anynote) print cell(note[i])
		}
		print ""
		for (i = 1; i <= nn; i++)
			if (!used[order[i]])
				printf "docs.sh: %s: no row %s in kunit/misuse_kunit.c\n", notes, order[i] > "/dev/stderr"
	}
	'
}

# spliced: the document with the region between the markers replaced.
spliced() {
	local tab=$1
	if ! grep -qxF "$BEGIN" "$DOC" || ! grep -qxF "$END" "$DOC"; then
		echo "docs.sh: $DOC lacks the lines '$BEGIN' and '$END'" >&2
		exit 1
	fi
	awk -v b="$BEGIN" -v e="$END" -v tab="$tab" '
	$0 == b { print; while ((getline l < tab) > 0) print l; close(tab); skip = 1; next }
	$0 == e { skip = 0 }
	!skip
	' "$DOC"
}

cmd=${1:-}
case "$cmd" in
gen | check) ;;
html)
	out=${2:-}
	[ -n "$out" ] || usage
	;;
*) usage ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "$cmd" in
gen)
	table >"$tmp/table"
	spliced "$tmp/table" >"$tmp/doc"
	if cmp -s "$tmp/doc" "$DOC"; then
		echo "docs.sh: ${DOC#"$REPO"/} is up to date"
	else
		cat "$tmp/doc" >"$DOC"
		echo "docs.sh: ${DOC#"$REPO"/}: misuse table rewritten ($(grep -c '^   \* - [0-9]' "$tmp/table") rows)"
	fi
	;;
check)
	table >"$tmp/table"
	spliced "$tmp/table" >"$tmp/doc"
	if ! cmp -s "$tmp/doc" "$DOC"; then
		echo "docs.sh: ${DOC#"$REPO"/}: the misuse table differs from kunit/misuse_kunit.c and Documentation/misuse-kernel.tsv; run scripts/docs.sh gen" >&2
		diff -u "$DOC" "$tmp/doc" | head -40 >&2 || true
		exit 1
	fi
	echo "docs.sh: ${DOC#"$REPO"/}: misuse table up to date"
	;;
html)
	command -v sphinx-build >/dev/null ||
		{ echo "docs.sh: no sphinx-build (Debian package python3-sphinx)" >&2; exit 1; }
	ksrc=""
	for v in 6.12 7.3 6.1; do
		d=${KSLAB_CACHE:-$HOME/.cache/kslab}/src/linux-source-$v
		[ -f "$d/Documentation/sphinx/kerneldoc.py" ] && { ksrc=$d; break; }
	done
	[ -n "$ksrc" ] ||
		{ echo "docs.sh: no extracted kernel tree for the kernel-doc extension: run scripts/setup.sh 6.12" >&2; exit 1; }
	cat >"$tmp/conf.py" <<EOF
import sys
sys.path.insert(0, "$ksrc/Documentation/sphinx")
project = "kslab"
extensions = ["kerneldoc"]
kerneldoc_bin = "$ksrc/scripts/kernel-doc"
kerneldoc_srctree = "$REPO"
exclude_patterns = ["ABI"]
html_theme = "alabaster"
EOF
	sphinx-build -q -W --keep-going -b html -c "$tmp" "$REPO/Documentation" "$out"
	echo "docs.sh: HTML in $out"
	;;
esac
