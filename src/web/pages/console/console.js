// The console's one script, for the meeting form: the sum of the agenda's time boxes against
// the meeting's length, warnings when the chosen room is too small or lacks equipment the
// meeting needs, the rooms' bookings for the chosen day, and agenda rows added and removed.
// The form works without it (with a few empty rows); the server checks everything again.
(function () {
  var form = document.getElementById('meeting-form');
  if (!form) return;
  var sumOut = document.getElementById('agenda-sum');
  var roomOut = document.getElementById('room-warnings');

  function minutesOf(value) {
    var parts = (value || '').split(':');
    return parts.length === 2 ? Number(parts[0]) * 60 + Number(parts[1]) : NaN;
  }

  function agendaSum() {
    var sum = 0;
    form.querySelectorAll('input.minutes').forEach(function (input) {
      var n = Number(input.value);
      if (input.value !== '' && n > 0) sum += n;
    });
    var length = minutesOf(form.elements.end.value) - minutesOf(form.elements.start.value);
    if (!(length > 0)) {
      sumOut.textContent = '议程共 ' + sum + ' 分钟';
      sumOut.className = 'muted';
      return;
    }
    sumOut.textContent = '议程共 ' + sum + ' 分钟 / 会议时长 ' + length + ' 分钟' +
      (sum > length ? '：超出 ' + (sum - length) + ' 分钟，请压缩议程或延长会议' : '');
    sumOut.className = sum > length ? 'error' : 'muted';
  }

  function names(value) {
    return (value || '').split(/[,，、;\s]+/).filter(function (s) { return s !== ''; });
  }

  function normalise(s) {
    return s.replace(/\s+/g, '').toLowerCase();
  }

  function roomWarnings() {
    var room = form.querySelector('input[name=room_id]:checked');
    var warnings = [];
    if (room && room.value !== '') {
      var invited = {};
      form.querySelectorAll('input.role[data-invited]').forEach(function (input) {
        names(input.value).forEach(function (n) { invited[n] = true; });
      });
      var count = Object.keys(invited).length;
      var capacity = Number(room.dataset.capacity);
      if (count > capacity) {
        warnings.push('会议室只能容纳 ' + capacity + ' 人，已填 ' + count + ' 人');
      }
      var has = (room.dataset.equipment || '').split('\n').map(normalise);
      var missing = form.elements.equipment.value.split(/[,，、]/)
        .map(function (s) { return s.trim(); })
        .filter(function (s) { return s !== '' && has.indexOf(normalise(s)) < 0; });
      if (missing.length) warnings.push('会议室缺少：' + missing.join('、'));
    }
    roomOut.textContent = '';
    warnings.forEach(function (w) {
      var p = document.createElement('p');
      p.className = 'warn';
      p.textContent = '⚠ ' + w;
      roomOut.appendChild(p);
    });
  }

  function bookings() {
    var date = form.elements.date.value;
    if (!date) return;
    fetch('/console/rooms/busy?date=' + encodeURIComponent(date), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (busy) {
        form.querySelectorAll('td.busy').forEach(function (cell) {
          if (busy[cell.dataset.room] !== undefined) cell.textContent = busy[cell.dataset.room];
        });
      })
      .catch(function () {});
  }

  // Agenda rows: the server reads agenda_*_<n> in the order of n and skips empty rows, so a
  // removed row may leave a gap and a new row takes the next number.
  var MAX_ROWS = 100;
  var agenda = document.querySelector('#agenda tbody');
  var addRow = document.getElementById('add-agenda-row');

  function renumber() {
    agenda.querySelectorAll('tr.agenda-row').forEach(function (tr, i) {
      tr.querySelector('td.n').textContent = String(i + 1);
    });
  }

  function nextIndex() {
    var top = -1;
    agenda.querySelectorAll('input[name^=agenda_title_]').forEach(function (input) {
      top = Math.max(top, Number(input.name.slice('agenda_title_'.length)));
    });
    return top + 1;
  }

  function removable(tr) {
    var button = tr.querySelector('button.remove-row');
    button.hidden = false;
    button.addEventListener('click', function () {
      if (agenda.querySelectorAll('tr.agenda-row').length > 1) {
        tr.remove();
      } else {
        tr.querySelectorAll('input').forEach(function (input) { input.value = ''; });
      }
      renumber();
      agendaSum();
    });
  }

  if (agenda && addRow) {
    agenda.querySelectorAll('tr.agenda-row').forEach(removable);
    addRow.hidden = false;
    addRow.addEventListener('click', function () {
      var rows = agenda.querySelectorAll('tr.agenda-row');
      var n = nextIndex();
      if (n >= MAX_ROWS) return;
      var tr = rows[rows.length - 1].cloneNode(true);
      tr.querySelectorAll('input').forEach(function (input) {
        input.value = '';
        input.name = input.name.replace(/_\d+$/, '_' + n);
      });
      agenda.appendChild(tr);
      removable(tr);
      renumber();
      tr.querySelector('input').focus();
    });
  }

  form.addEventListener('input', function (e) {
    agendaSum();
    roomWarnings();
    if (e.target === form.elements.date) bookings();
  });
  form.addEventListener('change', function (e) {
    roomWarnings();
    if (e.target === form.elements.date) bookings();
  });
  agendaSum();
  roomWarnings();
})();
