#!/usr/bin/env bash
# The bundled rdv-admin on a throwaway database, key folder and PDF folder: migrate, demo data
# with signed deposits, the figures, an xlsx export, one attestation printed to PDF and its QR
# read back and verified offline. Usage: installer/admin_selftest.sh dist/rdv-desktop/rdv-admin
set -euo pipefail
admin="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/config.toml" <<TOML
[keys]
dir = "$work/keys"
[station]
pdf_dir = "$work/pdf"
TOML
export RDV_CONFIG="$work/config.toml"
db="sqlite:///$work/admin.sqlite3"
today="$(date +%F)"
since="$(date -d '-40 days' +%F)"

# A new database has no administrator yet: init-db and demo run as the station. Every later
# command that changes the base acts as the demo's administrator (password on stdin).
as_admin() { printf '%s\n' "demo-rdv-2026" | "$admin" --db "$db" --admin admin --admin-password-stdin "$@"; }

"$admin" --db "$db" init-db >/dev/null
"$admin" --db "$db" demo >/dev/null
if "$admin" --db "$db" keygen </dev/null >/dev/null 2>&1; then
  echo "rdv-admin keygen ran without an administrator" >&2; exit 1
fi
"$admin" --db "$db" stats --from "$since" --to "$today" --format json > "$work/stats.json"
grep -q '"appointments": [1-9]' "$work/stats.json"
as_admin export --from "$since" --to "$today" --out "$work/export.xlsx" >/dev/null
test -s "$work/export.xlsx"
as_admin export --from "$since" --to "$today" --out "$work/export.csv" >/dev/null
# A dossier number from the export's « Numéro de dossier » column (whatever the site and year).
number="$(grep -o -m1 '[A-Z0-9]*-[0-9]\{4\}-[0-9]\{6\}' "$work/export.csv" | head -n1)"
test -n "$number"
as_admin receipt "$number" --out "$work/receipt.pdf" >/dev/null
"$admin" --db "$db" verify --image "$work/receipt.pdf" > "$work/verify.txt"
grep -q "^Attestation authentique" "$work/verify.txt"
grep -q "^Titulaire : " "$work/verify.txt"  # checked against the record: whose paper it is
"$admin" --db "$db" audit-verify > "$work/audit.txt"
grep -q "^Journal d'audit intègre" "$work/audit.txt"
echo "rdv-admin (bundle) : OK"
