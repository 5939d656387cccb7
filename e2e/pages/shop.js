// The test shop's own script: a button that counts its clicks. The tests check that it keeps
// working whatever the widget does.
(function () {
  var count = 0;
  var button = document.getElementById('host-button');
  var output = document.getElementById('host-count');
  button.addEventListener('click', function () {
    count += 1;
    output.textContent = String(count);
  });
})();
