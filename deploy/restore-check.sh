#!/usr/bin/env bash
# Prove that a backup comes back: dump DATABASE_URL, restore it into a scratch database,
# run `migrate --check` and two requests against the restored copy, then drop it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/sep}"
base="${DATABASE_URL%/*}"
name="${DATABASE_URL##*/}"
scratch="${name}_restore_check"
dump="$(mktemp --suffix=.dump)"
trap 'rm -f "$dump"; psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true' EXIT

echo "Dumping $name"
pg_dump --format=custom --file="$dump" "$DATABASE_URL"
echo "Restoring into $scratch"
psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$scratch\""
psql "$base/postgres" -qc "CREATE DATABASE \"$scratch\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
pg_restore --no-owner --dbname="$base/$scratch" "$dump"

echo "Checking the restored copy"
export DATABASE_URL="$base/$scratch"
.venv/bin/python manage.py migrate --check
.venv/bin/python - <<'PY'
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")
django.setup()
from django.test import Client
client = Client()
ready = client.get("/readyz")
assert ready.status_code == 200, ready.content
home = client.get("/ar/")
assert home.status_code == 200 and 'dir="rtl"' in home.content.decode()
from members.models import Organisation
print(f"Restored copy answers: {Organisation.objects.count()} organisations.")
PY
echo "Restore check passed."
