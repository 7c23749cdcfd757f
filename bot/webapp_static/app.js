// The dashboard page: reads the Mini App's launch parameters (init data, theme) from the URL
// fragment, sends the init data with every request, and builds the views with textContent
// (charts are SVG drawn and escaped by the server). No library, nothing from elsewhere.
"use strict";

(function () {
  const launch = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const initData = launch.get("tgWebAppData") || "";
  const base = location.pathname.replace(/\/?$/, "/");
  const state = { tab: query.get("view") || "completeness", unit: query.get("unit") || "",
                  month: query.get("month") || "", labels: {}, canRemind: false, data: null,
                  asked: 0 };
  const $ = (id) => document.getElementById(id);

  function applyTheme() {
    let theme = {};
    try { theme = JSON.parse(launch.get("tgWebAppThemeParams") || "{}"); } catch (e) { theme = {}; }
    const names = { bg_color: "--bg", text_color: "--text", hint_color: "--hint",
                    link_color: "--link", button_color: "--button",
                    button_text_color: "--button-text", secondary_bg_color: "--secondary-bg" };
    for (const [key, css] of Object.entries(names)) {
      if (typeof theme[key] === "string" && /^#[0-9a-fA-F]{3,8}$/.test(theme[key])) {
        document.documentElement.style.setProperty(css, theme[key]);
      }
    }
  }

  function tell(event) {  // Telegram's Mini App bridge: mobile, desktop, then web clients
    try {
      if (window.TelegramWebviewProxy) { window.TelegramWebviewProxy.postEvent(event, ""); }
      else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: event, eventData: "" }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: event, eventData: "" }), "*");
      }
    } catch (e) { /* outside Telegram */ }
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  async function call(path, params, body) {
    const url = new URL(base + "api/" + path, location.href);
    for (const [k, v] of Object.entries(params || {})) { if (v) { url.searchParams.set(k, v); } }
    const response = await fetch(url, {
      method: body ? "POST" : "GET", credentials: "omit", cache: "no-store",
      headers: { "Authorization": "tma " + initData, "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { const error = new Error(data.error || String(response.status));
                        error.status = response.status; throw error; }
    return data;
  }

  function fail(error) {
    const view = $("view");
    view.replaceChildren(el("p", error.status ? error.message : state.labels.failed || error.message,
                            "error"));
    if (error.status === 401 || error.status === 403) {
      document.querySelector("header").hidden = true;
      document.querySelector("footer").hidden = true;
    }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  }

  function renderPlace(data) {
    $("unit").textContent = data.unit.name;
    state.unitName = data.unit.name;
    const path = $("path");
    path.replaceChildren();
    for (const up of data.path || []) {
      const link = el("button", "‹ " + up.name);
      link.type = "button";
      link.addEventListener("click", () => go(String(up.id)));
      path.append(link);
    }
    const month = ($("month").selectedOptions[0] || {}).text || "";
    $("export-note").textContent = fill(state.labels.export_note || "",
                                        { unit: data.unit.name, month });
  }

  function tiles(counts, duePassed) {
    const box = el("div", null, "tiles");
    for (const key of ["communes", "on_time", "late", "missing"]) {
      const tile = el("div", null, "tile " + (key === "missing" && !duePassed ? "pending" : key));
      tile.append(el("b", counts[key]), el("span", state.labels[key]));
      box.append(tile);
    }
    return box;
  }

  function renderCompleteness(data) {
    const L = state.labels;
    const list = el("ul", null, "rows");
    for (const row of data.rows) {
      const item = el("li", null, row.drill ? "drill" : "");
      item.dataset.status = row.status;
      const name = el("span", row.name, "name");
      const detail = row.level === "commune"
        ? (row.submitted ? L.submitted + " " + row.submitted : "")
        : fill(L.row_detail, row);
      if (detail) { name.append(el("span", detail, "sub")); }
      item.append(name, el("span", row.status_label, "pill " + row.status));
      if (row.drill) {
        item.append(el("span", "›", "arrow"));
        item.setAttribute("role", "button");
        item.addEventListener("click", () => go(String(row.id)));
      }
      list.append(item);
    }
    const due = el("p", fill(data.due_passed ? L.overdue : L.not_due, { date: data.due }), "meta");
    const note = el("p", L.counts_note, "meta");
    $("view").replaceChildren(due, tiles(data.counts, data.due_passed), note, list);
    const remind = $("remind");
    remind.hidden = !(state.canRemind && data.due_passed && data.counts.missing > 0);
    remind.textContent = fill(L.remind_n, { n: data.counts.missing, month: data.month_label });
  }

  function renderTrend(data) {
    const view = $("view");
    view.replaceChildren(el("p", fill(state.labels.trend_range, { month: data.to }), "meta"));
    const template = document.createElement("template");
    for (const chart of data.charts) {
      const box = el("section", null, "chart-box");
      box.append(el("h2", chart.title));
      template.innerHTML = chart.svg;  // drawn and escaped by the server
      box.append(template.content.cloneNode(true));
      view.append(box);
    }
    const L = state.labels;
    const table = el("table");
    const head = el("tr");
    for (const h of [L.month, L.abuse_short, L.injury_short, L.marriage_short, L.reports]) {
      head.append(el("th", h));
    }
    table.append(head);
    for (const row of data.table) {
      const tr = el("tr");
      tr.append(el("td", row.month));
      for (const key of ["abuse", "injury", "marriage"]) {
        const now = row[key] === null ? "–" : row[key];
        const before = row[key + "_before"] === null ? "–" : row[key + "_before"];
        tr.append(el("td", now + " (" + before + ")"));
      }
      tr.append(el("td", row.reports));
      table.append(tr);
    }
    view.append(table, el("p", L.table_note, "meta"));
    $("remind").hidden = true;
  }

  function renderTargets(data) {
    const view = $("view");
    if (!data.plan) { view.replaceChildren(el("p", data.note, "meta")); return; }
    view.replaceChildren(el("p", data.plan + " · " + data.period, "meta"));
    const list = el("ul", null, "rows targets");
    for (const target of data.targets) {
      const item = el("li");
      item.dataset.status = target.status;
      const badge = el("span", state.labels["target_" + target.status] || "",
                       "pill " + target.status);
      item.append(badge, el("p", target.text, "text"), el("span", target.source, "src"));
      list.append(item);
    }
    view.append(list);
    $("remind").hidden = true;
  }

  const RENDER = { completeness: renderCompleteness, trend: renderTrend, targets: renderTargets };

  async function show() {
    for (const button of document.querySelectorAll(".tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === state.tab));
    }
    $("notice").textContent = "";
    $("view").replaceChildren(el("p", state.labels.loading, "meta"));
    const asked = ++state.asked;  // a slower answer to an earlier choice is dropped
    try {
      const data = await call(state.tab, { unit: state.unit, month: state.month });
      if (asked !== state.asked) { return; }
      state.data = data;
      RENDER[state.tab](data);
    } catch (error) { if (asked === state.asked) { fail(error); } }
  }

  async function go(unit) {
    try {
      const place = await call("units", { unit });
      state.unit = unit;
      state.path = place.path;
      renderPlace(place);
      await show();
    } catch (error) { fail(error); }
  }

  async function act(path, extra) {
    $("notice").textContent = state.labels.loading;
    try {
      const result = await call(path, {}, { unit: state.unit, month: state.month, ...extra });
      $("notice").textContent = result.message;
    } catch (error) { $("notice").textContent = error.message; }
  }

  async function main() {
    applyTheme();
    tell("web_app_ready");
    tell("web_app_expand");
    try {
      const start = await call("start", { unit: state.unit });
      const L = state.labels = start.labels;
      document.documentElement.lang = start.lang;
      document.title = L.title;
      state.unit = String(start.unit.id);
      state.canRemind = start.can_remind;
      for (const [id, key] of [["month-label", "month"], ["tab-completeness", "tab_completeness"],
                               ["tab-trend", "tab_trend"], ["tab-targets", "tab_targets"],
                               ["remind", "remind"], ["export-csv", "export_csv"],
                               ["export-xlsx", "export_xlsx"]]) { $(id).textContent = L[key]; }
      const select = $("month");
      for (const m of start.months) { select.append(new Option(m.label, m.key)); }
      if (!state.month || !start.months.some((m) => m.key === state.month)) {
        state.month = start.months[0].key;
      }
      select.value = state.month;
      select.addEventListener("change", () => {
        state.month = select.value;
        renderPlace({ unit: { name: state.unitName }, path: state.path });
        show();
      });
      for (const button of document.querySelectorAll(".tabs button")) {
        button.addEventListener("click", () => { state.tab = button.dataset.tab; show(); });
      }
      $("remind").addEventListener("click", () => act("remind"));
      $("export-csv").addEventListener("click", () => act("export", { kind: "csv" }));
      $("export-xlsx").addEventListener("click", () => act("export", { kind: "xlsx" }));
      if (!RENDER[state.tab]) { state.tab = "completeness"; }
      state.path = start.path;
      renderPlace(start);
      await show();
    } catch (error) { fail(error); }
  }

  document.addEventListener("DOMContentLoaded", main);
})();
