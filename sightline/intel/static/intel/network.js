/* Network view: reads the JSON endpoint named in data-source and draws it with Cytoscape.js.
   No inline script (CSP); nodes the user may open carry a URL and open on tap. */
(function () {
  "use strict";
  var box = document.getElementById("network");
  var status = document.getElementById("network-status");
  if (!box || typeof cytoscape === "undefined") { return; }
  var colours = { person: "#d4351c", child: "#1d70b8", place: "#00703c", vehicle: "#f47738", phone: "#4c2c92", handle: "#505a5f" };
  var shapes = { person: "ellipse", child: "ellipse", place: "round-rectangle", vehicle: "diamond", phone: "round-triangle", handle: "round-triangle" };
  fetch(box.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var elements = data.nodes.map(function (n) {
        return { data: { id: n.id, label: n.label, type: n.type, url: n.url, root: n.root ? "yes" : "no" } };
      }).concat(data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target } };
      }));
      var cy = cytoscape({
        container: box,
        elements: elements,
        wheelSensitivity: 0.2,
        style: [
          { selector: "node", style: {
            "background-color": function (n) { return colours[n.data("type")] || "#505a5f"; },
            "shape": function (n) { return shapes[n.data("type")] || "ellipse"; },
            "label": "data(label)", "font-size": 11, "color": "#0b0c0c",
            "text-valign": "bottom", "text-margin-y": 4, "width": 22, "height": 22,
            "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
          { selector: "node[root = 'yes']", style: { "width": 36, "height": 36, "border-width": 4, "border-color": "#0b0c0c" } },
          { selector: "edge", style: { "width": 1.5, "line-color": "#b1b4b6", "curve-style": "bezier" } }
        ],
        layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 120; }, nodeOverlap: 40, componentSpacing: 120, gravity: 0.2, numIter: 2500, padding: 40 }
      });
      cy.on("tap", "node", function (evt) {
        var url = evt.target.data("url");
        if (url) { window.location.assign(url); }
      });
      var text = data.nodes.length + " items.";
      if (data.withheld_children) { text += " " + data.withheld_children + " children not shown to you."; }
      if (data.truncated) { text += " The network is larger than can be drawn; showing the nearest part."; }
      status.textContent = text;
    })
    .catch(function () { status.textContent = "The network could not be loaded."; });
})();
