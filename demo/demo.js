// The demo shop's snippet: what a shop's order-confirmation template adds next to the
// rapport.js tag. It passes the order to the survey with the JS API (command queue: this
// runs before rapport.js has loaded, and the call is replayed once it has).
//
// A real shop writes its order data into the page; this demo makes up a new order number
// on every visit, so the survey can be tried again (it is shown once per order).
(function () {
  var orderId = 'A-' + (1000 + Math.floor(Math.random() * 9000));
  var shown = document.querySelectorAll('[data-order-id]');
  for (var i = 0; i < shown.length; i++) {
    shown[i].textContent = orderId;
  }

  window.rapport = window.rapport || [];
  window.rapport.push(['show', {
    context: {
      order: { id: orderId, total: 649.0, currency: 'EUR' },
      customer: { earlier_orders: 0 },
      business: { mode: 'personal_assistance' }
    },
    onSubmit: function (response) {
      window.console.log('[demo] the endpoint stored response ' + response.response_id);
    }
  }]);
})();
