// 相談受付: show 8050 / ダブルケア / ヤングケアラー while the household is typed in.
// Optional: without this script the server shows them on the 「確認」 button and on every
// re-render. The rule itself runs on the server (kasane.households), never copied here.
(function () {
  "use strict";
  var form = document.getElementById("consultation-form");
  var box = document.getElementById("situations");
  if (!form || !box || !window.fetch || !window.FormData) {
    return;
  }
  var watched = /^(p0_birth|p0_care_role|m\d_(name|kana|birth|relationship|care_role))$/;
  var pending = null;

  function show(items) {
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    if (!items.length) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "notice notice--warning situation-list";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "badge badge--warning";
      badge.textContent = item.label;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" " + item.note));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function refresh() {
    var data = new FormData(form);
    data.set("found_birth", box.getAttribute("data-self-birth") || "");
    fetch("/consultations/new/situations", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body) {
          show(body.situations);
        }
      })
      .catch(function () {});
  }

  form.addEventListener("change", function (event) {
    if (event.target && watched.test(event.target.name || "")) {
      clearTimeout(pending);
      pending = setTimeout(refresh, 150);
    }
  });
})();
