// Draws the dashboard's charts from the JSON the page carries ({{ data|json_script }}), and
// again each time htmx swaps in new figures. No data is fetched here.
(function () {
  "use strict";
  var charts = [];
  var PALETTE = ["#8c1c13", "#1f5f8b", "#d08c00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037"];

  function readData() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function rtl() {
    return document.documentElement.dir === "rtl";
  }

  function bars(series, data, horizontal) {
    var category = { type: "category", data: series.labels, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
      xAxis: horizontal ? Object.assign(value, { inverse: rtl() }) : Object.assign(category, { inverse: rtl() }),
      yAxis: horizontal ? Object.assign(category, { inverse: true, position: rtl() ? "right" : "left" }) : Object.assign(value, { position: rtl() ? "right" : "left" }),
      series: [{ type: "bar", name: data.text.initiatives, data: series.values }]
    };
  }

  function pie(series, data) {
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        type: "pie",
        name: data.text.initiatives,
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        data: series.labels.map(function (label, i) { return { name: label, value: series.values[i] }; })
      }]
    };
  }

  function map(points, data) {
    var largest = points.reduce(function (m, p) { return Math.max(m, p.value); }, 1);
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) { return p.data[2] + ": " + p.data[3]; }
      },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", scale: true, name: data.text.longitude, inverse: rtl(), splitLine: { show: false } },
      yAxis: { type: "value", scale: true, name: data.text.latitude, position: rtl() ? "right" : "left", splitLine: { show: false } },
      series: [{
        type: "scatter",
        name: data.text.initiatives,
        data: points.map(function (p) { return [p.lon, p.lat, p.name, p.value]; }),
        symbolSize: function (value) { return 6 + 30 * Math.sqrt(value[3] / largest); },
        itemStyle: { opacity: 0.75 }
      }]
    };
  }

  // The chart's figures as rows of [label, initiatives], for the hidden table.
  function rowsFor(kind, data) {
    if (kind === "map") {
      return data.map.map(function (p) { return [p.name, p.value]; });
    }
    var series = data[kind];
    if (!series) {
      return [];
    }
    return series.labels.map(function (label, i) { return [label, series.values[i]]; });
  }

  function cell(row, tag, text, scope) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (scope) {
      node.setAttribute("scope", scope);
    }
    row.appendChild(node);
  }

  function tableFor(element, data, label) {
    var old = element.nextElementSibling;
    if (old && old.classList.contains("chart-table")) {
      old.remove();
    }
    var rows = rowsFor(element.dataset.chart, data);
    var table = document.createElement("table");
    table.className = "visually-hidden chart-table";
    table.createCaption().textContent = label;
    var head = table.createTHead().insertRow();
    cell(head, "th", element.dataset.column || "", "col");
    cell(head, "th", data.text.initiatives, "col");
    var body = table.createTBody();
    if (!rows.length) {
      var none = body.insertRow();
      var td = document.createElement("td");
      td.colSpan = 2;
      td.textContent = data.text.empty;
      none.appendChild(td);
    }
    rows.forEach(function (r) {
      var row = body.insertRow();
      cell(row, "th", r[0], "row");
      cell(row, "td", String(r[1]));
    });
    element.insertAdjacentElement("afterend", table);
  }

  function empty(data) {
    return { title: { text: data.text.empty, left: "center", top: "middle", textStyle: { fontSize: 14, fontWeight: "normal" } } };
  }

  function optionFor(kind, data) {
    if (kind === "map") {
      return data.map.length ? map(data.map, data) : empty(data);
    }
    var series = data[kind];
    if (!series || !series.values.length) {
      return empty(data);
    }
    if (kind === "org_kind") {
      return pie(series, data);
    }
    return bars(series, data, kind === "field");
  }

  function draw() {
    if (typeof echarts === "undefined") {
      return;
    }
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    var data = readData();
    if (!data) {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      // ECharts writes its own aria-label (in English, with the data point's index): keep the
      // page's translated one, and give the numbers as a table screen readers can browse.
      var label = element.dataset.label || element.getAttribute("aria-label") || "";
      element.dataset.label = label;
      var chart = echarts.init(element, null, { renderer: "canvas" });
      var option = optionFor(element.dataset.chart, data);
      option.aria = { enabled: true, label: { description: label } };
      chart.setOption(option);
      element.setAttribute("aria-label", label);
      tableFor(element, data, label);
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
