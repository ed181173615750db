// The page: a range control (live by default, or a range answered by /api/v1/...), the map, the tables and the
// panels. Live, one WebSocket to /ws/topology (snapshot, then changes) and one to /ws/flows; their messages are
// queued (the latest change per edge only) and applied once per animation frame within a time budget, so a burst
// never freezes the page. A feed that drops is reopened with a growing backoff and starts again from a fresh
// snapshot.
(function () {
  'use strict';

  const HT = window.HT;
  const state = HT.state, api = HT.api, map = HT.map, panels = HT.panels, cy = map.cy;
  const FRAME_BUDGET_MS = 8, HELD_BUDGET_MS = 40, TABLES_EVERY_MS = 500, MAX_RETRY_MS = 30000, PARTIAL_RETRY_MS = 5000, MAX_HOLD_MS = 5000;
  const LATEST_ROWS = 200;
  const links = new Map();     // node/interface -> LinkState
  const namespaces = new Set();
  let flows = [];              // newest first, at most state.flows
  let flowQueue = [];
  let flowsSkipped = 0;
  let flowsNote = '';
  let queue = new Map();       // key (an edge's id, a link, or a control message's number) -> {seq, m}
  let queueSeq = 0, lastControlSeq = 0, updatesCoalesced = 0;
  let socket = null, flowSocket = null, retryMs = 1000, retryTimer = null, partialTimer = null, holdTimer = null;
  let frameDue = false, tablesDrawnAt = 0, tablesDue = false;
  let firstDrawMs = null, snapshotSeen = false, holdsExpired = 0, updatesApplied = 0, lastBatchMs = 0;
  let snapshotFirstMs = null, snapshotInMs = null; // the first feed message, and the snapshot's status, received (page time)
  let readMs = 0, applyMs = 0;  // main thread time spent reading feed messages and applying them, summed
  let retentionFrom = null;    // the oldest flow time the flows topic still holds (ms)
  let generation = 0;          // bumped per view change: late answers to an older view are dropped
  const drawnRows = new Map(); // a table's tbody -> (row key -> {look, tr}) of its last drawing
  // Each edge's figures as parts that never overlap (README, /ws/topology): a settled sum (the snapshot's, or a
  // range's answer) and the latest state of each window still open. What the map and the tables show is their
  // sum, so the Flows column keeps one meaning (flows since the snapshot's start) as updates arrive.
  const parts = new Map();     // edge id -> {settled: EdgeStats or null, windows: Map window_start -> EdgeUpdate}
  let settledBefore = null;    // windows ending at or before this (server time, ms) are in the settled sums
  let settleLagMs = 0, serverClockMs = 0, flowsSince = null;

  HT.onNamespace = function (ns) {
    if (namespaces.has(ns)) return;
    namespaces.add(ns);
    const option = document.createElement('option');
    option.value = ns;
    option.textContent = ns;
    document.getElementById('namespace').appendChild(option);
    if (ns === state.namespace) document.getElementById('namespace').value = ns;
  };

  /**
   * Queues a feed message. Edge and link changes are keyed, so a burst on one edge keeps only its latest state
   * (in the place of its first, so a busy edge is not pushed back for ever) and the queue stays bounded by the
   * edges there are. A control message (reset, snapshot, drawn) starts a new stretch: a change after it does not
   * take the place of one before it (a reset would drop it), it replaces that one at the end of the queue.
   */
  function enqueue(m) {
    const key = queueKey(m);
    const queued = key === null ? undefined : queue.get(key);
    if (queued !== undefined && queued.seq > lastControlSeq) {
      queued.m = m;
      updatesCoalesced++;
    } else {
      queueSeq++;
      if (key === null) lastControlSeq = queueSeq;
      if (queued !== undefined) queue.delete(key);
      queue.set(key === null ? 'c:' + queueSeq : key, { seq: queueSeq, m: m });
    }
    if (!frameDue) {
      frameDue = true;
      requestAnimationFrame(flush);
    }
  }

  function queueKey(m) {
    // Per edge and window: the last state of a window that just closed is not replaced by the next window's first.
    if (m.type === 'edge') return 'e:' + map.edgeId(m.src, m.dst, m.edge || {}) + '@' + ((m.edge || {}).window_start || '');
    if (m.type === 'link') return 'l:' + m.src + '/' + m.dst;
    return null;
  }

  function apply(m) {
    if (m.type === 'edge') {
      const e = figures(m);
      if (e === null) return 0;
      map.putEdge(m.src, m.dst, e.state || m.state, e);
      return 1;
    } else if (m.type === 'link') {
      if (m.state === 'removed') links.delete(m.src + '/' + m.dst); else links.set(m.src + '/' + m.dst, m.link);
      return 1;
    } else if (m.type === 'snapshot') {
      api.notePartial('the live map', m);
      if (m.open_from && m.as_of) {
        // The server's clock, not the browser's, decides which windows are settled.
        settledBefore = Date.parse(m.open_from);
        settleLagMs = Date.parse(m.as_of) - settledBefore;
        serverClockMs = Date.parse(m.as_of) - Date.now();
        flowsSince = m.from;
        tablesDue = true;
      }
      if (m.partial) askSnapshotAgainSoon();
      map.endHold();
      return -1;
    } else if (m.type === 'reset') {
      clearMap();
      links.clear();
    } else if (m.type === 'drawn') {
      map.endHold();
      return -1;
    }
    return 0;
  }

  /**
   * An edge message's figures added to what the page holds of the edge: one without window_start is the settled
   * sum, one with it replaces its window's state. Null for an update of a window already settled: it is in the
   * settled sum as it stood (only a pipeline further behind than the grace sends one).
   */
  function figures(m) {
    const e = m.edge || {};
    const id = map.edgeId(m.src, m.dst, e);
    let p = parts.get(id);
    if (!p) {
      p = { settled: null, windows: new Map() };
      parts.set(id, p);
    }
    if (!e.window_start) {
      p.settled = e;
    } else {
      if (settledBefore !== null && Date.parse(e.window_end) <= settledBefore) return null;
      p.windows.set(e.window_start, e);
    }
    return summed(p);
  }

  /** The parts of one edge as one EdgeStats. */
  function summed(p) {
    const all = p.settled ? [p.settled] : [];
    for (const w of p.windows.values()) all.push(w);
    return sumOf(all);
  }

  /**
   * Edge figures added up: counts summed, nodes joined, the latest last_seen, and the state by the server's rule. One
   * part is shown as it came (most edges, most of the time): no copy on the path every update takes.
   */
  function sumOf(all) {
    if (all.length === 1) return all[0];
    const out = Object.assign({}, all[all.length - 1]);
    out.window_start = undefined;   // a sum of windows is none of them
    out.window_end = undefined;
    let flows = 0, forwarded = 0, dropped = 0, last = -Infinity;
    const reasons = {}, nodes = new Set();
    for (const e of all) {
      flows += e.flows || 0;
      forwarded += e.forwarded || 0;
      dropped += e.dropped || 0;
      for (const [reason, n] of Object.entries(e.drop_reasons || {})) reasons[reason] = (reasons[reason] || 0) + n;
      for (const n of e.nodes || []) nodes.add(n);
      const seen = Date.parse(e.last_seen || '');
      if (seen > last) {
        last = seen;
        out.last_seen = e.last_seen;
      }
    }
    out.flows = flows;
    out.forwarded = forwarded;
    out.dropped = dropped;
    out.drop_reasons = reasons;
    out.nodes = Array.from(nodes).sort();
    out.state = dropped === 0 ? 'forwarded' : forwarded === 0 ? 'dropped' : 'mixed';
    return out;
  }

  /**
   * Folds the windows that have settled since the snapshot into their edge's settled sum (by the snapshot's own
   * rule, on the server's clock), so an open page holds a few windows per edge, not one per minute it was open.
   * The sums shown do not change: the same parts, grouped differently.
   */
  function settleWindows() {
    if (settledBefore === null) return;
    settledBefore = Math.max(settledBefore, Date.now() + serverClockMs - settleLagMs);
    for (const p of parts.values()) {
      let ended = null;
      for (const [start, w] of p.windows) {
        if (Date.parse(w.window_end) > settledBefore) continue;
        if (ended === null) ended = p.settled ? [p.settled] : [];
        ended.push(w);
        p.windows.delete(start);
      }
      if (ended !== null) p.settled = sumOf(ended);
    }
  }

  /**
   * Clears the map, which then holds its drawing until the snapshot (or the range's answer) is in. A feed that sends
   * no snapshot status (an older server, a failure while it was read) sends only changes: once MAX_HOLD_MS pass
   * without a part of a snapshot, the map draws what it has anyway.
   */
  function clearMap() {
    map.clear();
    parts.clear();
    settledBefore = null;
    flowsSince = null;
    holdDrawing();
  }

  /**
   * (Re)starts the wait before the map draws a snapshot that has not ended. Counted from the last part that came,
   * not from the start: a snapshot of 10,000 edges can take longer than MAX_HOLD_MS to arrive, and drawing it
   * while it still streams in made it arrive later still.
   */
  function holdDrawing() {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = setTimeout(function () {
      holdTimer = null;
      if (map.isHeld()) holdsExpired++;
      map.endHold();
      if (!frameDue) {
        frameDue = true;
        requestAnimationFrame(flush);
      }
    }, MAX_HOLD_MS);
  }

  /** Applies queued messages for at most FRAME_BUDGET_MS, then hands the rest to the next frame. */
  function flush() {
    frameDue = false;
    const started = performance.now();
    // While the map holds its drawing (a snapshot coming in) nothing is drawn between frames: take longer turns.
    const budget = map.isHeld() ? HELD_BUDGET_MS : FRAME_BUDGET_MS;
    let applied = 0, snapshotDone = false, n = 0;
    cy.startBatch();
    try {
      for (const [key, entry] of queue) {
        // performance.now() costs more than applying a message: look at the clock every 32 of them.
        if ((++n & 31) === 0 && performance.now() - started >= budget) break;
        queue.delete(key);
        const done = apply(entry.m);
        if (done > 0) applied += done; else if (done < 0) snapshotDone = true;
      }
    } finally {
      cy.endBatch();
    }
    map.commit();
    applyMs += performance.now() - started;
    if (applied > 0) {
      updatesApplied += applied;
      lastBatchMs = performance.now() - started;
    }
    if (snapshotDone) {
      snapshotSeen = true;
      map.fit();
      if (firstDrawMs === null) {
        requestAnimationFrame(function () { firstDrawMs = Math.round(performance.now()); });
      }
      restoreSelection();
    }
    if (queue.size > 0) {
      frameDue = true;
      requestAnimationFrame(flush);
    }
    if (flowQueue.length > 0) {
      flows = flowQueue.reverse().concat(flows).slice(0, state.flows);
      flowQueue = [];
      tablesDue = true;
    }
    if (applied > 0) tablesDue = true;
    drawTablesSoon();
  }

  function drawTablesSoon() {
    // While a snapshot comes in the tables would be redrawn twice a second from a model still filling (at 10,000
    // edges that was most of the page's main thread before its first draw): they wait for the map's drawing.
    if (!tablesDue || map.isHeld()) return;
    const wait = tablesDrawnAt + TABLES_EVERY_MS - performance.now();
    if (wait > 0) {
      setTimeout(drawTablesSoon, wait);
      return;
    }
    tablesDue = false;
    tablesDrawnAt = performance.now();
    renderTables();
  }

  function visibleEdgeCount() {
    let n = 0;
    for (const m of map.edges.values()) if (m.mark !== 'gone') n++;
    return n;
  }

  /**
   * The `n` edges seen last, newest first (equal times in the map's order): one pass that keeps only the newest
   * `n` in order, instead of copying and sorting every edge twice a second. last_seen is an ISO instant, so plain
   * string comparison orders it (localeCompare would cost ~100 ms at 10,000 edges).
   */
  function latestEdges(n) {
    const top = [], times = [];
    for (const m of map.edges.values()) {
      if (m.mark === 'gone') continue;
      const t = String(m.e.last_seen || '');
      if (top.length === n && t <= times[n - 1]) continue;
      let lo = 0, hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid] >= t) lo = mid + 1; else hi = mid;
      }
      top.splice(lo, 0, m);
      times.splice(lo, 0, t);
      if (top.length > n) {
        top.pop();
        times.pop();
      }
    }
    return top;
  }

  function renderTables() {
    const cell = panels.cell;
    const latest = latestEdges(LATEST_ROWS);
    syncRows(document.querySelector('#edges tbody'), latest.map(function (m) {
      const className = m.state + (m.mark ? ' ' + m.mark : '');
      return { key: m.id, look: className + '|' + m.e.flows, build: function () {
        const tr = document.createElement('tr');
        tr.className = className;
        tr.dataset.edge = m.id;
        cell(tr, map.nodeParts(m.src).label);
        cell(tr, map.nodeParts(m.dst).label);
        cell(tr, (m.e.protocol || '') + '/' + (m.e.port || 0));
        cell(tr, m.e.flows);
        cell(tr, m.state);
        return tr;
      } };
    }));
    document.querySelector('#links tbody').replaceChildren.apply(document.querySelector('#links tbody'), linkRows(function () { return true; }));
    const down = Array.from(links.values()).filter(isDown).length;
    const nodes = new Set(Array.from(links.values()).map(function (l) { return l.node; }));
    document.getElementById('links-status').textContent = '(' + nodes.size + ' nodes, ' + links.size + ' interfaces, ' + down + ' down)';
    syncRows(document.querySelector('#flows tbody'), flows.map(function (f) {
      return { key: f, look: '', build: function () { return panels.flowRow(f, true); } };
    }));
    document.getElementById('edges-status').textContent = state.range !== 'live' ? '(flows over the range)'
      : flowsSince ? '(flows since ' + flowsSince.substring(11, 19) + ' UTC)' : '';
    document.getElementById('flows-status').textContent = state.range === 'live'
      ? '(last ' + flows.length + (flowsSkipped > 0 ? ', ' + flowsSkipped + ' skipped' : '') + ')'
      : '(' + flows.length + ' newest of the range' + flowsNote + ')';
    document.getElementById('stats').textContent = map.nodeCount() + ' workloads, ' + visibleEdgeCount() + ' edges'
      + (map.collapsedCount() > 0 ? ', ' + map.collapsedCount() + ' namespaces collapsed' : '');
  }

  /**
   * Shows `rows` ({key, look, build}) in `tbody`, reusing the row drawn last time for the same key and look, and
   * touching the DOM only if the rows or their order changed: a table of 200 rows redrawn twice a second would
   * otherwise build 1,000 cells each time, most of them the same as before.
   */
  function syncRows(tbody, rows) {
    const before = drawnRows.get(tbody) || new Map();
    const now = new Map();
    const trs = rows.map(function (r) {
      const old = before.get(r.key);
      const tr = old && old.look === r.look ? old.tr : r.build();
      now.set(r.key, { look: r.look, tr: tr });
      return tr;
    });
    drawnRows.set(tbody, now);
    const children = tbody.children;
    if (children.length === trs.length && trs.every(function (tr, i) { return children[i] === tr; })) return;
    tbody.replaceChildren.apply(tbody, trs);
  }
  function isDown(l) {
    return l.state !== 'up' && l.state !== 'unknown';
  }

  /** Link state rows (node, interface, state, carrier, speed), down ones marked, for the links `keep` admits. */
  function linkRows(keep) {
    return Array.from(links.values()).filter(keep).sort(function (a, b) {
      return (a.node + '/' + a.name).localeCompare(b.node + '/' + b.name);
    }).map(function (l) {
      const tr = document.createElement('tr');
      panels.cell(tr, l.node);
      panels.cell(tr, l.name);
      panels.cell(tr, l.state, isDown(l) ? 'down' : '');
      panels.cell(tr, l.carrier);
      panels.cell(tr, l.speed);
      return tr;
    });
  }
  HT.linkRows = linkRows;

  function setStatus(s) {
    const el = document.getElementById('connection');
    el.className = 'status ' + s;
    el.textContent = s;
  }

  function wsUrl(path, params) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + location.host + api.url(path, params);
  }

  function connect() {
    retryTimer = null;
    setStatus('connecting');
    // Batched: the snapshot's thousands of edges come in a few messages, each parsed once; in summary: the figures
    // the page draws and sums, about half the bytes to read (README, /ws/topology).
    const s = new WebSocket(wsUrl('/ws/topology', { namespace: state.namespace, verdict: state.verdict, snapshot: 'batched',
      detail: 'summary' }));
    socket = s;
    s.onopen = function () {
      retryMs = 1000;
      setStatus('connected');
      enqueue({ type: 'reset' });   // a fresh snapshot follows: it replaces what the page had
    };
    s.onmessage = function (event) {
      const started = performance.now();
      try {
        if (snapshotFirstMs === null) snapshotFirstMs = Math.round(started);
        const m = JSON.parse(event.data);
        if (m.type === 'batch') {
          if (m.state === 'snapshot' && map.isHeld()) holdDrawing();
          for (const one of m.messages) enqueue(one);
        } else {
          if (m.type === 'snapshot' && snapshotInMs === null) snapshotInMs = Math.round(performance.now());
          enqueue(m);
        }
      } catch (e) {
        // not a message of ours: ignore it
      }
      readMs += performance.now() - started;
    };
    s.onclose = function () {
      if (socket !== s) return;
      socket = null;
      setStatus('disconnected');
      // Backoff with jitter, so that many pages do not all come back in the same instant.
      retryTimer = setTimeout(connect, retryMs * (0.75 + Math.random() * 0.5));
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
  }

  /**
   * A partial snapshot stays partial: the updates that follow carry only the edges that change, and a quiet edge
   * of a missing partition would never appear (nor the banner go). So, while it is partial, the page asks for a
   * fresh snapshot every few seconds (a rebalance or a restarting instance usually settles within seconds).
   */
  function askSnapshotAgainSoon() {
    if (partialTimer) return;
    const mine = generation;
    partialTimer = setTimeout(function () {
      partialTimer = null;
      if (mine !== generation || state.range !== 'live' || socket === null || socket.readyState !== WebSocket.OPEN) return;
      const old = socket;
      socket = null;   // its close is ours: no "disconnected", no backoff
      old.close();
      connect();
    }, PARTIAL_RETRY_MS);
  }

  function connectFlows() {
    const s = new WebSocket(wsUrl('/ws/flows', { namespace: state.namespace, verdict: state.verdict }));
    flowSocket = s;
    s.onmessage = function (event) {
      try {
        const m = JSON.parse(event.data);
        if (m.type === 'flow') {
          flowQueue.push(m);
          if (flowQueue.length > state.flows) flowQueue.shift();
          if (!frameDue) {
            frameDue = true;
            requestAnimationFrame(flush);
          }
        } else if (m.type === 'skipped') {
          flowsSkipped += m.count;
        }
      } catch (e) {
        // not a message of ours: ignore it
      }
    };
    s.onclose = function () {
      if (flowSocket !== s) return;
      flowSocket = null;
      setTimeout(function () { if (state.range === 'live' && flowSocket === null) connectFlows(); }, retryMs);
    };
  }

  function closeFeeds() {
    const s = socket, f = flowSocket;
    socket = null;
    flowSocket = null;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (partialTimer) clearTimeout(partialTimer);
    partialTimer = null;
    if (s) s.close();
    if (f) f.close();
  }

  /** Shows the state's range: the live feeds, or the REST answers for it (and, comparing, the range before). */
  function showRange() {
    generation++;
    const mine = generation;
    closeFeeds();
    queue = new Map();
    flows = [];
    flowQueue = [];
    flowsSkipped = 0;
    flowsNote = '';
    snapshotSeen = false;
    clearMap();
    links.clear();
    api.notePartial('the live map', null);
    api.notePartial('the map', null);
    api.notePartial('the previous range', null);
    document.getElementById('changes-panel').hidden = true;
    drawRangeControl();
    if (state.range === 'live') {
      connect();
      connectFlows();
      return;
    }
    setStatus('paused');
    const filters = { namespace: state.namespace, verdict: state.verdict };
    const current = api.get('/api/v1/topology', Object.assign({}, filters, HT.range.params()));
    current.then(function (answer) {
      if (mine !== generation) return;
      api.notePartial('the map', answer);
      for (const l of answer.links) enqueue({ type: 'edge', src: l.src, dst: l.dst, state: l.state, edge: l });
      enqueue({ type: 'drawn' });
      if (state.compare) compare(answer, filters, mine);
    }).catch(showError);
    api.get('/api/v1/flows', Object.assign({ limit: state.flows, namespace: state.namespace,
      verdict: state.verdict }, HT.range.flowParams())).then(function (page) {
      if (mine !== generation) return;
      flows = page.flows;
      flowsNote = page.truncated ? ', search stopped at ' + page.truncated_reason : '';
      tablesDue = true;
      drawTablesSoon();
    }).catch(showError);
    loadLinks(mine);
  }

  function loadLinks(mine) {
    api.get('/api/v1/links').then(function (answer) {
      if (mine !== generation) return;
      api.notePartial('the link states', answer);
      for (const l of answer.links) links.set(l.node + '/' + l.name, l);
      tablesDue = true;
      drawTablesSoon();
    }).catch(showError);
  }

  function showError(e) {
    const banner = document.getElementById('partial');
    banner.hidden = false;
    banner.textContent = String(e.message || e);
  }

  /** Marks the edges new in this range against the one of the same length just before it, and lists both kinds. */
  function compare(answer, filters, mine) {
    const from = Date.parse(answer.from), to = Date.parse(answer.to);
    const before = { from: HT.range.iso(from - (to - from)), to: HT.range.iso(from) };
    api.get('/api/v1/topology', Object.assign({}, filters, before)).then(function (previous) {
      if (mine !== generation) return;
      api.notePartial('the previous range', previous);
      const now = new Set(answer.links.map(function (l) { return map.edgeId(l.src, l.dst, l); }));
      const then = new Set(previous.links.map(function (l) { return map.edgeId(l.src, l.dst, l); }));
      const added = Array.from(now).filter(function (id) { return !then.has(id); });
      const gone = previous.links.filter(function (l) { return !now.has(map.edgeId(l.src, l.dst, l)); });
      // Marks are set once the range's own edges are drawn.
      requestAnimationFrame(function waitForEdges() {
        if (mine !== generation) return;
        if (Array.from(queue.values()).some(function (q) { return q.m.type === 'edge'; })) {
          requestAnimationFrame(waitForEdges);
          return;
        }
        map.setMarks(added, gone);
        listChanges(added, gone, before);
        tablesDue = true;
        drawTablesSoon();
      });
    }).catch(showError);
  }

  function listChanges(added, gone, before) {
    const cell = panels.cell;
    const rows = [];
    const row = function (change, m) {
      const tr = document.createElement('tr');
      tr.className = change;
      tr.dataset.edge = m.id;
      cell(tr, change);
      cell(tr, map.nodeParts(m.src).label);
      cell(tr, map.nodeParts(m.dst).label);
      cell(tr, (m.e.protocol || '') + '/' + (m.e.port || 0));
      cell(tr, m.e.flows);
      rows.push(tr);
    };
    for (const id of added) if (map.edges.has(id)) row('new', map.edges.get(id));
    for (const g of gone) row('gone', map.edges.get(map.edgeId(g.src, g.dst, g)));
    document.querySelector('#changes tbody').replaceChildren.apply(document.querySelector('#changes tbody'), rows);
    document.getElementById('changes-status').textContent = '(' + added.length + ' new, ' + gone.length
      + ' gone against ' + before.from.substring(11, 19) + '-' + before.to.substring(11, 19) + ' UTC)';
    document.getElementById('changes-panel').hidden = false;
  }

  // The range control: a preset, or from-to, and a scrubber that slides the range's length along the retention.
  function drawRangeControl() {
    document.getElementById('range').value = state.range;
    document.getElementById('custom-range').hidden = state.range !== 'custom';
    document.getElementById('compare').checked = state.compare;
    document.getElementById('compare').disabled = state.range === 'live';
    document.getElementById('compare').parentElement.title = state.range === 'live'
      ? 'pick a range to compare it with the one before' : 'mark the edges that are new or gone against the range just before this one';
    const span = HT.range.span();
    if (state.range === 'custom') {
      document.getElementById('from').value = state.from;
      document.getElementById('to').value = state.to;
    }
    const oldest = retentionFrom !== null ? retentionFrom : span.from;
    const now = Date.now();
    const scrubber = document.getElementById('scrubber');
    scrubber.value = String(Math.round(1000 * Math.max(0, Math.min(1, (span.to - oldest) / Math.max(1, now - oldest)))));
    document.getElementById('range-label').textContent = state.range === 'live' ? 'live'
      : HT.range.iso(span.from).substring(5, 16).replace('T', ' ') + ' - ' + HT.range.iso(span.to).substring(5, 16).replace('T', ' ') + ' UTC'
        + (retentionFrom !== null ? ' (retention from ' + HT.range.iso(retentionFrom).substring(5, 16).replace('T', ' ') + ')' : '');
  }

  function scrub() {
    const span = HT.range.span();
    const length = span.to - span.from;
    const now = Date.now();
    const oldest = retentionFrom !== null ? retentionFrom : now - 24 * 3600e3;
    const end = Math.max(oldest + length, oldest + (now - oldest) * parseInt(document.getElementById('scrubber').value, 10) / 1000);
    state.range = 'custom';
    state.to = HT.range.iso(Math.min(now, end));
    state.from = HT.range.iso(Math.min(now, end) - length);
    viewChanged();
  }

  function loadRetention() {
    // Every flows answer says how far back the flows topic goes: ask for one flow, oldest first.
    api.get('/api/v1/flows', { since: '7d', limit: 1, order: 'oldest' }).then(function (page) {
      if (page.earliest_available) retentionFrom = Date.parse(page.earliest_available);
      drawRangeControl();
    }).catch(function () { /* the scrubber then spans the range itself */ });
  }

  function viewChanged() {
    HT.saveState();
    showRange();
    if (state.view === 'drops') panels.openDrops();
  }

  let selectionRestored = false;
  function restoreSelection() {
    if (selectionRestored) return;
    selectionRestored = true;
    if (state.edge) panels.openEdge(state.edge);
    else if (state.workload) panels.openWorkload(state.workload);
  }

  document.getElementById('range').addEventListener('change', function (event) {
    const value = event.target.value;
    if (value === 'custom') {
      const span = HT.range.span();
      state.from = HT.range.iso(span.from);
      state.to = HT.range.iso(span.to);
    }
    state.range = value;
    viewChanged();
  });
  document.getElementById('apply-range').addEventListener('click', function () {
    const from = document.getElementById('from').value.trim(), to = document.getElementById('to').value.trim();
    if (!(Date.parse(from) < Date.parse(to))) {
      showError('The range needs from before to, both as RFC 3339 times such as 2026-12-02T02:00:00Z.');
      return;
    }
    state.range = 'custom';
    state.from = from;
    state.to = to;
    viewChanged();
  });
  document.getElementById('scrubber').addEventListener('change', scrub);
  document.getElementById('compare').addEventListener('change', function (event) {
    state.compare = event.target.checked;
    viewChanged();
  });
  document.getElementById('namespace').addEventListener('change', function (event) {
    state.namespace = event.target.value;
    policyButtonState();
    viewChanged();
  });
  document.getElementById('verdict').addEventListener('change', function (event) {
    state.verdict = event.target.value;
    viewChanged();
  });
  document.getElementById('drops-toggle').addEventListener('click', panels.openDrops);
  // A larger window shows the same map larger (cytoscape follows the container's size; the zoom is the page's).
  // cy.resize() first: cytoscape's own listener may not have measured the new size yet.
  window.addEventListener('resize', function () { cy.resize(); map.fit(); });

  cy.on('tap', 'edge', function (event) {
    const id = event.target.id();
    if (id.startsWith('agg:')) return;   // an edge of a collapsed namespace: open the namespace to see its edges
    panels.openEdge(id);
  });
  cy.on('tap', 'node', function (event) {
    const n = event.target;
    if (n.hasClass('collapsed') || (n.hasClass('namespace') && map.isBig(n.data('namespace')))) {
      map.toggleNamespace(n.data('namespace'));
    } else if (!n.hasClass('namespace')) {
      panels.openWorkload(n.id());
    }
  });

  // The suggested policies of the selected namespace: shown as the API wrote them, and downloadable as they are.
  let policyUrl = null;
  function showPolicies() {
    const ns = state.namespace;
    if (!ns) return;
    const pre = document.getElementById('policy-yaml');
    const download = document.getElementById('policy-download');
    document.getElementById('policy-title').textContent = 'Suggested policies for ' + ns;
    pre.textContent = 'asking...';
    download.hidden = true;
    const dialog = document.getElementById('policy-dialog');
    if (!dialog.open) dialog.showModal();
    fetch(api.url('/api/v1/policies', { namespace: ns, last: document.getElementById('policy-range').value })).then(function (r) {
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
    button.disabled = !state.namespace;
    button.title = button.disabled ? 'pick a namespace first' : 'CiliumNetworkPolicies suggested by this namespace\'s traffic';
  }
  document.getElementById('policies').addEventListener('click', showPolicies);
  document.getElementById('policy-range').addEventListener('change', showPolicies);
  document.getElementById('policy-close').addEventListener('click', function () { document.getElementById('policy-dialog').close(); });

  // For the browser console, browser tests and the page benchmark: the graph and what the page has done.
  window.hubbleTopology = {
    cy: cy,
    stats: function () {
      return { nodes: map.nodeCount(), edges: visibleEdgeCount(), collapsedNamespaces: map.collapsedCount(),
        firstDrawMs: firstDrawMs, snapshotFirstMs: snapshotFirstMs, snapshotInMs: snapshotInMs, readMs: Math.round(readMs), applyMs: Math.round(applyMs), updatesApplied: updatesApplied, updatesCoalesced: updatesCoalesced, lastBatchMs: lastBatchMs, partial: api.isPartial(),
        range: state.range === 'custom' ? { from: state.from, to: state.to } : state.range, snapshot: snapshotSeen, holdsExpired: holdsExpired,
        flowsSince: flowsSince };
    }
  };

  api.get('/api/v1/namespaces').then(function (answer) {
    for (const n of answer.namespaces) HT.onNamespace(n.name);
  }).catch(function () { /* the map adds namespaces as it sees them */ });
  document.getElementById('verdict').value = state.verdict;
  policyButtonState();
  loadRetention();
  setInterval(settleWindows, 10000);
  showRange();
  if (state.view === 'drops') panels.openDrops();
})();
