// The console's one script: the agenda editor shows the sum of its time boxes against the
// meeting's length as they are typed. The form works without it; the server checks again.
(function () {
  var form = document.getElementById('meeting-form');
  var out = document.getElementById('agenda-sum');
  if (!form || !out) return;
  function minutesOf(value) {
    var parts = (value || '').split(':');
    return parts.length === 2 ? Number(parts[0]) * 60 + Number(parts[1]) : NaN;
  }
  function update() {
    var sum = 0;
    form.querySelectorAll('input.minutes').forEach(function (input) {
      var n = Number(input.value);
      if (input.value !== '' && n > 0) sum += n;
    });
    var length = minutesOf(form.elements.end.value) - minutesOf(form.elements.start.value);
    if (!(length > 0)) {
      out.textContent = '议程共 ' + sum + ' 分钟';
      out.className = 'muted';
      return;
    }
    out.textContent = '议程共 ' + sum + ' 分钟 / 会议时长 ' + length + ' 分钟' +
      (sum > length ? '：超出 ' + (sum - length) + ' 分钟，请压缩议程或延长会议' : '');
    out.className = sum > length ? 'error' : 'muted';
  }
  form.addEventListener('input', update);
  update();
})();
