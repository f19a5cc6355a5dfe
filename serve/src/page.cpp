// SPDX-License-Identifier: Apache-2.0
// The live page of `itsim serve`: one HTML document with the charting libraries inlined
// (the board pack's generated assets), the controls built from /api/levers, and a script
// that posts lever changes and polls /api/result, showing the board pack's answer, KPI
// table and charts as replications finish.
#include <span>
#include <string>
#include <string_view>

#include "itsim/report/html_report.hpp"
#include "itsim/serve/service.hpp"

namespace itsim::report::detail {
// Defined in the report library's generated chart_assets.cpp (report/CMakeLists.txt).
std::span<const std::string_view> asset_vega();
std::span<const std::string_view> asset_vega_lite();
std::span<const std::string_view> asset_vega_embed();
} // namespace itsim::report::detail

namespace itsim::serve {

namespace {

constexpr std::string_view css = R"(
body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;line-height:1.4}
header{background:#1f3b57;color:#fff;padding:.6rem 1.2rem}header h1{font-size:1.3rem;margin:0}
header .meta{color:#c9d6e3;font-size:.85rem}
main{display:flex;gap:1.2rem;padding:0 1.2rem}
#controls{flex:0 0 19rem;padding-top:.8rem}#board{flex:1;min-width:0;max-width:62rem}
.lever{margin:.2rem 0 .9rem}.lever label{display:block;font-size:.9rem;font-weight:bold}
.lever input[type=range]{width:13rem;vertical-align:middle}.lever output{font-family:monospace;margin-left:.4rem}
.lever select{font-size:.9rem}.lever .error{color:#b42318;font-size:.8rem;display:block}
#status{font-size:.85rem;color:#444;margin:.6rem 0}#status progress{width:13rem;vertical-align:middle}
#downloads a{display:inline-block;margin:.2rem .4rem .2rem 0;padding:.25rem .6rem;border:1px solid #2b6cb0;
border-radius:4px;color:#2b6cb0;text-decoration:none;font-size:.85rem}
#request-error{color:#b42318;font-size:.85rem}
h2{font-size:1.15rem;margin-top:1.4rem;border-bottom:1px solid #ddd}.meta{color:#666;font-size:.85rem}
.answer{font-size:1.2rem;background:#f3f7fb;border-left:4px solid #2b6cb0;padding:.7rem 1rem;margin:1rem 0 .4rem}
.caveats{color:#8a4b00;font-size:.95rem;margin-top:.2rem}
table{border-collapse:collapse;font-size:.82rem;margin:.5rem 0}th,td{border-bottom:1px solid #e5e5e5;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child{text-align:left}thead th{background:#f6f6f6}
.ci{color:#777;font-size:.9em}.diff{font-size:.85em;color:#666}.diff.better{color:#1b7f3b}.diff.worse{color:#b42318}
.failed{color:#b42318;font-weight:bold}section.chart{margin:1rem 0}section.chart .caption{color:#555;font-size:.85rem;margin:.2rem 0 .4rem}
.hidden-model{display:none}
)";

constexpr std::string_view script = R"JS(
(function(){
'use strict';
var levers = [], job = null, have = -1, timer = null, shown = 'all', boardReps = 0;
var $ = function(id){ return document.getElementById(id); };
function values(){
  var v = {};
  levers.forEach(function(l){
    var e = l.kind === 'show' ? $('lever-show-models') : $('lever-' + l.id);
    v[l.id] = l.kind === 'range' ? Number(e.value) : e.value;
  });
  return v;
}
function setUrl(v){
  var q = new URLSearchParams();
  Object.keys(v).forEach(function(k){ q.set(k, String(v[k])); });
  history.replaceState(null, '', '?' + q.toString());
}
function showErrors(errors){
  document.querySelectorAll('.lever .error').forEach(function(e){ e.textContent = ''; });
  $('request-error').textContent = '';
  (errors || []).forEach(function(e){
    var span = e.lever ? $('error-' + e.lever) : null;
    (span || $('request-error')).textContent = e.message;
  });
}
function applyShow(){
  var sel = $('lever-show-models');
  shown = sel ? sel.value : 'all';
  var table = document.querySelector('#board table.kpi');
  if (!table) return;
  var heads = table.querySelectorAll('thead th');
  var hide = [];
  heads.forEach(function(th, i){
    var m = th.textContent.replace(' (baseline)', '');
    var base = th.textContent.indexOf('(baseline)') >= 0;
    hide[i] = i >= 2 && shown !== 'all' && !base && m !== shown;
    th.classList.toggle('hidden-model', hide[i]);
  });
  table.querySelectorAll('tbody tr').forEach(function(tr){
    Array.prototype.forEach.call(tr.children, function(td, i){ td.classList.toggle('hidden-model', !!hide[i]); });
  });
}
function filterSpec(spec){
  if (shown === 'all') return spec;
  var s = JSON.parse(JSON.stringify(spec));
  (function walk(o){
    if (!o || typeof o !== 'object') return;
    if (o.data && Array.isArray(o.data.values) && o.data.values.length && 'model' in o.data.values[0])
      o.data.values = o.data.values.filter(function(r){ return r.model === shown || r.model === window.itsimBaseline; });
    ['layer','vconcat','hconcat','concat'].forEach(function(k){ if (Array.isArray(o[k])) o[k].forEach(walk); });
    if (o.spec) walk(o.spec);
  })(s);
  return s;
}
var lastBoard = null;
function render(board){
  lastBoard = board;
  $('board-body').innerHTML = board.html || '';
  applyShow();
  var charts = board.charts || [];
  var done = charts.map(function(c){
    return vegaEmbed('#' + c.id, filterSpec(c.spec), {actions:false, renderer:'svg'});
  });
  Promise.all(done).then(function(){
    document.body.setAttribute('data-charts-rendered', String(charts.length));
  }).catch(function(e){ console.error('itsim serve: a chart failed: ' + e); });
}
function poll(){
  if (job === null) return;
  var id = job;
  fetch('/api/result?job=' + id + '&have=' + have).then(function(r){ return r.json(); }).then(function(s){
    if (id !== job) return;
    var reps = s.replications;
    $('progress').max = s.total; $('progress').value = s.done;
    var text = reps.done + ' of ' + reps.total + ' replications (' + s.done + '/' + s.total + ' runs), ' +
      s.elapsed_s.toFixed(1) + ' s';
    if (s.state === 'done') text = 'done: ' + reps.total + ' replications in ' + s.full_s.toFixed(2) + ' s';
    if (s.state === 'cancelled') text = 'superseded by a newer change';
    if (s.state === 'failed') text = 'failed: ' + (s.error || '');
    $('status-text').textContent = text;
    $('command').textContent = s.command || '';
    if (s.board) { have = reps.done; render(s.board); }
    document.body.setAttribute('data-replications', String(reps.done));
    document.body.setAttribute('data-state', s.state);
    document.body.setAttribute('data-job', String(id));
    if (s.state === 'running') timer = setTimeout(poll, 250);
  }).catch(function(e){ console.error('itsim serve: ' + e); });
}
function run(){
  var v = values();
  setUrl(v);
  levers.forEach(function(l){ if (l.kind === 'range') $('out-' + l.id).textContent = v[l.id]; });
  document.body.setAttribute('data-state', 'starting');
  fetch('/api/run', {method:'POST', headers:{'Content-Type':'application/json'}, body: JSON.stringify(v)})
    .then(function(r){ return r.json().then(function(b){ return {status: r.status, body: b}; }); })
    .then(function(r){
      if (r.status === 400) { showErrors(r.body.errors); document.body.setAttribute('data-state', 'rejected'); return; }
      if (r.status !== 202) { showErrors([{lever:'', message: r.body.error || ('HTTP ' + r.status)}]);
        document.body.setAttribute('data-state', 'busy'); return; }
      showErrors([]);
      if (timer) clearTimeout(timer);
      job = r.body.job; have = -1;
      ['scenario.yaml','results.h5','board.html'].forEach(function(f){
        $('dl-' + f.split('.')[0]).href = '/download/' + f + '?job=' + job;
      });
      poll();
    }).catch(function(e){ console.error('itsim serve: ' + e); });
}
function control(l, initial){
  var div = document.createElement('div');
  div.className = 'lever';
  var label = document.createElement('label');
  label.textContent = l.label;
  label.htmlFor = 'lever-' + l.id;
  div.appendChild(label);
  var e;
  if (l.kind === 'range') {
    e = document.createElement('input');
    e.type = 'range'; e.min = l.min; e.max = l.max; e.step = l.step;
    e.value = initial;
    var out = document.createElement('output');
    out.id = 'out-' + l.id; out.textContent = initial;
    e.addEventListener('input', function(){ out.textContent = e.value; });
    e.addEventListener('change', run);
    div.appendChild(e); div.appendChild(out);
  } else {
    e = document.createElement('select');
    l.choices.forEach(function(c){
      var o = document.createElement('option'); o.value = c; o.textContent = c; e.appendChild(o);
    });
    e.value = initial;
    e.addEventListener('change', l.kind === 'show' ? function(){ setUrl(values()); if (lastBoard) render(lastBoard); } : run);
    div.appendChild(e);
  }
  e.id = l.kind === 'show' ? 'lever-show-models' : 'lever-' + l.id;
  var err = document.createElement('span');
  err.className = 'error'; err.id = 'error-' + l.id;
  div.appendChild(err);
  return div;
}
fetch('/api/levers').then(function(r){ return r.json(); }).then(function(info){
  window.itsimBaseline = info.baseline;
  $('scenario-meta').textContent = info.scenario + ': ' + info.replications +
    ' replications per model, seed ' + info.seed + ', against ' + info.baseline;
  var q = new URLSearchParams(location.search);
  levers = info.levers;
  levers.forEach(function(l){
    var initial = q.has(l.id) ? q.get(l.id) : (l['default'] === null ? l.min : l['default']);
    $('levers').appendChild(control(l, initial));
  });
  run();
}).catch(function(e){ console.error('itsim serve: ' + e); });
})();
)JS";

void append_asset(std::string& out, std::span<const std::string_view> parts) {
  out += "<script>";
  for (const auto p : parts)
    out += p;
  out += "</script>\n";
}

std::string esc(std::string_view s) {
  return report::html_escape(s);
}

} // namespace

std::string live_page(const std::string& title) {
  std::string h;
  h.reserve(1100000);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; "
       "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
       "<title>itsim serve: " +
       esc(title) + "</title>\n<style>" + std::string(css) + "</style>\n";
  append_asset(h, report::detail::asset_vega());
  append_asset(h, report::detail::asset_vega_lite());
  append_asset(h, report::detail::asset_vega_embed());
  h += "</head>\n<body>\n<header><h1>" + esc(title) +
       ": which operating model? (live)</h1><div class=\"meta\" id=\"scenario-meta\"></div>"
       "</header>\n<main><div id=\"controls\"><h2>Levers</h2><div id=\"levers\"></div>"
       "<div id=\"request-error\"></div><div id=\"status\"><progress id=\"progress\" value=\"0\" "
       "max=\"1\"></progress><div id=\"status-text\">starting</div></div>"
       "<h2>Downloads</h2><div id=\"downloads\"><a id=\"dl-scenario\" download>scenario.yaml</a>"
       "<a id=\"dl-results\" download>results.h5</a><a id=\"dl-board\" download>board.html</a>"
       "</div><p class=\"meta\">The same numbers from the command line:<br><code "
       "id=\"command\"></code></p></div>\n<div id=\"board\"><div id=\"board-body\"><p "
       "class=\"meta\">The first numbers come as the first replications finish.</p></div></div>"
       "</main>\n<script>" +
       std::string(script) + "</script>\n</body></html>\n";
  return h;
}

} // namespace itsim::serve
