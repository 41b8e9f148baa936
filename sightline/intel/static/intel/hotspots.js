/* Hotspot map: Leaflet, points from the json_script block. Tiles only when a tile server is
   configured (SIGHTLINE_MAP_TILE_URL); without one the points are drawn on a plain
   background, labelled, so the map still works offline. */
(function () {
  "use strict";
  var box = document.getElementById("hotspot-map");
  var source = document.getElementById("hotspot-points");
  if (!box || !source || typeof L === "undefined") { return; }
  var points = JSON.parse(source.textContent || "[]");
  var map = L.map(box, { zoomControl: true, attributionControl: false });
  var tiles = box.getAttribute("data-tiles");
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  if (!points.length) { map.setView([53.48, -2.24], 12); return; }
  var max = points.reduce(function (m, p) { return Math.max(m, p.children); }, 1);
  var bounds = [];
  points.forEach(function (p, i) {
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: 6 + 14 * (p.children / max), color: "#0b0c0c", weight: 1,
      fillColor: p.children >= 2 ? "#d4351c" : "#1d70b8", fillOpacity: 0.75
    }).addTo(map);
    marker.bindPopup("<a href=\"" + encodeURI(p.url) + "\">" + p.name.replace(/[<>&"]/g, "") + "</a><br>" + p.children + " children, " + p.concerns + " concerns");
    if (i < 10) {
      marker.bindTooltip(String(i + 1), { permanent: true, direction: "center", className: "sl-hotspot-label" });
    } else {
      marker.bindTooltip(p.name, { direction: "right" });
    }
    bounds.push([p.lat, p.lng]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
})();
