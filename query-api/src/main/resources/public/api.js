// Asking the REST API, and keeping track of which of the answers on screen were partial (the banner says which
// part lacks what, from each answer's `missing`).
(function () {
  'use strict';

  const state = window.HT.state;
  const partialParts = new Map();   // what the user sees (e.g. "map") -> the missing parts of its answer

  function url(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    if (state.token) q.set('token', state.token);
    const s = q.toString();
    return path + (s ? '?' + s : '');
  }

  /** GET a JSON answer; a non-2xx answer rejects with the API's own error text. */
  function get(path, params) {
    return fetch(url(path, params)).then(function (r) {
      return r.text().then(function (text) {
        if (!r.ok) throw new Error(path + ' answered ' + r.status + ': ' + text);
        return JSON.parse(text);
      });
    });
  }

  function describe(missing) {
    return (missing || []).map(function (m) {
      // No partitions named: nothing could be read there yet (the processor is starting).
      return (m.partitions.length > 0 ? 'partitions ' + m.partitions.join(',') : 'everything') + ' on ' + m.instance + ' (' + m.reason + ')';
    }).join('; ') || 'a part the server did not name';
  }

  /** Records whether the answer shown as `part` was partial, and redraws the banner. */
  function notePartial(part, answer) {
    if (answer && answer.partial) {
      partialParts.set(part, describe(answer.missing));
    } else {
      partialParts.delete(part);
    }
    const banner = document.getElementById('partial');
    banner.hidden = partialParts.size === 0;
    banner.textContent = partialParts.size === 0 ? '' : 'Partial: what you see undercounts. '
      + Array.from(partialParts.entries()).map(function (e) { return e[0] + ' lacks ' + e[1]; }).join('. ') + '.';
  }

  window.HT.api = {
    url: url,
    get: get,
    notePartial: notePartial,
    isPartial: function () { return partialParts.size > 0; }
  };
})();
