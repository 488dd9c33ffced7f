// The meeting page's one script (also the console's live board): while a meeting runs, the
// board (current item, roster, questions, votes) is fetched again every 15 seconds (or its
// data-period) and put in place, and the running item's clock ticks. Nothing is replaced while the reader is typing or has ticked a box.
// Without it every form still works: each post returns the whole page.
(function () {
  var skew = 0;
  var editing = false;

  function board() { return document.getElementById('board'); }

  function tick() {
    var now = document.getElementById('now');
    if (!now || !now.dataset.started) return;
    var used = Math.floor((Date.now() + skew - Number(now.dataset.started)) / 60000);
    if (used < 0) used = 0;
    var left = Number(now.dataset.minutes) - used;
    var out = now.querySelector('.timing');
    if (!out) return;
    out.textContent = left >= 0
      ? '已用 ' + used + ' 分钟，剩余 ' + left + ' 分钟'
      : '已用 ' + used + ' 分钟，超时 ' + (-left) + ' 分钟';
    now.classList.toggle('late', left < 0);
  }

  function watch(el) {
    if (!el) return;
    skew = Number(el.dataset.now) - Date.now();
    editing = false;
    el.addEventListener('input', function () { editing = true; });
    el.addEventListener('change', function () { editing = true; });
  }

  function refresh() {
    var el = board();
    if (!el || editing || document.hidden) return;
    var active = document.activeElement;
    if (active && el.contains(active) && active.tagName !== 'BUTTON') return;
    fetch(el.dataset.refresh, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (r.status === 204) { el.remove(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html || editing) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('board');
        var current = board();
        if (!fresh || !current) return;
        current.replaceWith(document.adoptNode(fresh));
        watch(board());
        tick();
      })
      .catch(function () {});
  }

  watch(board());
  tick();
  setInterval(tick, 1000);
  var first = board();
  setInterval(refresh, first && first.dataset.period ? Number(first.dataset.period) : 15000);
})();
