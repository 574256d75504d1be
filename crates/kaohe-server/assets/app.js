// The workbench page (考核工作台, issue 17 §3): the whole client, plain
// JavaScript, no library, no build step. It calls only the service's own
// /v1/… endpoints (docs/service.md) and always asks for Chinese (`lang=zh`).
//
// Numbers: the service gives every score as a decimal string; it is shown
// exactly as given and never computed with. Only the bar chart turns a total
// into a float, for the length of a bar, which decides nothing.
"use strict";

(function () {
  // ---------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);

  /** Builds an element: el("td", {class: "num"}, "3", otherNode). Text is
   *  always set as text, never as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "style") node.setAttribute("style", value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node, ...children) {
    node.replaceChildren();
    return append(node, children);
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** A failed call: the service's errors (`{"errors": [...]}`) or a description. */
  class ApiError extends Error {
    constructor(status, errors) {
      super(errors.map((e) => e.message).join("; "));
      this.status = status;
      this.errors = errors;
    }
  }

  function withLang(path) {
    return path + (path.includes("?") ? "&" : "?") + "lang=zh";
  }

  /** Calls the service; gives the parsed JSON (or a Blob when `blob` is set),
   *  or throws an ApiError carrying the service's errors. */
  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    const wantBlob = opts.blob;
    const wantText = opts.text;
    delete opts.blob;
    delete opts.text;
    opts.headers = Object.assign({ "Accept-Language": "zh-CN,zh" }, opts.headers || {});
    let response;
    try {
      response = await fetch(withLang(path), opts);
    } catch (e) {
      throw new ApiError(0, [{ code: "page::network", severity: "error", message: "无法连接考核服务：" + e.message }]);
    }
    if (response.ok && wantBlob) return response.blob();
    if (response.ok && wantText) return response.text();
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    // A failed operation's body is `{"api_version": 1, "errors": [...]}` and nothing else.
    const failed = body && Array.isArray(body.errors) && Object.keys(body).every((k) => k === "errors" || k === "api_version");
    if (!response.ok || failed) {
      if (body && Array.isArray(body.errors) && body.errors.length) throw new ApiError(response.status, body.errors);
      const message =
        response.status === 404 || response.status === 405
          ? "本服务未提供此功能（" + (opts.method || "GET") + " " + path.split("?")[0] + "）"
          : "服务返回 " + response.status + " " + response.statusText + (text && !body ? "：" + text.slice(0, 200) : "");
      throw new ApiError(response.status, [{ code: "page::http", severity: "error", message }]);
    }
    if (body === null) throw new ApiError(response.status, [{ code: "page::http", severity: "error", message: "服务返回的不是 JSON" }]);
    return body;
  }

  /** `file:line:column`, a JSON path or `sheet!cell`: where an error is. */
  function location(e) {
    if (e.sheet) return e.sheet + (e.cell ? "!" + e.cell : "");
    if (e.line) return (e.file ? e.file + ":" : "") + "第" + e.line + "行" + (e.column ? "第" + e.column + "列" : "");
    if (e.path) return e.path;
    return e.file || "";
  }

  function severityLabel(s) {
    return s === "warning" ? "警告" : "错误";
  }

  /** The list of a failed call's errors, every one with its place, message and help. */
  function errorList(errors) {
    return el(
      "ul",
      { class: "errors" },
      errors.map((e) =>
        el(
          "li",
          { class: e.severity === "warning" ? "warning" : "error", "data-code": e.code || "" },
          el("strong", {}, severityLabel(e.severity), "："),
          location(e) ? el("span", { class: "loc" }, location(e)) : null,
          e.message,
          e.help ? el("div", { class: "help" }, "提示：", e.help) : null,
          e.code ? el("div", { class: "help" }, e.code) : null
        )
      )
    );
  }

  function errorsOf(e) {
    if (e instanceof ApiError) return e.errors;
    return [{ severity: "error", message: String(e && e.message ? e.message : e) }];
  }

  function showBanner(e) {
    const banner = $("banner");
    if (!e) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    banner.hidden = false;
    clear(banner, errorList(errorsOf(e)));
  }

  /** `2023-07` → 2023年7月, `2023` → 2023年度, `2026-Q2` → 2026年第2季度. */
  function periodLabel(p) {
    let m = /^(\d{4})-(\d{2})$/.exec(p);
    if (m) return m[1] + "年" + Number(m[2]) + "月";
    m = /^(\d{4})-Q(\d)$/.exec(p);
    if (m) return m[1] + "年第" + m[2] + "季度";
    if (/^\d{4}$/.test(p)) return p + "年度";
    return p;
  }

  const ITEM_KIND = { base: "基础分", deduction: "扣分", bonus: "加分", adjustment: "加减分", cap: "封顶", floor: "保底", average: "平均分" };
  const NOTICE_KIND = { notice: "预警通知", flag: "工作标记", class: "分类", quota: "任务提醒" };
  const RULE_KIND = { deduct: "扣分", deduction: "扣分", bonus: "加分", adjust: "加减分", adjustment: "加减分", base: "基础分", cap: "封顶", floor: "保底", notice: "预警通知", flag: "工作标记", classify: "分类", quota: "任务提醒", rank: "排名" };
  const TIE_KEY = { total: "得分", discretion: "专班综合考虑", converted: "折算分", tie: "并列（未区分）" };

  /** A decimal string with its sign: `3` → `+3`, `-5` stays, `0` stays. */
  function signed(amount) {
    const s = String(amount);
    if (s.startsWith("-") || /^0(\.0*)?$/.test(s)) return s;
    return "+" + s;
  }

  function signClass(amount) {
    const s = String(amount);
    if (s.startsWith("-")) return "neg";
    if (/^0(\.0*)?$/.test(s)) return "";
    return "pos";
  }

  /** The board colour of a class, by its name or label (as the bulletins). */
  function classColour(name, label) {
    const text = (String(name) + " " + String(label || "")).toLowerCase();
    const colours = [
      [["red", "红"], "#c62828"],
      [["orange", "橙"], "#ef6c00"],
      [["yellow", "黄"], "#f9a825"],
      [["green", "绿"], "#2e7d32"],
      [["blue", "蓝"], "#1565c0"],
    ];
    for (const [keys, colour] of colours) if (keys.some((k) => text.includes(k))) return colour;
    return null;
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ------------------------------------------------------------------ state

  const state = {
    rulesets: [],
    id: null, // the chosen ruleset's id
    detail: null, // GET /v1/rulesets/{id}
    source: null, // the ruleset's published text, for the editor and the diff
    facts: null, // {name, bytes: ArrayBuffer, kind: "xlsx" | "json", text?}
    evaluation: null,
    period: null,
    ranking: null,
    unit: null,
  };

  // ------------------------------------------------------------------- tabs

  function showTab(name) {
    for (const button of document.querySelectorAll(".tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
    }
    for (const section of document.querySelectorAll("section.tab")) section.hidden = section.dataset.tab !== name;
  }

  // --------------------------------------------------------------- rulesets

  async function loadRulesets() {
    const select = $("ruleset-select");
    try {
      const body = await api("/v1/rulesets");
      state.rulesets = body.rulesets || [];
    } catch (e) {
      showBanner(e);
      return;
    }
    clear(
      select,
      state.rulesets.map((r) =>
        el("option", { value: r.id }, (r.title || r.id) + "（" + r.id + "）" + (r.ok === false ? " —— 有错误" : ""))
      )
    );
    const wanted = new URLSearchParams(location_search()).get("ruleset");
    const first = state.rulesets.find((r) => r.id === wanted) || state.rulesets.find((r) => r.ok !== false) || state.rulesets[0];
    if (first) {
      select.value = first.id;
      await chooseRuleset(first.id);
    } else {
      showBanner(new ApiError(0, [{ severity: "error", message: "服务没有可用的规则集（rulec serve --rulesets DIR）" }]));
    }
  }

  function location_search() {
    return window.location.search;
  }

  async function chooseRuleset(id) {
    showBanner(null);
    state.id = id;
    state.detail = null;
    state.kindLabels = null;
    state.attributeLabels = null;
    state.source = null;
    state.evaluation = null;
    state.unit = null;
    $("results-body").hidden = true;
    clear($("facts-errors"));
    clear($("diff"));
    clear($("rules-head"), el("p", { class: "meta" }, "加载中……"));
    clear($("rules"));
    clear($("clauses"));
    $("template-link").href = "/v1/rulesets/" + encodeURIComponent(id) + "/template";
    const meta = state.rulesets.find((r) => r.id === id) || {};
    clear(
      $("ruleset-meta"),
      [meta.issuer, meta.period === "quarter" ? "按季度考核" : meta.period === "month" ? "按月考核" : null, meta.sealing === "sealed" ? "逐月封存" : meta.sealing === "amendable" ? "可补充报送" : null]
        .filter(Boolean)
        .join(" · ")
    );
    // Another ruleset may be chosen while this one loads: each step checks
    // that this one is still the chosen one before it shows anything.
    let detail;
    try {
      detail = await api("/v1/rulesets/" + encodeURIComponent(id));
    } catch (e) {
      if (state.id !== id) return;
      clear($("rules"), el("p", {}, "无法读取该规则集："), errorList(errorsOf(e)));
      clear($("clauses"));
      clear($("rules-head"));
      return;
    }
    if (state.id !== id) return;
    state.detail = detail;
    await loadKindLabels(id);
    if (state.id !== id) return;
    renderRules();
    let source = null;
    try {
      source = await api("/v1/rulesets/" + encodeURIComponent(id) + "/text", { text: true });
    } catch (e) {
      source = null;
    }
    if (state.id !== id) return;
    state.source = source;
    setEditorText(source || "");
    if (state.facts) await evaluate();
  }

  function clauseTexts() {
    const map = new Map();
    const fromDetail = state.detail && state.detail.clauses;
    if (Array.isArray(fromDetail)) for (const c of fromDetail) if (typeof c.text === "string") map.set(c.id, c.text);
    const fromEval = state.evaluation && state.evaluation.ruleset && state.evaluation.ruleset.clauses;
    if (fromEval && typeof fromEval === "object") for (const [k, v] of Object.entries(fromEval)) if (!map.has(k) && typeof v === "string") map.set(k, v);
    return map;
  }

  /** A clause id with its wording beneath (when the ruleset declares it). */
  function clauseBlock(ids) {
    const texts = clauseTexts();
    return (ids || []).map((id) =>
      el(
        "div",
        { class: "clause", "data-clause": id },
        el("span", { class: "clause-ref" }, id),
        texts.has(id) ? el("span", { class: "clause-text" }, texts.get(id)) : el("span", { class: "meta" }, "（规则集未载明条款原文）")
      )
    );
  }

  /** A record kind's label, from the ruleset's schema once read; else its name. */
  function kindLabel(kind) {
    return (state.kindLabels && state.kindLabels.get(kind)) || kind;
  }

  async function loadKindLabels(id) {
    try {
      const schema = await api("/v1/rulesets/" + encodeURIComponent(id) + "/schema");
      const labels = new Map();
      const attributes = new Map();
      for (const alt of (((schema.properties || {}).records || {}).items || {}).oneOf || []) {
        const kind = alt.properties && alt.properties.kind && alt.properties.kind.const;
        if (kind && alt.description) labels.set(kind, alt.description);
        const attrs = (alt.properties && alt.properties.attributes && alt.properties.attributes.properties) || {};
        const names = new Map();
        for (const [name, spec] of Object.entries(attrs)) {
          const label = spec.description || ((spec.anyOf || []).find((x) => x.description) || {}).description;
          if (label) names.set(name, label);
        }
        if (kind) attributes.set(kind, names);
      }
      if (state.id === id) {
        state.kindLabels = labels;
        state.attributeLabels = attributes;
      }
    } catch (e) {
      // Labels are a nicety: without the schema the names are shown.
    }
  }

  function renderRules() {
    const d = state.detail;
    if (!d) return;
    clear(
      $("rules-head"),
      el("h2", {}, d.title || d.id),
      el(
        "p",
        { class: "meta" },
        [
          d.issuer,
          d.source ? "依据《" + d.source + "》" : null,
          d.effective ? "有效期 " + d.effective.from + " 至 " + d.effective.to : null,
          (d.base || []).length ? "基本分 " + d.base.join("、") + " 分" : null,
        ]
          .filter(Boolean)
          .join(" · ")
      ),
      (d.warnings || []).length ? [el("p", {}, "检查警告："), errorList(d.warnings)] : null
    );
    const categories = Array.isArray(d.categories) ? d.categories : [];
    clear(
      $("rules"),
      categories.length === 0 ? el("p", { class: "meta" }, "（无规则）") : null,
      categories.map((c) =>
        el(
          "div",
          { class: "rules-category" },
          el("h2", {}, c.label || c.name || "其他", c.allot ? "（分值 " + c.allot + " 分）" : ""),
          (c.clauses || []).length ? clauseBlock(c.clauses) : null,
          (c.rules || []).map((r) =>
            el(
              "div",
              { class: "rule", "data-rule": r.name },
              el("strong", {}, r.label || r.name),
              el("span", { class: "name" }, r.name),
              r.kind ? el("span", { class: "meta" }, " · ", RULE_KIND[r.kind] || r.kind) : null,
              r.per ? el("span", { class: "meta" }, " · 按“", kindLabel(r.per), "”计") : null,
              clauseBlock(r.clauses)
            )
          )
        )
      )
    );
    const declared = (Array.isArray(d.clauses) ? d.clauses : []).filter((c) => typeof c.text === "string");
    clear(
      $("clauses"),
      declared.length === 0 ? el("p", { class: "meta" }, "（规则集未载明条款原文）") : null,
      declared.map((c) => [el("dt", {}, c.id, c.kind === "assumption" ? "（口径说明）" : ""), el("dd", {}, c.text)])
    );
  }

  // ------------------------------------------------------------ evaluation

  /** What was uploaded, told by content: an .xlsx is a zip (`PK`). */
  async function readFacts(file) {
    const bytes = await file.arrayBuffer();
    const head = new Uint8Array(bytes.slice(0, 2));
    const kind = head[0] === 0x50 && head[1] === 0x4b ? "xlsx" : "json";
    const facts = { name: file.name, bytes, kind };
    if (kind === "json") facts.text = new TextDecoder("utf-8").decode(bytes);
    return facts;
  }

  function factsBody() {
    const f = state.facts;
    return {
      method: "POST",
      body: f.bytes,
      headers: {
        "Content-Type": f.kind === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/json",
      },
    };
  }

  async function evaluate() {
    if (!state.facts || !state.id) return;
    clear($("facts-errors"), el("p", { class: "meta" }, "正在计算……"));
    $("results-body").hidden = true;
    const id = state.id;
    const facts = state.facts;
    let evaluation;
    try {
      evaluation = await api("/v1/rulesets/" + encodeURIComponent(id) + "/evaluate?format=json&detail=full", factsBody());
    } catch (e) {
      if (state.id !== id || state.facts !== facts) return;
      state.evaluation = null;
      const errors = errorsOf(e);
      clear(
        $("facts-errors"),
        el("p", {}, (state.facts.kind === "xlsx" ? "台账" : "考核数据文件") + "有 " + errors.length + " 处问题，未计算任何结果："),
        errorList(errors)
      );
      return;
    }
    if (state.id !== id || state.facts !== facts) return;
    state.evaluation = evaluation;
    clear($("facts-errors"));
    $("results-body").hidden = false;
    const periods = state.evaluation.periods || [];
    clear(
      $("period-select"),
      periods.map((p) => el("option", { value: p }, periodLabel(p)))
    );
    // As the bulletin: the last month evaluated, else the last period.
    const months = periods.filter((p) => !/^\d{4}$/.test(p));
    state.period = months.length ? months[months.length - 1] : periods[periods.length - 1] || null;
    if (state.period) $("period-select").value = state.period;
    renderRules(); // the evaluation may bring clause texts
    choosePeriod(state.period);
  }

  function resultsOf(period) {
    return (state.evaluation.results || []).filter((r) => r.period === period);
  }

  function result(unit, period) {
    return (state.evaluation.results || []).find((r) => r.unit === unit && r.period === period) || null;
  }

  /** The rankings of a period, and the unranked results as a pseudo-ranking. */
  function rankingsOf(period) {
    const rankings = (state.evaluation.rankings || []).filter((r) => r.period === period);
    const ranked = new Set(rankings.flatMap((r) => r.entries.map((e) => e.unit)));
    const unranked = resultsOf(period).filter((r) => !ranked.has(r.unit));
    if (unranked.length) {
      rankings.push({
        ranking: "",
        label: "未排名单位",
        period,
        entries: unranked.map((r) => ({ rank: null, unit: r.unit, name: r.name, total: r.total })),
        unresolved_ties: [],
      });
    }
    return rankings;
  }

  function choosePeriod(period) {
    state.period = period;
    const rankings = rankingsOf(period);
    clear(
      $("ranking-select"),
      rankings.map((r) => el("option", { value: r.ranking }, (r.label || r.ranking) + "（" + r.entries.length + " 个单位）"))
    );
    const keep = rankings.find((r) => r.ranking === state.ranking);
    state.ranking = keep ? keep.ranking : rankings.length ? rankings[0].ranking : null;
    $("ranking-select").value = state.ranking === null ? "" : state.ranking;
    renderResults();
  }

  function currentRanking() {
    return rankingsOf(state.period).find((r) => r.ranking === state.ranking) || null;
  }

  /** The notices of a result, split into board classes and the others. */
  function noticesOf(r) {
    const notices = (r && r.notices) || [];
    return {
      classes: notices.filter((n) => n.kind === "class"),
      others: notices.filter((n) => n.kind !== "class"),
    };
  }

  /** A number field as the bulletins show it: marked ≈ when the service also gives its exact fraction (`value_exact`). */
  function approx(obj, name) {
    return obj[name + "_exact"] ? el("span", { title: obj[name + "_exact"] }, "≈" + obj[name]) : obj[name];
  }

  /** A notice's name; a notice with steps (an escalation ladder) names the step it issued: 排名末位问责（约谈）. */
  function noticeText(n) {
    const label = n.label || n.name;
    const step = n.kind !== "class" ? n.class_label || n.class : null;
    return step ? label + "（" + step + "）" : label;
  }

  function boardTag(n) {
    const colour = classColour(n.class, n.class_label);
    return el(
      "span",
      { class: "board", style: "background:" + (colour || "#777"), title: (n.label || n.name) + "：" + (n.class_label || n.class) },
      n.class_label || n.class
    );
  }

  function renderResults() {
    const ev = state.evaluation;
    const ranking = currentRanking();
    clear(
      $("results-caption"),
      (ev.ruleset && ev.ruleset.title) || state.id,
      " · ",
      periodLabel(state.period),
      " · 数据截至 ",
      (ev.facts && ev.facts.as_of) || "—",
      " · ",
      state.facts.name
    );
    const table = $("ranking-table");
    if (!ranking) {
      clear(table);
      clear($("chart"));
      renderNotices();
      return;
    }
    const rows = ranking.entries.map((e) => ({ entry: e, result: result(e.unit, state.period) }));
    // Category columns in the order of the first result that has them.
    const categories = [];
    for (const row of rows) {
      for (const c of (row.result && row.result.categories) || []) {
        if (!categories.some((x) => x.category === c.category)) categories.push({ category: c.category, label: c.label || c.category });
      }
    }
    const converted = rows.some((row) => row.result && row.result.converted !== undefined && row.result.converted !== null);
    const hasBoard = rows.some((row) => noticesOf(row.result).classes.length);
    const tied = tiedUnits(ranking);
    clear(
      table,
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", {}, "名次"),
          el("th", {}, "单位"),
          el("th", {}, "得分"),
          converted ? el("th", {}, "折算分") : null,
          categories.map((c) => el("th", { "data-category": c.category }, c.label)),
          hasBoard ? el("th", {}, "红黄绿榜") : null,
          el("th", {}, "预警与提示")
        )
      ),
      el(
        "tbody",
        {},
        rows.map(({ entry, result: r }) => {
          const n = noticesOf(r);
          return el(
            "tr",
            {
              class: "unit" + (entry.unit === state.unit ? " selected" : ""),
              "data-unit": entry.unit,
              tabindex: 0,
              title: "查看得分说明",
              onclick: () => explain(entry.unit),
              onkeydown: (e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  explain(entry.unit);
                }
              },
            },
            el(
              "td",
              { class: "num rank" },
              entry.rank === null || entry.rank === undefined ? "—" : String(entry.rank),
              tied.has(entry.unit) ? el("span", { class: "tie", title: "并列未区分" }, "并列") : null
            ),
            el("td", { class: "name" }, entry.name || (r && r.name) || entry.unit),
            el("td", { class: "num total" }, entry.total),
            converted ? el("td", { class: "num" }, (r && r.converted) || "") : null,
            categories.map((c) => {
              const cat = r && (r.categories || []).find((x) => x.category === c.category);
              return el("td", { class: "num" }, cat ? categoryValue(cat) : "");
            }),
            hasBoard ? el("td", {}, n.classes.map(boardTag)) : null,
            el(
              "td",
              {},
              n.others.map((x) => el("span", { class: "notice-tag", title: (x.actions || []).join("、") }, noticeText(x)))
            )
          );
        })
      )
    );
    renderChart(rows);
    renderNotices();
    if (state.unit && rows.some((row) => row.entry.unit === state.unit)) explain(state.unit);
    else clear($("explanation"), el("p", { class: "meta" }, "点击排名表中的单位，查看逐项得分说明。"));
  }

  /** A category's subtotal, or its bonuses and deductions when it has no allotment. */
  function categoryValue(c) {
    if (c.subtotal !== null && c.subtotal !== undefined) return c.subtotal;
    const parts = [];
    if (c.bonuses && !/^0(\.0*)?$/.test(c.bonuses)) parts.push("+" + c.bonuses);
    if (c.deductions && !/^0(\.0*)?$/.test(c.deductions)) parts.push("-" + c.deductions);
    return parts.length ? parts.join(" ") : "0";
  }

  /** Units sharing a rank (并列): an unresolved tie, or the same rank twice. */
  function tiedUnits(ranking) {
    const tied = new Set();
    for (const group of ranking.unresolved_ties || []) for (const unit of group) tied.add(unit);
    const byRank = new Map();
    for (const e of ranking.entries) {
      if (e.rank === null || e.rank === undefined) continue;
      byRank.set(e.rank, (byRank.get(e.rank) || []).concat(e.unit));
    }
    for (const units of byRank.values()) if (units.length > 1) units.forEach((u) => tied.add(u));
    return tied;
  }

  /** The bar chart: one bar per unit in rank order, in its board colour. */
  function renderChart(rows) {
    const values = rows.map((row) => parseFloat(row.entry.total)).map((v) => (Number.isFinite(v) ? v : 0));
    const max = Math.max(0, ...values);
    const min = Math.min(0, ...values);
    const span = max - min || 1;
    const rowHeight = 22;
    const labelWidth = 170;
    const barWidth = 420;
    const width = labelWidth + barWidth + 70;
    const height = rows.length * rowHeight + 10;
    const zero = labelWidth + ((0 - min) / span) * barWidth;
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "得分图" });
    rows.forEach((row, i) => {
      const v = values[i];
      const y = 5 + i * rowHeight;
      const x0 = labelWidth + ((Math.min(v, 0) - min) / span) * barWidth;
      const w = (Math.abs(v) / span) * barWidth;
      const board = noticesOf(row.result).classes[0];
      const colour = (board && classColour(board.class, board.class_label)) || "#b71c1c";
      chart.append(
        svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end" }, row.entry.name || row.entry.unit),
        svg("rect", { x: x0, y: y + 3, width: Math.max(w, 1), height: rowHeight - 7, fill: colour, "data-unit": row.entry.unit }),
        svg("text", { x: x0 + Math.max(w, 1) + 4, y: y + 15 }, row.entry.total)
      );
    });
    chart.append(svg("line", { x1: zero, y1: 0, x2: zero, y2: height, stroke: "#999" }));
    clear($("chart"), chart);
  }

  /** Notices of the period, unresolved ties and the records not applied. */
  function renderNotices() {
    const period = state.period;
    const items = [];
    for (const r of resultsOf(period)) {
      for (const n of noticesOf(r).others) {
        items.push(
          el(
            "li",
            {},
            el("strong", {}, r.name, "："),
            NOTICE_KIND[n.kind] ? "［" + NOTICE_KIND[n.kind] + "］" : "",
            noticeText(n),
            (n.actions || []).length ? " → " + n.actions.join("、") : "",
            n.detail ? el("div", { class: "meta" }, n.detail) : null,
            clauseBlock(n.clauses)
          )
        );
      }
    }
    for (const rk of rankingsOf(period)) {
      for (const group of rk.unresolved_ties || []) {
        const names = group.map((u) => (result(u, period) || { name: u }).name);
        items.push(el("li", {}, el("strong", {}, "并列未区分："), (rk.label || rk.ranking) + " " + names.join("、")));
      }
    }
    const rejected = (state.evaluation.rejected || []).filter((x) => !x.record || !x.record.period || x.record.period === period || /^\d{4}$/.test(period));
    for (const x of rejected) {
      const rec = x.record || {};
      items.push(
        el(
          "li",
          {},
          el("strong", {}, "不予采用："),
          (result(x.unit, period) || { name: x.unit }).name,
          " ",
          [rec.kind ? kindLabel(rec.kind) : "", rec.id || ""].filter(Boolean).join(" "),
          rec.reported ? "（报送 " + rec.reported + "）" : "",
          "：",
          x.reason,
          clauseBlock(x.clauses)
        )
      );
    }
    clear($("notices"), items.length ? el("ul", {}, items) : el("p", { class: "meta" }, "本期无预警与提示。"));
  }

  /** A record counted by a line: id, period, reported date and attributes. */
  function recordText(entry) {
    const rec = entry.record || entry;
    const names = (state.attributeLabels && state.attributeLabels.get(rec.kind)) || new Map();
    const attrs = Object.entries(rec.attributes || {})
      .filter(([, v]) => v !== null)
      .map(([k, v]) => (names.get(k) || k) + "：" + (v === true ? "是" : v === false ? "否" : String(v)))
      .join("，");
    return [rec.kind ? kindLabel(rec.kind) : null, rec.id, rec.period, rec.reported ? "报送 " + rec.reported : null, attrs || null, entry.count !== undefined ? "×" + entry.count : null, entry.amount !== undefined ? signed(entry.amount) : null]
      .filter((x) => x !== null && x !== undefined && x !== "")
      .join(" · ");
  }

  /** The unit's explanation: every line with its clauses, limits and records. */
  function explain(unit) {
    state.unit = unit;
    for (const tr of document.querySelectorAll("#ranking-table tbody tr")) tr.classList.toggle("selected", tr.dataset.unit === unit);
    const r = result(unit, state.period);
    const box = $("explanation");
    if (!r) {
      clear(box, el("p", { class: "meta" }, "该单位本期无结果。"));
      return;
    }
    const ranking = (state.evaluation.rankings || []).find((x) => x.period === state.period && x.entries.some((e) => e.unit === unit));
    const entry = ranking && ranking.entries.find((e) => e.unit === unit);
    const n = noticesOf(r);
    clear(
      box,
      el("h3", { id: "explanation-title" }, r.name, "（", r.unit, "）", periodLabel(r.period)),
      el(
        "p",
        {},
        "得分 ",
        el("strong", { class: "total" }, r.total),
        r.converted ? "，折算分 " + r.converted : "",
        r.rank !== null && r.rank !== undefined ? "，" + ((ranking && ranking.label) || "排名") + "第 " + r.rank + " 名" : "，未排名",
        n.classes.length ? " " : "",
        n.classes.map(boardTag)
      ),
      el(
        "ol",
        { class: "lines" },
        (r.items || []).map((item) =>
          el(
            "li",
            { class: "line", "data-kind": item.kind, "data-rule": item.rule || "" },
            el("span", { class: "meta" }, "［", ITEM_KIND[item.kind] || item.kind, "］"),
            " ",
            item.kind === "base" && (!item.label || item.label === "base") ? "基本分" : item.label || item.rule || "",
            item.count ? el("span", { class: "meta" }, " ×" + item.count) : null,
            "：",
            el("span", { class: "amount " + (item.kind === "base" ? "" : signClass(item.amount)) }, item.kind === "base" ? item.amount : signed(item.amount)),
            item.raw !== item.amount ? el("span", { class: "meta" }, "（计得 " + item.raw + "）") : null,
            (item.limits || []).map((l) =>
              el("div", { class: "limits" }, "限额：", l.limit || "", "，", l.raw, " → ", l.applied, (l.clauses || []).length ? "（依据 " + l.clauses.join("、") + "）" : "")
            ),
            clauseBlock(item.clauses),
            (item.records || []).length
              ? el("div", { class: "records" }, "计入记录：", el("ul", {}, item.records.map((x) => el("li", {}, recordText(x)))))
              : null
          )
        )
      ),
      (r.measures || []).length
        ? el(
            "table",
            { class: "grid measures" },
            el("thead", {}, el("tr", {}, ["指标", "数值", "位次", "同组最高", "同组平均"].map((h) => el("th", {}, h)))),
            el(
              "tbody",
              {},
              r.measures.map((m) =>
                el(
                  "tr",
                  { "data-measure": m.measure },
                  el("td", {}, m.label || m.measure),
                  el("td", { class: "num" }, approx(m, "value")),
                  el("td", { class: "num" }, "第" + m.place + "名（共" + m.of + "个）"),
                  el("td", { class: "num" }, approx(m, "peer_max")),
                  el("td", { class: "num" }, approx(m, "peer_average"))
                )
              )
            )
          )
        : null,
      (r.outputs || []).length
        ? el(
            "div",
            { class: "outputs" },
            "结果运用（不计分）：",
            el(
              "ul",
              {},
              r.outputs.map((o) => el("li", { "data-output": o.output }, (o.label || o.output) + "：", el("strong", {}, approx(o, "value")), clauseBlock(o.clauses)))
            )
          )
        : null,
      el(
        "div",
        { class: "why" },
        el("div", {}, "各类别小计：", (r.categories || []).map((c) => (c.label || c.category) + " " + categoryValue(c)).join("；")),
        entry && entry.versus_above ? el("div", {}, "与上一名的区分依据：", TIE_KEY[entry.versus_above] || entry.versus_above) : null,
        entry && entry.versus_below ? el("div", {}, "与下一名的区分依据：", TIE_KEY[entry.versus_below] || entry.versus_below) : null,
        n.others.map((x) =>
          el("div", {}, (NOTICE_KIND[x.kind] || "提示") + "：", noticeText(x), (x.actions || []).length ? " → " + x.actions.join("、") : "", x.detail ? "（" + x.detail + "）" : "")
        )
      )
    );
  }

  async function bulletin(format) {
    if (!state.facts) return;
    const ext = format === "xlsx" ? "xlsx" : "html";
    const period = state.period ? "&period=" + encodeURIComponent(state.period) : "";
    try {
      const blob = await api("/v1/rulesets/" + encodeURIComponent(state.id) + "/evaluate?format=" + format + period, Object.assign(factsBody(), { blob: true }));
      download(blob, "通报-" + state.id + (state.period ? "-" + state.period : "") + "." + ext);
    } catch (e) {
      showBanner(e);
    }
  }

  // ----------------------------------------------------------------- editor

  let checkTimer = null;
  let checkSeq = 0;
  let diagnostics = [];

  function editorName() {
    return (state.id || "ruleset") + ".rules";
  }

  function setEditorText(text) {
    $("editor").value = text;
    diagnostics = [];
    renderGutter();
    clear($("diagnostics"));
    clear($("check-status"), text ? "" : "（服务未提供该规则集的原文；可粘贴规则集文本）");
    if (text) scheduleCheck(0);
  }

  function renderGutter() {
    const lines = $("editor").value.split("\n").length;
    const marks = new Map();
    for (const d of diagnostics) {
      if (!d.line) continue;
      const prev = marks.get(d.line);
      if (!prev || (prev.severity === "warning" && d.severity !== "warning")) marks.set(d.line, d);
    }
    const gutter = $("gutter");
    const spans = [];
    for (let i = 1; i <= lines; i++) {
      const d = marks.get(i);
      spans.push(el("span", d ? { class: d.severity === "warning" ? "warning" : "error", title: d.message, "data-line": i } : { "data-line": i }, String(i)));
    }
    clear(gutter, spans);
    gutter.scrollTop = $("editor").scrollTop;
  }

  function scheduleCheck(delay) {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, delay === undefined ? 400 : delay);
  }

  async function check() {
    const seq = ++checkSeq;
    const text = $("editor").value;
    clear($("check-status"), "检查中……");
    let body;
    try {
      body = await api("/v1/check?name=" + encodeURIComponent(editorName()), {
        method: "POST",
        body: text,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    } catch (e) {
      if (seq !== checkSeq) return;
      diagnostics = [];
      renderGutter();
      clear($("check-status"), "无法检查");
      clear($("diagnostics"), el("li", {}, errorsOf(e).map((x) => x.message).join("；")));
      return;
    }
    if (seq !== checkSeq) return; // a later keystroke's check is on its way
    diagnostics = body.diagnostics || [];
    renderGutter();
    const errors = diagnostics.filter((d) => d.severity !== "warning").length;
    const warnings = diagnostics.length - errors;
    clear(
      $("check-status"),
      el("span", { class: body.ok ? "up" : "down", id: "check-verdict" }, body.ok ? "检查通过" : "未通过检查"),
      diagnostics.length ? "：" + errors + " 个错误，" + warnings + " 个警告" : ""
    );
    clear(
      $("diagnostics"),
      diagnostics.length ? null : el("li", { class: "ok" }, "没有错误或警告。"),
      diagnostics.map((d) =>
        el(
          "li",
          { class: d.severity === "warning" ? "warning" : "error", "data-line": d.line || "", onclick: () => goTo(d.line, d.column) },
          el("strong", {}, severityLabel(d.severity), "："),
          d.line ? el("span", { class: "loc" }, "第" + d.line + "行" + (d.column ? "第" + d.column + "列" : "")) : null,
          d.message,
          d.help ? el("div", { class: "help" }, "提示：", d.help) : null,
          el("div", { class: "help" }, d.code || "")
        )
      )
    );
  }

  /** Puts the caret at a 1-based line and column (columns in characters). */
  function goTo(line, column) {
    if (!line) return;
    const area = $("editor");
    const lines = area.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    const text = lines[line - 1] || "";
    // Columns count characters (code points); the textarea counts UTF-16 units.
    const prefix = Array.from(text).slice(0, Math.max((column || 1) - 1, 0)).join("");
    offset += prefix.length;
    area.focus();
    area.setSelectionRange(offset, offset);
    area.scrollTop = Math.max(0, (line - 5) * 18);
    renderGutter();
  }

  // ------------------------------------------------------------------- diff

  async function runDiff() {
    const box = $("diff");
    if (!state.facts) {
      clear(box, el("p", { class: "down" }, "请先在“考核结果”中上传台账或考核数据文件。"));
      return;
    }
    if (state.source === null) {
      clear(box, el("p", { class: "down" }, "服务未提供该规则集的原文，无法比较。"));
      return;
    }
    let facts;
    if (state.facts.kind === "json") {
      facts = state.facts.text;
    } else {
      // The diff takes a fact file: the ledger is read into one by the service.
      try {
        facts = await api("/v1/rulesets/" + encodeURIComponent(state.id) + "/import", factsBody());
      } catch (e) {
        clear(box, el("p", {}, "无法把台账转为考核数据文件："), errorList(errorsOf(e)));
        return;
      }
    }
    clear(box, el("p", { class: "meta" }, "比较中……"));
    let impact;
    try {
      impact = await api("/v1/diff", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          old: { name: editorName() + "（已发布）", text: state.source },
          new: { name: editorName(), text: $("editor").value },
          facts,
        }),
      });
    } catch (e) {
      clear(box, el("p", {}, "无法比较："), errorList(errorsOf(e)));
      return;
    }
    renderDiff(impact);
  }

  function beforeAfter(pair) {
    if (!pair) return "";
    const b = pair.before === null || pair.before === undefined ? "—" : String(pair.before);
    const a = pair.after === null || pair.after === undefined ? "—" : String(pair.after);
    return b === a ? b + "（不变）" : b + " → " + a;
  }

  function renderDiff(impact) {
    const s = impact.summary || {};
    const changes = impact.changes || [];
    const rules = impact.rules || {};
    let lastPeriod = null;
    const blocks = [];
    for (const c of changes) {
      if (c.period !== lastPeriod) {
        blocks.push(el("h3", {}, periodLabel(c.period)));
        lastPeriod = c.period;
      }
      const rankMove = c.rank && c.rank.before !== null && c.rank.after !== null && c.rank.before !== undefined ? c.rank.before - c.rank.after : 0;
      blocks.push(
        el(
          "div",
          { class: "diff-change", "data-unit": c.unit },
          el("strong", {}, c.name || c.unit),
          "　得分 ",
          beforeAfter(c.total),
          c.converted && (c.converted.before !== null || c.converted.after !== null) ? "　折算分 " + beforeAfter(c.converted) : "",
          "　名次 ",
          el("span", { class: rankMove > 0 ? "up" : rankMove < 0 ? "down" : "" }, beforeAfter(c.rank), rankMove > 0 ? " ↑" : rankMove < 0 ? " ↓" : ""),
          el(
            "div",
            { class: "lines" },
            (c.lines || []).map((l) =>
              el(
                "div",
                {},
                l.label || l.line,
                "：",
                beforeAfter(l.amount),
                l.delta ? "（" + signed(l.delta) + "）" : "",
                l.status === "added" ? " ［新增规则］" : l.status === "removed" ? " ［删除规则］" : "",
                (l.limits_after || []).length ? el("span", { class: "meta" }, " 现：" + l.limits_after.join("；")) : null,
                (l.clauses || []).length ? el("span", { class: "meta" }, " 依据 " + l.clauses.join("、")) : null
              )
            ),
            (c.gained || []).length ? el("div", {}, "新增：", c.gained.map(String).join("、")) : null,
            (c.lost || []).length ? el("div", {}, "不再：", c.lost.map(String).join("、")) : null
          )
        )
      );
    }
    clear(
      $("diff"),
      el(
        "p",
        { id: "diff-summary" },
        "比较了 " + (s.results_compared ?? "—") + " 个结果：" + (s.units_changed_score ?? 0) + " 个单位得分变化，" + (s.units_changed_rank ?? 0) + " 个单位名次变化；预警等结果新增 " + (s.consequences_gained ?? 0) + " 项、取消 " + (s.consequences_lost ?? 0) + " 项。"
      ),
      (rules.added || []).length ? el("p", {}, "新增规则：", rules.added.join("、")) : null,
      (rules.removed || []).length ? el("p", {}, "删除规则：", rules.removed.join("、")) : null,
      changes.length ? blocks : el("p", { class: "meta" }, "修改不影响任何单位的得分、名次和预警。")
    );
  }

  // ---------------------------------------------------------- seal & audit

  async function seal(event) {
    event.preventDefault();
    const box = $("seal-result");
    const period = $("seal-period").value.trim();
    const token = $("seal-token").value.trim();
    if (!state.facts) {
      clear(box, el("p", { class: "down" }, "请先在“考核结果”中上传本期的台账或考核数据文件。"));
      return;
    }
    if (!period) {
      clear(box, el("p", { class: "down" }, "请填写要封存的考核期，如 2023-09。"));
      return;
    }
    const opts = factsBody();
    if (token) opts.headers.Authorization = "Bearer " + token;
    clear(box, el("p", { class: "meta" }, "封存中……"));
    try {
      const body = await api("/v1/rulesets/" + encodeURIComponent(state.id) + "/periods/" + encodeURIComponent(period) + "/seal", opts);
      clear(box, sealedView(period, body));
      await audit();
    } catch (e) {
      const errors = errorsOf(e);
      const hint =
        e instanceof ApiError && e.status === 401
          ? "口令不正确或未填写。"
          : e instanceof ApiError && (e.status === 404 || e.status === 405)
            ? "本服务未提供封存功能（需要以 rulec serve --data DIR --token-file FILE 启动的服务）。"
            : null;
      clear(box, el("p", { class: "down" }, "未封存。", hint || ""), errorList(errors));
    }
  }

  async function audit() {
    const box = $("audit");
    clear(box, el("p", { class: "meta" }, "核验中……"));
    try {
      const body = await api("/v1/audit");
      clear(box, auditView(body));
    } catch (e) {
      const absent = e instanceof ApiError && (e.status === 404 || e.status === 405);
      clear(box, absent ? el("p", { class: "down" }, "本服务未提供审计功能（需要以 rulec serve --data DIR 启动的服务）。") : null, errorList(errorsOf(e)));
    }
  }

  /** A hash, shortened for reading; the whole in the tooltip. */
  function shortHash(h) {
    const text = String(h || "");
    const m = /^(sha256:)?([0-9a-f]{12})[0-9a-f]*$/.exec(text);
    return el("span", { class: "hash", title: text }, m ? m[2] + "…" : text);
  }

  /** Seals as a table: number, period, when, data date, records, hashes. */
  function sealTable(rows) {
    return el(
      "table",
      { class: "grid seals" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ["序号", "规则集", "考核期", "封存时间", "数据截至", "记录数", "引擎", "规则集哈希", "上一封存", "本封存哈希", "核验"].map((h) => el("th", {}, h))
        )
      ),
      el(
        "tbody",
        {},
        // An audited seal is the seal's fields and `ok` (flattened); a seal
        // just made comes as `{seal}`.
        rows.map((row) => [row.seal || row, row.ok]).map(([x, ok]) =>
          el(
            "tr",
            { "data-seq": x.seq },
            el("td", { class: "num" }, x.seq),
            el("td", {}, x.ruleset),
            el("td", {}, periodLabel(x.period)),
            el("td", {}, x.sealed_at),
            el("td", {}, x.as_of),
            el("td", { class: "num" }, x.records),
            el("td", {}, x.engine),
            el("td", {}, shortHash(x.ruleset_hash)),
            el("td", {}, shortHash(x.prev_hash)),
            el("td", {}, shortHash(x.hash)),
            el("td", { class: ok === false ? "down" : ok === true ? "up" : "" }, ok === false ? "不一致" : ok === true ? "通过" : "")
          )
        )
      )
    );
  }

  /** The answer of a seal: the seal, and the records that contradict sealed periods. */
  function sealedView(period, body) {
    if (!body || !body.seal) return [el("p", { class: "up" }, periodLabel(period) + " 已封存。"), jsonView(body)];
    const rejected = body.rejected || [];
    return [
      el("p", { class: "up", id: "seal-done" }, periodLabel(body.seal.period || period) + " 已封存（第 " + body.seal.seq + " 号封存）。"),
      sealTable([{ seal: body.seal }]),
      rejected.length
        ? [
            el("p", {}, "与已封存考核期矛盾、不予采用的记录："),
            el(
              "ul",
              {},
              rejected.map((x) => el("li", {}, [x.unit, x.record && x.record.id, "：", x.reason].filter(Boolean).join(" ")))
            ),
          ]
        : null,
    ];
  }

  /** The audit: the chain re-checked and every sealed period re-evaluated. */
  function auditView(body) {
    if (!body || !Array.isArray(body.seals)) return jsonView(body);
    const errors = body.errors || [];
    return [
      el(
        "p",
        { class: body.ok ? "up" : "down", id: "audit-verdict" },
        body.ok
          ? "审计链完整：共 " + body.seals.length + " 个封存，哈希链连续，各封存期重新计算的结果与封存时一致。"
          : "发现问题：封存数据被改动或与重新计算的结果不一致，见下。"
      ),
      el("p", { class: "meta" }, "数据库 ", body.file || "", " · 链头 ", shortHash(body.head)),
      errors.length
        ? el(
            "ul",
            { class: "errors" },
            errors.map((e) =>
              el("li", { class: "error" }, el("strong", {}, "错误："), e.seal ? el("span", { class: "loc" }, "第 " + e.seal + " 号封存") : null, e.message, e.help ? el("div", { class: "help" }, "提示：", e.help) : null, e.code ? el("div", { class: "help" }, e.code) : null)
            )
          )
        : null,
      body.seals.length ? sealTable(body.seals) : el("p", { class: "meta" }, "尚无封存。"),
    ];
  }

  /** Any JSON, readably: arrays of objects as tables, the rest as a tree. */
  function jsonView(value) {
    if (Array.isArray(value)) {
      if (value.length && value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
        const keys = [...new Set(value.flatMap((v) => Object.keys(v)))];
        return el(
          "table",
          { class: "grid" },
          el("thead", {}, el("tr", {}, keys.map((k) => el("th", {}, k)))),
          el(
            "tbody",
            {},
            value.map((v) => el("tr", {}, keys.map((k) => el("td", {}, v[k] !== null && typeof v[k] === "object" ? jsonView(v[k]) : v[k] === undefined || v[k] === null ? "" : String(v[k])))))
          )
        );
      }
      return el("span", {}, value.map((v) => (v !== null && typeof v === "object" ? JSON.stringify(v) : String(v))).join("、"));
    }
    if (value !== null && typeof value === "object") {
      return el(
        "dl",
        { class: "json-object" },
        Object.entries(value).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v !== null && typeof v === "object" ? jsonView(v) : String(v))])
      );
    }
    return el("span", {}, String(value));
  }

  // ------------------------------------------------------------------ start

  function start() {
    for (const button of document.querySelectorAll(".tabs button")) button.addEventListener("click", () => showTab(button.dataset.tab));
    $("ruleset-select").addEventListener("change", (e) => chooseRuleset(e.target.value));
    $("facts-input").addEventListener("change", async (e) => {
      const file = e.target.files && e.target.files[0];
      if (!file) return;
      state.facts = await readFacts(file);
      clear($("facts-name"), "已上传：", file.name);
      e.target.value = "";
      await evaluate();
    });
    $("period-select").addEventListener("change", (e) => choosePeriod(e.target.value));
    $("ranking-select").addEventListener("change", (e) => {
      state.ranking = e.target.value;
      renderResults();
    });
    $("bulletin-html").addEventListener("click", () => bulletin("html"));
    $("bulletin-xlsx").addEventListener("click", () => bulletin("xlsx"));
    const area = $("editor");
    area.addEventListener("input", () => {
      renderGutter();
      scheduleCheck();
    });
    area.addEventListener("scroll", () => {
      $("gutter").scrollTop = area.scrollTop;
    });
    $("editor-reset").addEventListener("click", () => setEditorText(state.source || ""));
    $("diff-run").addEventListener("click", runDiff);
    $("seal-form").addEventListener("submit", seal);
    $("audit-run").addEventListener("click", audit);
    loadRulesets();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
