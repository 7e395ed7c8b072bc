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

  // The width a bar chart gives its category names: a third of the chart, within bounds, so a
  // unit's whole name ("Tỉnh Quảng Ninh (đến 30/06/2025)") shows on a wide screen and a narrow
  // one keeps room for the bars. Names still longer are cut; the table below the chart has them.
  // Keyed by the horizontal bar charts, each with the least width of its names.
  var LEAST_LABEL = { field: 140, units: 160 };

  function labelWidth(kind) {
    var element = document.querySelector('[data-chart="' + kind + '"]');
    var room = element ? element.clientWidth : 0;
    return Math.max(LEAST_LABEL[kind], Math.min(280, Math.round(room / 3)));
  }

  function bars(series, data, horizontal, kind) {
    var width = horizontal ? labelWidth(kind) : 140;
    var category = { type: "category", data: series.labels, axisLabel: { interval: 0, width: width, overflow: "truncate" } };
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

  // The map's outlines, by unit, fetched once per unit and kept for the page's life.
  var outlines = {};

  // The units of the breakdown that are units (below a commune the rows are organisations,
  // which are not on the map and whose ids are not units' ids).
  function unitsById(data) {
    var byId = {};
    (data.units || []).forEach(function (u) {
      if (u.kind === "unit") { byId[String(u.id)] = u; }
    });
    return byId;
  }

  // Numbers as the page writes them (Babel, on the server): the language's separators, in
  // the digits 0–9 in every language (the browser would write Arabic-Indic digits in Arabic).
  function number(value) {
    var language = document.documentElement.lang || undefined;
    try {
      return new Intl.NumberFormat(language, { numberingSystem: "latn", maximumFractionDigits: 1 }).format(value);
    } catch (error) {
      return String(value);
    }
  }

  function mapFigure() {
    var picker = document.querySelector("[data-map-figure]");
    return picker ? picker.value : "initiatives";
  }

  // Children of the unit as outlines, coloured by the chosen figure. Geography is never
  // mirrored: the container is dir="ltr" in every language.
  function map(geo, data, figure) {
    var byId = unitsById(data);
    var name = "danvan-" + data.map_url;
    geo.features.forEach(function (f) { f.properties.key = String(f.properties.id); });
    echarts.registerMap(name, geo);
    var values = geo.features.map(function (f) {
      var unit = byId[String(f.properties.id)];
      return { name: String(f.properties.id), value: unit ? Number(unit[figure]) || 0 : 0, label_text: f.properties.name };
    });
    // The range of the figure over the units drawn, from the server; none when no unit drawn
    // has any of it: the map says so in words instead of a scale from 0 to 0.
    var scale = (data.map_scale || {})[figure] || null;
    var labelOf = {};
    geo.features.forEach(function (f) { labelOf[String(f.properties.id)] = f.properties.name; });
    var figureName = data.text.figures[figure] || figure;
    return {
      aria: { enabled: true },
      title: { text: data.text.approximate, left: 4, bottom: 0, textStyle: { fontSize: 11, fontWeight: "normal", color: "#555" } },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "scatter") { return p.data.label; }
          var value = number(typeof p.value === "number" && !isNaN(p.value) ? p.value : 0);
          return (labelOf[p.name] || p.name) + "\n" + figureName + ": " + value;
        }
      },
      visualMap: scale ? {
        type: "continuous",
        min: scale[0],
        max: scale[1] > scale[0] ? scale[1] : scale[0] + 1,
        seriesIndex: 0,
        calculable: false,
        orient: "vertical",
        left: 4,
        top: 4,
        itemHeight: 90,
        text: [number(scale[1]), number(scale[0])],
        inRange: { color: ["#f3e5e3", "#d9918a", "#8c1c13"] }
      } : [],
      graphic: scale ? [] : [{
        type: "text",
        left: 4,
        top: 4,
        style: { text: data.text.no_map_figures, fontSize: 12, fill: "#555", width: 220, overflow: "break" }
      }],
      geo: {
        map: name,
        roam: true,
        nameProperty: "key",
        layoutCenter: ["50%", "46%"],
        layoutSize: "88%",
        itemStyle: { borderColor: "#ffffff", borderWidth: 0.6, areaColor: "#eeeeee" },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#d08c00" } },
        select: { disabled: true }
      },
      series: [
        { type: "map", name: figureName, geoIndex: 0, map: name, nameProperty: "key", data: values },
        {
          type: "scatter",
          coordinateSystem: "geo",
          symbol: "circle",
          symbolSize: 5,
          itemStyle: { color: "#1f5f8b" },
          label: { show: true, position: "bottom", width: 110, overflow: "break", align: "center", lineHeight: 13, formatter: function (p) { return p.data.label; }, fontSize: 11, color: "#1f3b57" },
          data: (geo.marks || []).map(function (m) { return { name: m.label, label: m.label, value: [m.lon, m.lat] }; })
        }
      ]
    };
  }

  function unitBars(data) {
    var units = (data.units || []).slice(0, 15);
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
      xAxis: { type: "value", minInterval: 1, inverse: rtl() },
      yAxis: {
        type: "category",
        inverse: true,
        position: rtl() ? "right" : "left",
        data: units.map(function (u) { return u.name; }),
        axisLabel: { interval: 0, width: labelWidth("units"), overflow: "truncate" },
        triggerEvent: true
      },
      series: [{ type: "bar", name: data.text.initiatives, data: units.map(function (u) { return { value: u.initiatives, url: u.url }; }), cursor: "pointer" }]
    };
  }

  function open(url) {
    if (url) {
      window.location.assign(url);
    }
  }

  // The chart's figures as rows of [label, initiatives], for the hidden table.
  function rowsFor(kind, data) {
    if (kind === "map" || kind === "units") {
      return (data.units || []).map(function (u) { return [u.name, u.initiatives]; });
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
    // A table ignores overflow: the hidden wrapper clips it, so it never widens the page.
    var wrapper = document.createElement("div");
    wrapper.className = "visually-hidden chart-table";
    var table = document.createElement("table");
    wrapper.appendChild(table);
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
    element.insertAdjacentElement("afterend", wrapper);
  }

  function empty(data) {
    return { title: { text: data.text.empty, left: "center", top: "middle", textStyle: { fontSize: 14, fontWeight: "normal" } } };
  }

  function optionFor(kind, data) {
    if (kind === "units") {
      return (data.units || []).length ? unitBars(data) : empty(data);
    }
    var series = data[kind];
    if (!series || !series.values.length) {
      return empty(data);
    }
    if (kind === "org_kind") {
      return pie(series, data);
    }
    return bars(series, data, kind === "field", kind);
  }

  // Tooltips drawn on the canvas: an HTML tooltip needs inline styles, which the page's
  // Content Security Policy refuses.
  function canvasTooltip(option) {
    if (option.tooltip) {
      option.tooltip.renderMode = "richText";
    }
    return option;
  }

  function drawMap(chart, data, label) {
    var element = chart.getDom();
    var paint = function (geo) {
      if (chart.isDisposed()) {
        return;
      }
      if (!geo.features.length) {
        chart.setOption(Object.assign(empty(data), { title: { text: data.text.no_map, left: "center", top: "middle", textStyle: { fontSize: 14, fontWeight: "normal" } } }), true);
        return;
      }
      var option = canvasTooltip(map(geo, data, mapFigure()));
      option.aria = { enabled: true, label: { description: label } };
      chart.setOption(option, true);
      element.dataset.mapReady = mapFigure();
    };
    var byId = unitsById(data);
    chart.on("click", function (p) {
      var unit = byId[p.name];
      if (unit && !(geoOwn(data))) {
        open(unit.url);
      }
    });
    if (outlines[data.map_url]) {
      paint(outlines[data.map_url]);
      return;
    }
    // Until the outlines arrive (the first map of a unit is computed on the server).
    chart.setOption({ title: { text: data.text.loading, left: "center", top: "middle", textStyle: { fontSize: 14, fontWeight: "normal" } } });
    fetch(data.map_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : { features: [], marks: [] }; })
      .then(function (geo) {
        outlines[data.map_url] = geo;
        paint(geo);
      });
  }

  function geoOwn(data) {
    var geo = outlines[data.map_url];
    return geo && geo.own;
  }

  function recolour() {
    var data = readData();
    var element = document.querySelector("[data-chart=map]");
    if (!data || !element || typeof echarts === "undefined") {
      return;
    }
    var chart = echarts.getInstanceByDom(element);
    var geo = outlines[data.map_url];
    if (chart && geo && geo.features.length) {
      chart.setOption(canvasTooltip(map(geo, data, mapFigure())), true);
      element.dataset.mapReady = mapFigure();
    }
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
      var kind = element.dataset.chart;
      if (kind === "map") {
        drawMap(chart, data, label);
      } else {
        var option = canvasTooltip(optionFor(kind, data));
        option.aria = { enabled: true, label: { description: label } };
        chart.setOption(option);
      }
      if (kind === "units") {
        var byName = {};
        (data.units || []).forEach(function (u) { byName[u.name] = u.url; });
        chart.on("click", function (p) {
          open(p.data && p.data.url ? p.data.url : byName[p.value || p.name]);
        });
      }
      element.setAttribute("aria-label", label);
      tableFor(element, data, label);
      charts.push(chart);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-map-figure]")) {
      recolour();
    }
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      // The names' room follows the chart's new width.
      var kind = chart.getDom().dataset.chart;
      if (kind in LEAST_LABEL) {
        chart.setOption({ yAxis: { axisLabel: { width: labelWidth(kind) } } });
      }
      chart.resize();
    });
  });
})();
