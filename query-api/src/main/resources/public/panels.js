// The side panels that answer "why": an edge's figures over the range (charted) and its flows from the history,
// a workload's labels, pods, edges, drops and node links, and the top drop reasons of the range.
(function () {
  'use strict';

  const HT = window.HT;
  const state = HT.state, api = HT.api, map = HT.map;
  let charts = [];

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '-' : String(text);
    td.title = td.textContent;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function linkCell(row, text, href, cls) {
    const td = document.createElement('td');
    const a = document.createElement('a');
    a.textContent = text;
    a.href = href;
    a.target = '_blank';
    if (cls) a.className = cls;
    td.appendChild(a);
    row.appendChild(td);
  }

  function flowRow(f, withPort) {
    const tr = document.createElement('tr');
    tr.className = f.verdict;
    cell(tr, (f.time || '').substring(11, 23));
    cell(tr, f.source.pod || f.source.id);
    cell(tr, f.destination.pod || f.destination.id);
    if (withPort) cell(tr, f.l4_protocol + '/' + f.dest_port);
    cell(tr, f.drop_reason ? f.verdict + ' ' + f.drop_reason : f.verdict);
    tr.title = f.summary;
    return tr;
  }

  function show(id) {
    for (const panel of ['edge-panel', 'workload-panel']) {
      document.getElementById(panel).hidden = panel !== id;
    }
  }

  function parseEdgeId(id) {
    const p = id.split('|');
    return { src: p[0], dst: p[1], protocol: p[2] || 'TCP', port: parseInt(p[3] || '0', 10) };
  }

  function edgeLabel(src, dst, port) {
    return map.nodeParts(src).label + ' \u2192 ' + map.nodeParts(dst).label + (port !== undefined ? ' :' + port : '');
  }

  /** The /api/v1/flows query behind an edge (or one drop reason of it) over the range. */
  function edgeFlowsParams(edge, extra) {
    return Object.assign({ src: edge.src, dst: edge.dst, protocol: edge.protocol.toLowerCase(), port: edge.port,
      limit: 50 }, HT.range.flowParams(), extra || {});
  }

  function sum(into, from) {
    for (const [k, v] of Object.entries(from || {})) into[k] = (into[k] || 0) + v;
    return into;
  }

  function figureRows(windows) {
    const t = { flows: 0, verdicts: {}, drops: {}, syn: 0, rst: 0, status: {}, queries: 0, failures: 0, lat: 0, latSum: 0, latMax: 0, nodes: new Set() };
    for (const w of windows) {
      t.flows += w.flows;
      sum(t.verdicts, w.verdicts);
      sum(t.drops, w.drop_reasons);
      t.syn += w.tcp.syn; t.rst += w.tcp.rst;
      sum(t.status, w.http.status);
      t.queries += w.dns.queries; t.failures += w.dns.failures;
      t.lat += w.latency.count; t.latSum += w.latency.sum_ns; t.latMax = Math.max(t.latMax, w.latency.max_ns);
      for (const n of w.nodes) t.nodes.add(n);
    }
    const kv = function (o) { return Object.entries(o).map(function (e) { return e[0] + ' ' + e[1]; }).join(', ') || 'none'; };
    return [
      ['flows', t.flows], ['verdicts', kv(t.verdicts)], ['drop reasons', kv(t.drops)],
      ['TCP flags', 'SYN ' + t.syn + ', RST ' + t.rst], ['HTTP status classes', kv(t.status)],
      ['DNS', t.queries + ' queries, ' + t.failures + ' failed answers'],
      ['latency', t.lat === 0 ? 'not known' : 'avg ' + (t.latSum / t.lat / 1e6).toFixed(2) + ' ms, max ' + (t.latMax / 1e6).toFixed(2) + ' ms'],
      ['nodes', Array.from(t.nodes).sort().join(', ') || '-']
    ];
  }

  function chart(container, title, windows, series) {
    const xs = windows.map(function (w) { return Date.parse(w.window_start) / 1000; });
    const data = [xs].concat(series.map(function (s) { return windows.map(s.value); }));
    const width = Math.max(300, document.querySelector('aside').clientWidth - 30);
    const opts = { title: title, width: width, height: 150, scales: { x: { time: true } },
      series: [{}].concat(series.map(function (s) { return { label: s.label, stroke: s.color, width: 1.5 }; })) };
    charts.push(new uPlot(opts, data, container));
  }

  function drawCharts(windows) {
    for (const c of charts) c.destroy();
    charts = [];
    const perS = function (w, n) { return n / Math.max(1, (Date.parse(w.window_end) - Date.parse(w.window_start)) / 1000); };
    const statusClass = function (w, c) { return perS(w, (w.http.status || {})[c] || 0); };
    chart(document.getElementById('edge-chart'), 'per second', windows, [
      { label: 'flows', color: '#2f6fb0', value: function (w) { return perS(w, w.flows); } },
      { label: 'dropped', color: '#d32f2f', value: function (w) { return perS(w, w.dropped); } },
      { label: 'TCP RST', color: '#7d5ba6', value: function (w) { return perS(w, w.tcp.rst); } },
      { label: 'HTTP 4xx', color: '#ef8a00', value: function (w) { return statusClass(w, '4xx'); } },
      { label: 'HTTP 5xx', color: '#8b0000', value: function (w) { return statusClass(w, '5xx'); } },
      { label: 'DNS failures', color: '#1f9d55', value: function (w) { return perS(w, w.dns.failures); } }
    ]);
    if (windows.some(function (w) { return w.latency.count > 0; })) {
      chart(document.getElementById('edge-latency'), 'latency (ms)', windows, [
        { label: 'avg', color: '#2f6fb0', value: function (w) { return w.latency.count ? w.latency.sum_ns / w.latency.count / 1e6 : null; } },
        { label: 'max', color: '#d32f2f', value: function (w) { return w.latency.count ? w.latency.max_ns / 1e6 : null; } }
      ]);
    }
  }

  /** The edge panel: its series over the range, charted and summed, and its flows from the flows topic. */
  function openEdge(id) {
    const edge = parseEdgeId(id);
    state.edge = id;
    state.workload = '';
    HT.saveState();
    show('edge-panel');
    document.getElementById('edge-title').textContent = edgeLabel(edge.src, edge.dst) + ' ' + edge.protocol + '/' + edge.port;
    document.getElementById('edge-note').textContent = 'asking...';
    const flowsQuery = edgeFlowsParams(edge);
    document.getElementById('edge-flows-link').href = api.url('/api/v1/flows', flowsQuery);
    api.get('/api/v1/edges', Object.assign({ src: edge.src, dst: edge.dst, protocol: edge.protocol, port: edge.port },
      HT.range.params())).then(function (series) {
      if (state.edge !== id) return;
      api.notePartial('the edge series', series);
      document.getElementById('edge-note').textContent = series.windows.length + ' windows from '
        + series.from.substring(11, 19) + ' to ' + series.to.substring(11, 19) + ' UTC' + (series.partial ? ' (partial)' : '') + '.';
      drawCharts(series.windows);
      const rows = document.createDocumentFragment();
      for (const [k, v] of figureRows(series.windows)) {
        const tr = document.createElement('tr');
        cell(tr, k);
        cell(tr, v);
        rows.appendChild(tr);
      }
      document.querySelector('#edge-figures tbody').replaceChildren(rows);
    }).catch(function (e) { document.getElementById('edge-note').textContent = String(e.message || e); });
    document.getElementById('edge-flows-status').textContent = '(asking the history...)';
    api.get('/api/v1/flows', flowsQuery).then(function (page) {
      if (state.edge !== id) return;
      const rows = document.createDocumentFragment();
      for (const f of page.flows) {
        const tr = flowRow(f, false);
        cell(tr, f.node);
        rows.appendChild(tr);
      }
      document.querySelector('#edge-flows tbody').replaceChildren(rows);
      document.getElementById('edge-flows-status').textContent = '(' + page.count + ' newest of the range'
        + (page.truncated ? ', search stopped at ' + page.truncated_reason : '') + (page.next_cursor ? ', more in the API' : '') + ')';
    }).catch(function (e) { document.getElementById('edge-flows-status').textContent = String(e.message || e); });
    selectOnMap(id);
  }

  function selectOnMap(id) {
    map.cy.elements(':selected').unselect();
    const el = map.cy.getElementById(id);
    if (el.nonempty()) el.select();
  }

  function edgeRow(m, peer) {
    const tr = document.createElement('tr');
    tr.className = m.state;
    tr.dataset.edge = m.id;
    cell(tr, map.nodeParts(peer).label);
    cell(tr, (m.e.protocol || '') + '/' + (m.e.port || 0));
    cell(tr, m.e.flows);
    cell(tr, m.e.dropped || 0);
    return tr;
  }

  /** The workload panel: the inventory's labels and pods, its edges in view, the drops, its nodes' links. */
  function openWorkload(id) {
    state.workload = id;
    state.edge = '';
    HT.saveState();
    show('workload-panel');
    const p = map.nodeParts(id);
    document.getElementById('workload-title').textContent = p.namespace ? p.namespace + ' / ' + p.kind + ' ' + p.name : id;
    document.getElementById('workload-flows-link').href = api.url('/api/v1/flows', Object.assign(
      p.namespace ? { namespace: p.namespace, workload: p.kind + '/' + p.name } : { src: id }, HT.range.flowParams(), { limit: 100 }));
    const out = [], inc = [], drops = [], nodes = new Set();
    for (const m of map.edges.values()) {
      if (m.mark === 'gone' || (m.src !== id && m.dst !== id)) continue;
      (m.src === id ? out : inc).push(m);
      for (const n of m.e.nodes || []) nodes.add(n);
      for (const [reason, n] of Object.entries(m.e.drop_reasons || {})) drops.push({ m: m, reason: reason, n: n });
    }
    const byFlows = function (a, b) { return (b.e.flows || 0) - (a.e.flows || 0); };
    document.querySelector('#workload-out tbody').replaceChildren.apply(document.querySelector('#workload-out tbody'),
      out.sort(byFlows).map(function (m) { return edgeRow(m, m.dst); }));
    document.querySelector('#workload-in tbody').replaceChildren.apply(document.querySelector('#workload-in tbody'),
      inc.sort(byFlows).map(function (m) { return edgeRow(m, m.src); }));
    document.querySelector('#workload-drops tbody').replaceChildren.apply(document.querySelector('#workload-drops tbody'),
      drops.sort(function (a, b) { return b.n - a.n; }).map(dropRow));
    document.querySelector('#workload-links tbody').replaceChildren.apply(document.querySelector('#workload-links tbody'),
      HT.linkRows(function (l) { return nodes.has(l.node); }));
    const reporting = Array.from(nodes).sort();
    document.getElementById('workload-nodes').textContent = reporting.length === 0 ? '(no node reported its flows)'
      : '(' + reporting.join(', ') + (document.querySelector('#workload-links tbody').children.length === 0
        ? ': no link states from these nodes' : '') + ')';
    document.getElementById('workload-note').textContent = p.namespace ? 'asking the inventory...' : 'outside the cluster: no inventory.';
    document.querySelector('#workload-labels tbody').replaceChildren();
    document.getElementById('workload-pods').replaceChildren();
    if (p.namespace) {
      api.get('/api/v1/workloads', { namespace: p.namespace }).then(function (answer) {
        if (state.workload !== id) return;
        api.notePartial('the workload inventory', answer);
        const w = answer.workloads.find(function (x) { return x.id === id; });
        document.getElementById('workload-note').textContent = w
          ? 'last seen ' + (w.last_seen || '-') + (answer.partial ? ' (inventory partial)' : '') + '.'
          : 'not in the inventory (yet).';
        if (!w) return;
        const rows = Object.entries(w.labels).sort().map(function (e) {
          const tr = document.createElement('tr');
          cell(tr, e[0]);
          cell(tr, e[1]);
          return tr;
        });
        document.querySelector('#workload-labels tbody').replaceChildren.apply(document.querySelector('#workload-labels tbody'), rows);
        document.getElementById('workload-pods').replaceChildren.apply(document.getElementById('workload-pods'), w.pods.map(function (pod) {
          const li = document.createElement('li');
          li.textContent = pod;
          return li;
        }));
      }).catch(function (e) { document.getElementById('workload-note').textContent = String(e.message || e); });
    }
    selectOnMap(id);
  }

  function dropRow(d) {
    const tr = document.createElement('tr');
    tr.className = 'dropped';
    tr.dataset.edge = d.m.id;
    tr.dataset.reason = d.reason;
    cell(tr, d.reason);
    cell(tr, edgeLabel(d.m.src, d.m.dst, d.m.e.port));
    cell(tr, d.n);
    const edge = parseEdgeId(d.m.id);
    linkCell(tr, 'flows', api.url('/api/v1/flows', edgeFlowsParams(edge, { verdict: 'dropped', drop_reason: d.reason, limit: 100 })), 'drop-flows');
    return tr;
  }

  /** The drops view: the range's drop reasons by edge, most flows first, each with the link to its flows. */
  function openDrops() {
    state.view = 'drops';
    HT.saveState();
    document.getElementById('drops-panel').hidden = false;
    document.getElementById('drops-status').textContent = '(asking...)';
    api.get('/api/v1/topology', Object.assign({ namespace: state.namespace, verdict: 'dropped' }, HT.range.params())).then(function (answer) {
      api.notePartial('the drops view', answer);
      const drops = [];
      for (const l of answer.links) {
        const m = { id: map.edgeId(l.src, l.dst, l), src: l.src, dst: l.dst, e: l };
        for (const [reason, n] of Object.entries(l.drop_reasons || {})) drops.push({ m: m, reason: reason, n: n });
      }
      drops.sort(function (a, b) { return b.n - a.n; });
      const body = document.querySelector('#drops tbody');
      body.replaceChildren.apply(body, drops.slice(0, 100).map(dropRow));
      document.getElementById('drops-status').textContent = '(' + drops.length + ' reason-edge pairs'
        + (drops.length > 100 ? ', top 100 shown' : '') + (answer.partial ? ', partial' : '') + ')';
    }).catch(function (e) { document.getElementById('drops-status').textContent = String(e.message || e); });
  }

  function closePanel(id) {
    document.getElementById(id).hidden = true;
    if (id === 'edge-panel') state.edge = '';
    if (id === 'workload-panel') state.workload = '';
    if (id === 'drops-panel') state.view = '';
    map.cy.elements(':selected').unselect();
    HT.saveState();
  }

  // Rows that name an edge open it; links inside rows go where they say.
  document.querySelector('aside').addEventListener('click', function (event) {
    if (event.target.tagName === 'A') return;
    const close = event.target.closest('button.close');
    if (close) {
      closePanel(close.dataset.close);
      return;
    }
    const row = event.target.closest('tr[data-edge]');
    if (row) openEdge(row.dataset.edge);
  });

  HT.panels = { openEdge: openEdge, openWorkload: openWorkload, openDrops: openDrops, cell: cell, flowRow: flowRow,
    edgeLabel: edgeLabel };
})();
