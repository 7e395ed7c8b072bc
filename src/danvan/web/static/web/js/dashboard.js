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
      var chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(optionFor(element.dataset.chart, data));
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
