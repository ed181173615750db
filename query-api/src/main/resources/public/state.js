// The page's whole view in its URL (range, filters, selection, opened namespaces), so that a copied link opens
// the same view in a fresh page. Only this file reads or writes location.search.
(function () {
  'use strict';

  const PRESETS = { '5m': 5 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3 };
  const LIVE_SPAN_MS = 15 * 60e3;   // what "live" means for REST questions (the edges' snapshot, the drops view)
  const params = new URLSearchParams(location.search);

  function list(name) {
    return (params.get(name) || '').split(',').filter(function (s) { return s !== ''; });
  }

  const initialRange = PRESETS[params.get('range')] || params.get('range') === 'custom' ? params.get('range') : 'live';
  const state = {
    token: params.get('token'),
    flows: Math.max(1, parseInt(params.get('flows') || '200', 10) || 200),
    collapseAt: Math.max(1, parseInt(params.get('collapse') || '25', 10) || 25),
    range: initialRange === 'custom' && !(Date.parse(params.get('from')) < Date.parse(params.get('to'))) ? 'live' : initialRange,
    from: params.get('from') || '',
    to: params.get('to') || '',
    namespace: params.get('namespace') || '',
    verdict: params.get('verdict') || '',
    compare: params.get('compare') === '1',
    edge: params.get('edge') || '',
    workload: params.get('workload') || '',
    view: params.get('view') || '',
    open: new Set(list('open'))
  };

  /** The range as absolute times (ms), computed now: live and the presets end now. */
  function span() {
    if (state.range === 'custom') {
      return { from: Date.parse(state.from), to: Date.parse(state.to) };
    }
    const now = Date.now();
    return { from: now - (PRESETS[state.range] || LIVE_SPAN_MS), to: now };
  }

  /** The range as /api/v1/topology and /api/v1/edges parameters. */
  function rangeParams() {
    if (state.range === 'custom') return { from: state.from, to: state.to };
    return { last: state.range === 'live' ? LIVE_SPAN_MS / 60e3 + 'm' : state.range };
  }

  /** The range as /api/v1/flows parameters (since/until). */
  function flowRangeParams() {
    if (state.range === 'custom') return { since: state.from, until: state.to };
    return { since: state.range === 'live' ? LIVE_SPAN_MS / 60e3 + 'm' : state.range };
  }

  /** Writes the state into the address bar without a reload or a history entry per click. */
  function save() {
    const q = new URLSearchParams();
    if (state.token) q.set('token', state.token);
    if (params.get('flows')) q.set('flows', String(state.flows));
    if (params.get('collapse')) q.set('collapse', String(state.collapseAt));
    if (state.range !== 'live') q.set('range', state.range);
    if (state.range === 'custom') {
      q.set('from', state.from);
      q.set('to', state.to);
    }
    if (state.namespace) q.set('namespace', state.namespace);
    if (state.verdict) q.set('verdict', state.verdict);
    if (state.compare) q.set('compare', '1');
    if (state.edge) q.set('edge', state.edge);
    if (state.workload) q.set('workload', state.workload);
    if (state.view) q.set('view', state.view);
    if (state.open.size > 0) q.set('open', Array.from(state.open).sort().join(','));
    const search = q.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  function iso(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  window.HT = window.HT || {};
  window.HT.state = state;
  window.HT.range = { PRESETS: PRESETS, span: span, params: rangeParams, flowParams: flowRangeParams, iso: iso };
  window.HT.saveState = save;
})();
