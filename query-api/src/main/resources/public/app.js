// The live map: one WebSocket to /ws/topology (snapshot, then changes), applied in batches so that
// thousands of edges stay responsive: messages are queued and drawn twice a second, and the layout runs
// only when new workloads appear.
(function () {
  'use strict';

  const COLORS = { forwarded: '#6b7a8f', dropped: '#d32f2f', mixed: '#ef8a00' };
  const pageParams = new URLSearchParams(location.search);
  const token = pageParams.get('token');
  const edges = new Map();   // edge id -> latest edge message
  const links = new Map();   // node/interface -> latest link message
  const namespaces = new Set();
  const flowLimit = Math.max(1, parseInt(pageParams.get('flows') || '200', 10) || 200);
  let flows = [];             // newest first, at most flowLimit
  let flowQueue = [];
  let flowSocket = null;
  let flowsSkipped = 0;
  let queue = [];
  let socket = null;
  let retryMs = 1000;
  let layoutDue = false;

  const cy = cytoscape({
    container: document.getElementById('map'),
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'font-size': 10, 'background-color': '#2f6fb0',
          'width': 18, 'height': 18, 'text-valign': 'bottom', 'text-margin-y': 3 } },
      { selector: 'node.namespace', style: { 'background-color': '#eef2f7', 'border-color': '#aab4c3', 'border-width': 1,
          'label': 'data(label)', 'text-valign': 'top', 'font-weight': 600, 'font-size': 11, 'shape': 'round-rectangle' } },
      { selector: 'node.outside', style: { 'background-color': '#7d5ba6', 'shape': 'diamond' } },
      { selector: 'edge', style: { 'width': 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.8 } },
      { selector: 'edge.dropped', style: { 'line-style': 'dashed' } }
    ]
  });

  function nodeParts(id) {
    // Workloads are "namespace/kind/name" (maybe "cluster:" first); the rest (reserved:, dns:, ip:) are outside.
    const local = id.includes(':') && !id.startsWith('reserved:') && !id.startsWith('dns:') && !id.startsWith('ip:')
      ? id.substring(id.indexOf(':') + 1) : id;
    const parts = local.split('/');
    if (parts.length >= 3) {
      return { namespace: parts[0], label: parts.slice(2).join('/') };
    }
    return { namespace: null, label: local };
  }

  function ensureNode(id) {
    if (cy.getElementById(id).nonempty()) {
      return;
    }
    const p = nodeParts(id);
    if (p.namespace) {
      const parent = 'ns:' + p.namespace;
      if (cy.getElementById(parent).empty()) {
        cy.add({ group: 'nodes', data: { id: parent, label: p.namespace }, classes: 'namespace' });
      }
      cy.add({ group: 'nodes', data: { id: id, label: p.label, parent: parent } });
      if (!namespaces.has(p.namespace)) {
        namespaces.add(p.namespace);
        addNamespaceOption(p.namespace);
      }
    } else {
      cy.add({ group: 'nodes', data: { id: id, label: p.label }, classes: 'outside' });
    }
    layoutDue = true;
  }

  function addNamespaceOption(ns) {
    const select = document.getElementById('namespace');
    const option = document.createElement('option');
    option.value = ns;
    option.textContent = ns;
    select.appendChild(option);
  }

  function edgeId(m) {
    const e = m.edge || {};
    return m.src + '|' + m.dst + '|' + (e.protocol || '') + '|' + (e.port || 0);
  }

  function applyEdge(m) {
    const id = edgeId(m);
    edges.set(id, m);
    ensureNode(m.src);
    ensureNode(m.dst);
    const flows = (m.edge && m.edge.flows) || 0;
    const data = { id: id, source: m.src, target: m.dst, color: COLORS[m.state] || COLORS.forwarded,
      width: Math.min(1 + Math.log10(1 + flows), 6) };
    const existing = cy.getElementById(id);
    if (existing.nonempty()) {
      existing.data(data);
    } else {
      cy.add({ group: 'edges', data: data });
    }
    cy.getElementById(id).classes(m.state === 'dropped' ? 'dropped' : '');
  }

  function flush() {
    if (flowQueue.length > 0) {
      flows = flowQueue.reverse().concat(flows).slice(0, flowLimit);
      flowQueue = [];
      renderFlows();
    }
    if (queue.length === 0) {
      return;
    }
    const batch = queue;
    queue = [];
    cy.batch(function () {
      for (const m of batch) {
        if (m.type === 'edge') {
          applyEdge(m);
        } else if (m.type === 'link') {
          if (m.state === 'removed') {
            links.delete(m.src + '/' + m.dst);
          } else {
            links.set(m.src + '/' + m.dst, m);
          }
        }
      }
    });
    if (layoutDue) {
      layoutDue = false;
      cy.layout({ name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, padding: 20 }).run();
    }
    renderTables();
    renderFlows();
    document.getElementById('stats').textContent =
      cy.nodes(':childless').length + ' workloads, ' + cy.edges().length + ' edges';
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '-' : String(text);
    td.title = td.textContent;
    if (cls) {
      td.className = cls;
    }
    row.appendChild(td);
  }

  function renderTables() {
    const latest = Array.from(edges.values())
      .sort(function (a, b) { return String((b.edge || {}).last_seen || (b.edge || {}).timestamp || '')
        .localeCompare(String((a.edge || {}).last_seen || (a.edge || {}).timestamp || '')); })
      .slice(0, 200);
    const body = document.querySelector('#edges tbody');
    const rows = document.createDocumentFragment();
    for (const m of latest) {
      const e = m.edge || {};
      const tr = document.createElement('tr');
      tr.className = m.state;
      cell(tr, nodeParts(m.src).label);
      cell(tr, nodeParts(m.dst).label);
      cell(tr, (e.protocol || '') + '/' + (e.port || 0));
      cell(tr, e.flows);
      cell(tr, m.state);
      rows.appendChild(tr);
    }
    body.replaceChildren(rows);
    const linkBody = document.querySelector('#links tbody');
    const linkRows = document.createDocumentFragment();
    for (const m of Array.from(links.values()).sort(function (a, b) { return (a.src + a.dst).localeCompare(b.src + b.dst); })) {
      const l = m.link || {};
      const tr = document.createElement('tr');
      cell(tr, m.src);
      cell(tr, m.dst);
      cell(tr, m.state, m.state === 'up' || m.state === 'unknown' ? '' : 'down');
      cell(tr, l.carrier);
      cell(tr, l.speed);
      linkRows.appendChild(tr);
    }
    linkBody.replaceChildren(linkRows);
  }

  function flowRow(f, withPort) {
    const tr = document.createElement('tr');
    tr.className = f.verdict;
    cell(tr, (f.time || '').substring(11, 23));
    cell(tr, f.source.pod || f.source.id);
    cell(tr, f.destination.pod || f.destination.id);
    if (withPort) {
      cell(tr, f.l4_protocol + '/' + f.dest_port);
    }
    cell(tr, f.drop_reason ? f.verdict + ' ' + f.drop_reason : f.verdict);
    tr.title = f.summary;
    return tr;
  }

  function renderFlows() {
    const rows = document.createDocumentFragment();
    for (const f of flows) {
      rows.appendChild(flowRow(f, true));
    }
    document.querySelector('#flows tbody').replaceChildren(rows);
    document.getElementById('flows-status').textContent =
      '(last ' + flows.length + (flowsSkipped > 0 ? ', ' + flowsSkipped + ' skipped' : '') + ')';
  }

  function showEdgeFlows(edge) {
    const q = new URLSearchParams({ src: edge.data('source'), dst: edge.data('target'), since: '15m', limit: '50' });
    if (token) q.set('token', token);
    fetch('/api/v1/flows?' + q.toString()).then(function (r) { return r.json(); }).then(function (body) {
      const rows = document.createDocumentFragment();
      for (const f of body.flows || []) {
        const tr = flowRow(f, false);
        cell(tr, f.node);
        rows.appendChild(tr);
      }
      document.querySelector('#edge-flows tbody').replaceChildren(rows);
      document.getElementById('edge-flows').hidden = false;
      document.getElementById('edge-flows-title').hidden = false;
    });
  }

  function connectFlows() {
    const url = feedUrl().replace('/ws/topology', '/ws/flows');
    flowSocket = new WebSocket(url);
    flowSocket.onmessage = function (event) {
      try {
        const m = JSON.parse(event.data);
        if (m.type === 'flow') {
          flowQueue.push(m);
          if (flowQueue.length > flowLimit) {
            flowQueue.shift();
          }
        } else if (m.type === 'skipped') {
          flowsSkipped += m.count;
        }
      } catch (e) {
        // not a message of ours: ignore it
      }
    };
    flowSocket.onclose = function () {
      flowSocket = null;
      setTimeout(connectFlows, retryMs);
    };
  }

  function setStatus(state) {
    const el = document.getElementById('connection');
    el.className = 'status ' + state;
    el.textContent = state;
  }

  function feedUrl() {
    const q = new URLSearchParams();
    const ns = document.getElementById('namespace').value;
    const verdict = document.getElementById('verdict').value;
    if (ns) q.set('namespace', ns);
    if (verdict) q.set('verdict', verdict);
    if (token) q.set('token', token);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + location.host + '/ws/topology' + (q.toString() ? '?' + q.toString() : '');
  }

  function connect() {
    setStatus('connecting');
    socket = new WebSocket(feedUrl());
    socket.onopen = function () {
      retryMs = 1000;
      setStatus('connected');
    };
    socket.onmessage = function (event) {
      try {
        queue.push(JSON.parse(event.data));
      } catch (e) {
        // not a message of ours: ignore it
      }
    };
    socket.onclose = function () {
      setStatus('disconnected');
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  }

  function refilter() {
    // A new filter is a new subscription: start from its snapshot.
    edges.clear();
    cy.elements().remove();
    const select = document.getElementById('namespace');
    const chosen = select.value;
    if (socket) {
      socket.onclose = null;
      socket.close();
      socket = null;
    }
    if (flowSocket) {
      flowSocket.onclose = null;
      flowSocket.close();
      flowSocket = null;
    }
    flows = [];
    flowQueue = [];
    flowsSkipped = 0;
    connect();
    connectFlows();
    select.value = chosen;
  }

  // The suggested policies of the selected namespace: shown as the API wrote them, and downloadable as they are.
  let policyUrl = null;
  function showPolicies() {
    const ns = document.getElementById('namespace').value;
    if (!ns) return;
    const q = new URLSearchParams({ namespace: ns, last: document.getElementById('policy-range').value });
    if (token) q.set('token', token);
    const pre = document.getElementById('policy-yaml');
    const download = document.getElementById('policy-download');
    document.getElementById('policy-title').textContent = 'Suggested policies for ' + ns;
    pre.textContent = 'asking...';
    download.hidden = true;
    const dialog = document.getElementById('policy-dialog');
    if (!dialog.open) dialog.showModal();
    fetch('/api/v1/policies?' + q.toString()).then(function (r) {
      return r.text().then(function (text) { return { ok: r.ok, status: r.status, text: text }; });
    }).then(function (answer) {
      pre.textContent = answer.ok ? answer.text : 'The API answered ' + answer.status + ': ' + answer.text;
      if (!answer.ok) return;
      if (policyUrl) URL.revokeObjectURL(policyUrl);
      policyUrl = URL.createObjectURL(new Blob([answer.text], { type: 'application/yaml' }));
      download.href = policyUrl;
      download.download = 'policies-' + ns + '.yaml';
      download.hidden = false;
    }).catch(function (e) { pre.textContent = 'The API could not be asked: ' + e; });
  }
  function policyButtonState() {
    const button = document.getElementById('policies');
    button.disabled = !document.getElementById('namespace').value;
    button.title = button.disabled ? 'pick a namespace first' : 'CiliumNetworkPolicies suggested by this namespace\'s traffic';
  }
  document.getElementById('policies').addEventListener('click', showPolicies);
  document.getElementById('policy-range').addEventListener('change', showPolicies);
  document.getElementById('policy-close').addEventListener('click', function () { document.getElementById('policy-dialog').close(); });
  document.getElementById('namespace').addEventListener('change', policyButtonState);
  document.getElementById('namespace').addEventListener('change', refilter);
  document.getElementById('verdict').addEventListener('change', refilter);
  cy.on('tap', 'edge', function (event) { showEdgeFlows(event.target); });
  // For the browser console (and browser tests): the map's graph.
  window.hubbleTopology = { cy: cy };
  document.getElementById('edge-flows-close').addEventListener('click', function () {
    document.getElementById('edge-flows').hidden = true;
    document.getElementById('edge-flows-title').hidden = true;
  });
  setInterval(flush, 500);
  connect();
  connectFlows();
})();
