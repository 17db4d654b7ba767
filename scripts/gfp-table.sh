#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gfp-table.sh - turn the "gfp-row:" lines that suite kslab_gfp prints in
# process context into a Markdown table (Documentation/derivation.rst).
#
# Usage: scripts/gfp-table.sh <KTAP or console log> [label]
set -eu
LOG=${1:?usage: $0 <log> [label]}
echo "| flags | bits | kslab cache | kmalloc cache | kslab zone | kmalloc zone | large path zone (kslab/kmalloc) | may sleep |"
echo "|---|---|---|---|---|---|---|---|"
grep -o 'gfp-row: .*' "$LOG" | sed 's/^gfp-row: //' | awk -F'; ' '
	!seen[$1]++ {
		name = $1
		gsub(/ [|] /, "\\|", name)
		printf "| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", name, $2, $3, $4, $5, $6, $7, $8
	}'
