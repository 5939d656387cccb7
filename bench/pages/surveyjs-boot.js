/*
 * The shop's integration code for SurveyJS (what a shop writes around survey-core +
 * survey-js-ui): fetch the survey JSON, render it into the slot, and on completion POST the
 * answers to the endpoint with the same headers Rapport sends (JSON + Idempotency-Key,
 * keepalive). Loaded with `defer` after the two libraries.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var target = document.querySelector(script.getAttribute('data-target'));
  var endpoint = script.getAttribute('data-endpoint');
  fetch(script.getAttribute('data-survey'))
    .then(function (response) { return response.json(); })
    .then(function (json) {
      var survey = new Survey.Model(json);
      survey.onComplete.add(function (sender) {
        fetch(endpoint, {
          method: 'POST',
          keepalive: true,
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': crypto.randomUUID() + ':1'
          },
          body: JSON.stringify({ answers: sender.data })
        })['catch'](function (error) { console.error('[surveyjs] post failed', error); });
      });
      survey.render(target);
    })
    ['catch'](function (error) { console.error('[surveyjs] cannot show the survey', error); });
})();
