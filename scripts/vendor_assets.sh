#!/usr/bin/env bash
# Re-vendor the front-end assets listed in static/vendor/VERSIONS.md from the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
for spec in govuk-frontend@6.6.0 htmx.org@2.0.11 cytoscape@3.34.4 leaflet@1.9.4 \
    chart.js@4.6.1; do
  npm pack --silent "$spec" >/dev/null
done
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
v="$root/static/vendor"
g=govuk-frontend-6.6.0/package/dist/govuk
mkdir -p "$v/govuk-frontend" "$v/htmx" "$v/cytoscape" "$v/leaflet" "$v/chartjs"
cp "$g/govuk-frontend.min.css" "$g/govuk-frontend.min.js" "$v/govuk-frontend/"
rm -rf "$v/govuk-frontend/assets"; mkdir -p "$v/govuk-frontend/assets"
cp -r "$g/assets/images" "$v/govuk-frontend/assets/"
sed -i -E -e 's#url\(/assets/#url(assets/#g' -e 's#@font-face\{font-family:GDS Transport;[^}]*\}##g' \
  -e 's#GDS Transport,##g' -e 's#/\*\# sourceMappingURL=.*\*/##' "$v/govuk-frontend/govuk-frontend.min.css"
sed -i 's#//\# sourceMappingURL=.*##' "$v/govuk-frontend/govuk-frontend.min.js"
cp htmx.org-2.0.11/package/dist/htmx.min.js "$v/htmx/"
cp cytoscape-3.34.4/package/dist/cytoscape.min.js "$v/cytoscape/"
cp leaflet-1.9.4/package/dist/leaflet.js leaflet-1.9.4/package/dist/leaflet.css "$v/leaflet/"
cp -r leaflet-1.9.4/package/dist/images "$v/leaflet/"
cp chart.js-4.6.1/package/dist/chart.umd.min.js "$v/chartjs/"
cp chart.js-4.6.1/package/LICENSE.md "$v/chartjs/LICENSE"
sed -i 's#//\# sourceMappingURL=.*##' "$v/htmx/htmx.min.js" "$v/leaflet/leaflet.js" \
  "$v/chartjs/chart.umd.min.js"
echo "vendored into $v"
