// The map: the edges the page knows (the model) drawn with cytoscape. Built to stay quick at thousands of
// workloads: positions come from a deterministic grid per namespace (no force layout over everything, and the
// same cluster always draws the same way), a namespace with many workloads is drawn as one node with a count
// until it is opened, and its edges are drawn as one edge per peer; changes are applied in one cytoscape batch.
(function () {
  'use strict';

  const state = window.HT.state;
  const COLORS = { forwarded: '#6b7a8f', dropped: '#d32f2f', mixed: '#ef8a00' };
  const CELL_W = 130, CELL_H = 64, HEADER = 28, GAP = 56, STAGGER = 18, MANY_EDGES = 2000;

  const edges = new Map();      // edge id -> {id, src, dst, state, e (EdgeStats or EdgeUpdate), mark}
  const members = new Map();    // namespace ("" for endpoints outside the cluster) -> Set of node ids
  const nodeNamespace = new Map();
  // Drawn edge id of a collapsed end -> {members: edge id -> its share, flows, states: state -> count, marks}:
  // kept as running sums, so an update redraws its aggregate in O(1) however many edges it stands for.
  const aggregates = new Map();
  let structureChanged = false; // a node, or a namespace's collapse, changed: positions are due
  let redrawDue = false;        // a namespace crossed the collapse size: everything is drawn again once, at commit
  // From a clear until endHold (the snapshot, or a range's answer, is in), edges only go into the model: the
  // first draw is then one cy.add of the collapsed graph and one layout, not thousands of partial draws.
  let held = false;
  const dirtyAggregates = new Set(); // aggregate ids, redrawn once per commit
  const dirtyCounts = new Set();     // collapsed namespaces whose count label changed
  const pending = new Map();         // element id -> JSON of an element not drawn yet: one cy.add per commit
  // Element id -> what it was last drawn with (its data and classes as one string). Most updates of a busy edge
  // change neither its colour nor its width: those leave cytoscape alone, which would otherwise restyle the edge
  // and redraw the whole canvas for each of them.
  const looks = new Map();
  let haystack = false;
  let bounds = null;            // the extent of the last layout

  const cy = cytoscape({
    container: document.getElementById('map'),
    wheelSensitivity: 0.3,
    hideEdgesOnViewport: true,
    pixelRatio: 1,
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'font-size': 10, 'background-color': '#2f6fb0',
          'width': 18, 'height': 18, 'text-valign': 'bottom', 'text-margin-y': 3, 'text-max-width': CELL_W - 14,
          'text-wrap': 'ellipsis', 'text-background-color': '#fff', 'text-background-opacity': 0.85,
          'text-background-padding': 1, 'min-zoomed-font-size': 6 } },
      // Namespaces and collapsed ones in a larger type: at 1,000 workloads the whole map is drawn at a zoom of
      // about 0.5, where the workloads' 10 px labels are too small to draw but these still read.
      { selector: 'node.namespace', style: { 'background-color': '#eef2f7', 'border-color': '#aab4c3', 'border-width': 1,
          'text-valign': 'top', 'text-margin-y': -2, 'font-weight': 600, 'font-size': 18, 'shape': 'round-rectangle',
          'padding': 8, 'text-background-opacity': 0 } },
      { selector: 'node.collapsed', style: { 'shape': 'round-rectangle', 'width': CELL_W - 10, 'height': CELL_H - 12, 'font-size': 15,
          'background-color': '#dfe7f2', 'border-color': '#2f6fb0', 'border-width': 2, 'text-valign': 'center',
          'text-margin-y': 0, 'font-weight': 600, 'text-wrap': 'wrap', 'text-background-opacity': 0 } },
      { selector: 'node.outside', style: { 'background-color': '#7d5ba6', 'shape': 'diamond' } },
      { selector: 'edge', style: { 'width': 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.8 } },
      { selector: 'edge.dropped', style: { 'line-style': 'dashed' } },
      { selector: 'edge.new', style: { 'line-color': '#1f9d55', 'target-arrow-color': '#1f9d55', 'width': 4, 'z-index': 10 } },
      { selector: 'edge.gone', style: { 'line-color': '#9aa3ae', 'target-arrow-color': '#9aa3ae', 'line-style': 'dotted',
          'opacity': 0.7 } },
      { selector: 'node:selected', style: { 'border-color': '#f2b600', 'border-width': 4 } },
      { selector: 'edge:selected', style: { 'line-color': '#f2b600', 'target-arrow-color': '#f2b600', 'width': 5 } }
    ]
  });

  function nodeParts(id) {
    // Workloads are "namespace/kind/name" (maybe "cluster:" first); the rest (reserved:, dns:, ip:) are outside.
    const local = id.includes(':') && !id.startsWith('reserved:') && !id.startsWith('dns:') && !id.startsWith('ip:')
      ? id.substring(id.indexOf(':') + 1) : id;
    const parts = local.split('/');
    if (parts.length >= 3) {
      return { namespace: parts[0], kind: parts[1], name: parts.slice(2).join('/'), label: parts.slice(2).join('/') };
    }
    return { namespace: null, kind: null, name: local, label: local };
  }

  function edgeId(src, dst, e) {
    return src + '|' + dst + '|' + (e.protocol || '') + '|' + (e.port || 0);
  }

  function isCollapsed(ns) {
    return ns !== '' && (members.get(ns) || new Set()).size > state.collapseAt && !state.open.has(ns);
  }

  /** The element an endpoint is drawn as: itself, or its namespace while that is collapsed. */
  function drawnNode(id) {
    const ns = nodeNamespace.get(id);
    return isCollapsed(ns) ? 'ns:' + ns : id;
  }

  function learnNode(id) {
    if (nodeNamespace.has(id)) return;
    const ns = nodeParts(id).namespace || '';
    nodeNamespace.set(id, ns);
    if (!members.has(ns)) members.set(ns, new Set());
    const before = isCollapsed(ns);
    members.get(ns).add(id);
    structureChanged = true;
    if (ns !== '') window.HT.onNamespace(ns);
    if (before !== isCollapsed(ns)) {
      redrawDue = true;
    } else if (isCollapsed(ns)) {
      dirtyCounts.add(ns);
    } else if (!redrawDue) {
      drawNode(id);
    }
  }

  function collapsedLabel(ns) {
    return ns + '\n' + members.get(ns).size + ' workloads';
  }

  function exists(id) {
    return pending.has(id) || cy.getElementById(id).nonempty();
  }

  /** Sets an element's data and classes, drawn or still pending; a new one is drawn at the next commit. */
  function put(group, data, classes) {
    let look = classes;
    for (const k in data) look += '|' + data[k];
    if (looks.get(data.id) === look) return;
    looks.set(data.id, look);
    const waiting = pending.get(data.id);
    if (waiting) {
      waiting.data = data;
      waiting.classes = classes;
      return;
    }
    const el = cy.getElementById(data.id);
    if (el.empty()) {
      pending.set(data.id, { group: group, data: data, classes: classes });
    } else {
      el.data(data);
      el.classes(classes);
    }
  }

  function drawNode(id) {
    const ns = nodeNamespace.get(id);
    if (exists(id)) return;
    if (ns === '') {
      put('nodes', { id: id, label: nodeParts(id).label }, 'outside');
      return;
    }
    const parent = 'ns:' + ns;
    if (!exists(parent)) put('nodes', { id: parent, label: ns, namespace: ns }, 'namespace');
    put('nodes', { id: id, label: nodeParts(id).label, parent: parent }, '');
  }

  function edgeData(id, source, target, flows, st) {
    // In quarter pixels: a finer width is not seen, and an edge whose flows grow keeps its look for a while.
    return { id: id, source: source, target: target, color: COLORS[st] || COLORS.forwarded,
      width: Math.round(4 * Math.min(1 + Math.log10(1 + flows), 6)) / 4 };
  }

  /** Draws (or redraws) one model edge, directly or as its share of a collapsed namespace's edge. */
  function drawEdge(m) {
    const source = drawnNode(m.src), target = drawnNode(m.dst);
    if (source === m.src && target === m.dst) {
      put('edges', edgeData(m.id, source, target, m.e.flows || 0, m.state),
        [m.state === 'dropped' ? 'dropped' : '', m.mark].join(' ').trim());
      return;
    }
    if (source === target) return;   // inside one collapsed namespace: its count says it
    const id = 'agg:' + source + '>' + target;
    let agg = aggregates.get(id);
    if (!agg) {
      agg = { source: source, target: target, members: new Map(), flows: 0, states: new Map(), marks: { new: 0, gone: 0 } };
      aggregates.set(id, agg);
    }
    const before = agg.members.get(m.id);
    if (before) addShare(agg, before, -1);
    const share = { flows: m.e.flows || 0, state: m.state, mark: m.mark };
    agg.members.set(m.id, share);
    addShare(agg, share, 1);
    dirtyAggregates.add(id);
  }

  function addShare(agg, share, sign) {
    agg.flows += sign * share.flows;
    const count = (agg.states.get(share.state) || 0) + sign;
    if (count > 0) agg.states.set(share.state, count); else agg.states.delete(share.state);
    if (share.mark === 'new' || share.mark === 'gone') agg.marks[share.mark] += sign;
  }

  /** One state if all its edges have it, else mixed; marked new if one edge is new, else gone if one is gone. */
  function redrawAggregate(id) {
    const agg = aggregates.get(id);
    const st = agg.states.size === 1 ? agg.states.keys().next().value : agg.states.size > 1 ? 'mixed' : undefined;
    const mark = agg.marks.new > 0 ? 'new' : agg.marks.gone > 0 ? 'gone' : '';
    put('edges', edgeData(id, agg.source, agg.target, agg.flows, st), [st === 'dropped' ? 'dropped' : '', mark].join(' ').trim());
  }

  /** Applies one edge (EdgeStats or EdgeUpdate, as the feed or REST sent it); call inside cy.batch. */
  function putEdge(src, dst, st, e, mark) {
    learnNode(src);
    learnNode(dst);
    const id = edgeId(src, dst, e);
    const old = edges.get(id);
    const m = { id: id, src: src, dst: dst, state: st, e: e, mark: mark !== undefined ? mark : old ? old.mark : '' };
    edges.set(id, m);
    if (!redrawDue) drawEdge(m);
  }


  function redrawAll() {
    redrawDue = false;
    dirtyCounts.clear();
    // Removed outside any batch: an element removed and added again under the same id inside one batch is
    // drawn with cytoscape's default style.
    cy.elements().remove();
    pending.clear();
    looks.clear();
    aggregates.clear();
    for (const [ns, ids] of members) {
      if (isCollapsed(ns)) {
        put('nodes', { id: 'ns:' + ns, label: collapsedLabel(ns), namespace: ns }, 'collapsed');
      } else {
        for (const id of ids) drawNode(id);
      }
    }
    for (const m of edges.values()) drawEdge(m);
    structureChanged = true;
  }

  /** The deferred work of a batch of changes (call outside cy.batch): redraws, collapsed sums and counts, positions. */
  function commit() {
    if (held) return;
    if (redrawDue) redrawAll();
    useFastEdgesIfMany();
    cy.batch(function () {
      for (const id of dirtyAggregates) redrawAggregate(id);
      dirtyAggregates.clear();
      for (const ns of dirtyCounts) put('nodes', { id: 'ns:' + ns, label: collapsedLabel(ns), namespace: ns }, 'collapsed');
      dirtyCounts.clear();
      if (pending.size > 0) cy.add(Array.from(pending.values()));
      pending.clear();
      layout();
    });
  }

  /**
   * Fits the map to the laid out positions. cy.fit() would measure every edge and label (seconds at 10,000
   * edges); the grid already knows its extent.
   */
  function fit() {
    if (!bounds) return;
    const w = cy.width(), h = cy.height(), pad = 30;
    const zoom = Math.min(2, Math.max(cy.minZoom(), Math.min((w - 2 * pad) / Math.max(1, bounds.x2 - bounds.x1),
      (h - 2 * pad) / Math.max(1, bounds.y2 - bounds.y1))));
    cy.viewport({ zoom: zoom, pan: { x: (w - zoom * (bounds.x1 + bounds.x2)) / 2, y: (h - zoom * (bounds.y1 + bounds.y2)) / 2 } });
  }

  /**
   * Deterministic positions: namespaces sorted by name, packed in rows; inside one, its workloads in a grid of
   * cells wide enough for their labels, so labels never overlap each other or a box. O(nodes), no iteration.
   */
  function layout() {
    if (!structureChanged) return;
    structureChanged = false;
    const groups = Array.from(members.keys()).sort(function (a, b) {
      return a === '' ? 1 : b === '' ? -1 : a.localeCompare(b);
    });
    let total = 0;
    for (const ns of groups) total += isCollapsed(ns) ? 1 : members.get(ns).size;
    const rowWidth = Math.max(1100, Math.sqrt(total) * CELL_W * 1.6);
    let x = 0, y = 0, rowHeight = 0, widest = 0;
    const positions = {};
    for (const ns of groups) {
      const ids = isCollapsed(ns) ? ['ns:' + ns] : Array.from(members.get(ns)).sort();
      const cols = Math.max(1, Math.ceil(Math.sqrt(ids.length * 1.6)));
      const width = cols * CELL_W, height = HEADER + Math.ceil(ids.length / cols) * CELL_H + STAGGER;
      if (x > 0 && x + width > rowWidth) {
        x = 0;
        y += rowHeight + GAP;
        rowHeight = 0;
      }
      ids.forEach(function (id, i) {
        // Odd columns sit a little lower, so that an edge along a row does not run through its neighbours.
        positions[id] = { x: x + (i % cols) * CELL_W + CELL_W / 2, y: y + HEADER + Math.floor(i / cols) * CELL_H + (i % 2) * STAGGER };
      });
      widest = Math.max(widest, x + width);
      x += width + GAP;
      rowHeight = Math.max(rowHeight, height);
    }
    bounds = { x1: -20, y1: -HEADER, x2: widest + 20, y2: y + rowHeight + 20 };
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        const p = positions[n.id()];
        if (p && !n.isParent()) n.position(p);
      });
    });
  }

  function setMarks(newIds, goneEdges) {
    for (const m of edges.values()) m.mark = '';
    for (const g of goneEdges) putEdge(g.src, g.dst, g.state, g, 'gone');
    for (const id of newIds) {
      const m = edges.get(id);
      if (m) m.mark = 'new';
    }
    redrawDue = true;
    commit();
  }

  function clear() {
    edges.clear();
    members.clear();
    nodeNamespace.clear();
    aggregates.clear();
    dirtyAggregates.clear();
    dirtyCounts.clear();
    pending.clear();
    looks.clear();
    redrawDue = true;
    held = true;
    cy.elements().remove();
    structureChanged = true;
  }

  /** The snapshot (or the range's answer) is in: the next commit draws all the model at once. */
  function endHold() {
    held = false;
  }

  /** Decided before the edges are added, so that a first draw of thousands is not styled twice. */
  function useFastEdgesIfMany() {
    if (haystack) return;
    let count = cy.edges().length;
    for (const p of pending.values()) if (p.group === 'edges') count++;
    if (count > MANY_EDGES) {
      haystack = true;   // bezier edges cost too much to draw at this count; haystack lines have no arrows
      cy.style().selector('edge').style({ 'curve-style': 'haystack', 'haystack-radius': 0 }).update();
    }
  }

  function toggleNamespace(ns) {
    if (state.open.has(ns)) state.open.delete(ns); else state.open.add(ns);
    redrawDue = true;
    commit();
    fit();
    window.HT.saveState();
  }

  function collapsedCount() {
    let n = 0;
    for (const ns of members.keys()) if (isCollapsed(ns)) n++;
    return n;
  }

  window.HT.map = {
    cy: cy,
    edges: edges,
    nodeParts: nodeParts,
    edgeId: edgeId,
    putEdge: putEdge,
    commit: commit,
    fit: fit,
    clear: clear,
    endHold: endHold,
    isHeld: function () { return held; },
    setMarks: setMarks,
    toggleNamespace: toggleNamespace,
    collapsedCount: collapsedCount,
    nodeCount: function () { return nodeNamespace.size; },
    isBig: function (ns) { return (members.get(ns) || new Set()).size > state.collapseAt; }
  };
})();
