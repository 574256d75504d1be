// End-to-end test of the workbench page (issue 17 §3), in headless Chromium
// (Debian's /usr/bin/chromium) driven by playwright-core, against the real
// `rulec serve` on a free loopback port:
//
//   1. the ledger: Shaodong's blank template from the service, filled by this
//      test with the records of rulesets/shaodong-2023/examples/2023-h2.json
//      (as an office types them: exceljs writes the cells; kept as
//      target/web-artifacts/shaodong-2023-h2.xlsx);
//   2. the rules tab lists the rules by category with their clause texts;
//   3. uploading the ledger shows 17 ranked units (October 2023: the tie of
//      市妇联 and 市残联 marked 并列, the 预警通知 of 市经开区征拆中心), the bar
//      chart, and a unit's explanation line by line with clause ids and texts;
//   4. the bulletin downloads as a web page and as a workbook;
//   5. a typo in the editor gets its line marker and message; the media cap
//      changed 10 → 5 shows who moves and why (the diff);
//   6. sealing and the audit chain answer without breaking the page.
// Every request that is not to the service is refused and counted: the page
// must be self-contained. Screenshots (Noto CJK installed) go to
// target/web-artifacts/; DOCS_SCREENSHOT=1 also writes docs/img/workbench.png.
//
// Run: cd tests/web && npm ci && node --test   (after `cargo build -p rulec`;
// RULEC=path overrides target/debug/rulec, CHROMIUM=path the browser;
// KAOHE_URL=http://127.0.0.1:PORT tests a service already running instead).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = join(root, "target/web-artifacts");
mkdirSync(artifacts, { recursive: true });
const rulec = process.env.RULEC || join(root, "target/debug/rulec");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const RULESET = "shaodong-2023";

let server;
let base;
let browser;
let ledgerPath;
let sealing = false; // whether the service has the seal endpoints
const serverLog = [];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, child, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error("rulec serve exited with " + child.exitCode + ":\n" + serverLog.join(""));
    try {
      const r = await fetch(url + "/healthz");
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("rulec serve did not answer /healthz within " + ms + " ms:\n" + serverLog.join(""));
}

/** Fills the service's blank ledger with a fact file's units and records. */
async function fillLedger(templateBytes, schema, facts) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(templateBytes);
  const keysOf = (ws) => {
    const keys = [];
    ws.getRow(2).eachCell({ includeEmpty: true }, (cell, col) => {
      if (cell.text) keys[col] = cell.text;
    });
    return keys;
  };
  const write = (ws, rowNo, values) => {
    const keys = keysOf(ws);
    const row = ws.getRow(rowNo);
    keys.forEach((key, col) => {
      if (!key || !(key in values)) return;
      const v = values[key];
      if (v === null || v === undefined) return;
      if (typeof v === "boolean") row.getCell(col).value = v ? "是" : "否";
      else if (typeof v === "number" && Number.isInteger(v)) row.getCell(col).value = v;
      else row.getCell(col).value = String(v);
    });
    row.commit();
  };
  const info = wb.getWorksheet("说明");
  info.getCell("B3").value = facts.as_of;
  if (facts.description) info.getCell("B4").value = facts.description;
  if (facts.periods) info.getCell("B5").value = facts.periods.join(", ");

  const units = wb.getWorksheet("单位");
  facts.units.forEach((u, i) => write(units, 3 + i, Object.assign({ id: u.id, name: u.name, group: u.group }, u.attributes || {})));

  // A record kind's sheet is named by its label (the schema's description), else by its name.
  const labels = new Map();
  for (const alt of schema.properties.records.items.oneOf) labels.set(alt.properties.kind.const, alt.description);
  const next = new Map();
  for (const rec of facts.records) {
    const ws = wb.getWorksheet(labels.get(rec.kind)) || wb.getWorksheet(rec.kind);
    assert.ok(ws, "no sheet for record kind " + rec.kind);
    const rowNo = next.get(ws.name) || 3;
    next.set(ws.name, rowNo + 1);
    const values = Object.assign({ unit: rec.unit, period: rec.period, reported: rec.reported, id: rec.id, count: rec.count, revision: rec.revision }, rec.attributes || {});
    write(ws, rowNo, values);
  }
  const discretion = wb.getWorksheet("酌定排序");
  let rowNo = 3;
  for (const [period, order] of Object.entries(facts.discretion || {})) {
    for (const unit of order) write(discretion, rowNo++, { period, unit });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

before(async () => {
  assert.ok(existsSync(rulec), "build rulec first (cargo build -p rulec): " + rulec);
  assert.ok(existsSync(chromiumPath), "install Chromium (apt-get install chromium): " + chromiumPath);
  const port = await freePort();
  base = process.env.KAOHE_URL || "http://127.0.0.1:" + port;
  const tmp = mkdtempSync(join(tmpdir(), "kaohe-web-"));
  writeFileSync(join(tmp, "token"), "page-test-token\n");
  mkdirSync(join(tmp, "data"));
  if (!process.env.KAOHE_URL) server = spawn(rulec, ["serve", "--addr", "127.0.0.1:" + port, "--rulesets", join(root, "rulesets"), "--data", join(tmp, "data"), "--token-file", join(tmp, "token")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (server) {
    server.stdout.on("data", (d) => serverLog.push(String(d)));
    server.stderr.on("data", (d) => serverLog.push(String(d)));
  }
  await waitHealthy(base, server || { exitCode: null }, 60000);

  // The ledger an office would fill in, from the service's own template.
  const template = Buffer.from(await (await fetch(base + "/v1/rulesets/" + RULESET + "/template")).arrayBuffer());
  assert.equal(template.subarray(0, 2).toString(), "PK", "the template is an xlsx");
  const schema = await (await fetch(base + "/v1/rulesets/" + RULESET + "/schema")).json();
  const facts = JSON.parse(readFileSync(join(root, "rulesets/shaodong-2023/examples/2023-h2.json"), "utf8"));
  ledgerPath = join(artifacts, "shaodong-2023-h2.xlsx");
  writeFileSync(ledgerPath, await fillLedger(template, schema, facts));

  const openapi = await (await fetch(base + "/openapi.json")).json();
  sealing = Object.keys(openapi.paths || {}).some((p) => p.endsWith("/seal"));

  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--lang=zh-CN"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill("SIGINT");
  writeFileSync(join(artifacts, "server.log"), serverLog.join(""));
});

test("the workbench: rules, ranking from an uploaded ledger, explanation, bulletin, editor, diff, seal", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", acceptDownloads: true });
  const page = await context.newPage();
  const outside = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base + "/") || url.startsWith("blob:") || url.startsWith("data:")) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push("console: " + m.text());
  });
  const shot = (name) => page.screenshot({ path: join(artifacts, name), fullPage: false });

  // 1. Choose the ruleset; its rules by category with their clause texts.
  await page.goto(base + "/");
  await page.locator("#ruleset-select").selectOption(RULESET);
  await page.locator('#rules .rule[data-rule="media"]').waitFor();
  const categories = await page.locator("#rules .rules-category h2").allTextContents();
  assert.ok(categories.some((c) => c.includes("重点工作")), "categories: " + categories.join(" | "));
  const media = page.locator('#rules .rule[data-rule="media"]');
  await media.waitFor();
  assert.match(await media.textContent(), /SD-3\.1\.3③/);
  assert.match(await media.locator(".clause-text").first().textContent(), /\S{8,}/, "the media rule's clause has its text");
  await shot("1-rules.png");

  // 2. Upload the filled ledger: 17 ranked units, ties, notices, chart.
  await page.locator('.tabs button[data-tab="results"]').click();
  const template = page.locator("#template-link");
  assert.equal(await template.getAttribute("href"), "/v1/rulesets/" + RULESET + "/template");
  // A fact file with a mistake: every error shown with its place, no result.
  const bad = JSON.parse(readFileSync(join(root, "rulesets/shaodong-2023/examples/2023-h2.json"), "utf8"));
  bad.records[4].unit = "nobody";
  const badPath = join(artifacts, "bad-facts.json");
  writeFileSync(badPath, JSON.stringify(bad));
  await page.locator("#facts-input").setInputFiles(badPath);
  await page.locator("#facts-errors .errors li").first().waitFor({ timeout: 30000 });
  assert.match(await page.locator("#facts-errors").textContent(), /\$\.records\[4\]/);
  assert.ok(await page.locator("#results-body").isHidden(), "no result beside errors");
  await shot("2a-errors.png");
  await page.locator("#facts-input").setInputFiles(ledgerPath);
  await page.locator("#results-body").waitFor({ state: "visible", timeout: 30000 });
  const errorsShown = await page.locator("#facts-errors").textContent();
  assert.equal(errorsShown.trim(), "", "the ledger is refused: " + errorsShown);
  await page.locator("#period-select").selectOption("2023-10");
  const rows = page.locator("#ranking-table tbody tr");
  assert.equal(await rows.count(), 17, "17 ranked units");
  const ranks = await page.locator("#ranking-table tbody td.rank").allTextContents();
  assert.equal(ranks[0], "1");
  const tied = await page.locator("#ranking-table tbody tr:has(.tie) td.name").allTextContents();
  assert.deepEqual(tied.sort(), ["市妇联", "市残联"].sort(), "the unresolved tie is marked 并列");
  assert.match(await page.locator('#ranking-table tr[data-unit="zczx"]').textContent(), /预警通知/);
  assert.equal(await page.locator("#chart svg rect").count(), 17, "one bar per unit");
  assert.match(await page.locator("#notices").textContent(), /预警通知[\s\S]*约谈/);
  assert.match(await page.locator("#notices").textContent(), /并列未区分/);

  // 3. A unit's explanation, line by line with the clause of each line.
  await page.locator('#ranking-table tr[data-unit="zczx"]').click();
  await page.locator("#explanation ol.lines li").first().waitFor();
  const lines = page.locator("#explanation ol.lines li.line");
  assert.ok((await lines.count()) >= 2, "several lines");
  for (let i = 0; i < (await lines.count()); i++) {
    assert.ok((await lines.nth(i).locator(".clause-ref").count()) >= 1, "line " + (i + 1) + " names its clause");
  }
  assert.match(await page.locator("#explanation").textContent(), /市经开区征拆中心/);
  assert.ok((await page.locator("#explanation .clause-text").count()) >= 1, "clause texts shown");
  // The total exactly as the service gives it.
  const total = await page.locator('#ranking-table tr[data-unit="zczx"] td.total').textContent();
  assert.equal(await page.locator("#explanation .total").textContent(), total);
  await shot("2-results.png");
  if (process.env.DOCS_SCREENSHOT) {
    mkdirSync(join(root, "docs/img"), { recursive: true });
    copyFileSync(join(artifacts, "2-results.png"), join(root, "docs/img/workbench.png"));
  }

  // 4. The bulletin, as a web page and as a workbook.
  let [download] = await Promise.all([page.waitForEvent("download"), page.locator("#bulletin-html").click()]);
  const htmlPath = join(artifacts, "bulletin-2023-10.html");
  await download.saveAs(htmlPath);
  const html = readFileSync(htmlPath, "utf8");
  assert.match(html, /市经开区征拆中心/);
  assert.match(html, /2023年10月|2023-10/);
  [download] = await Promise.all([page.waitForEvent("download"), page.locator("#bulletin-xlsx").click()]);
  const xlsxPath = join(artifacts, "bulletin-2023-10.xlsx");
  await download.saveAs(xlsxPath);
  assert.equal(readFileSync(xlsxPath).subarray(0, 2).toString(), "PK");

  // 5. The editor: the published text checks clean; a typo gets its marker.
  await page.locator('.tabs button[data-tab="editor"]').click();
  await page.locator("#check-verdict").waitFor({ timeout: 30000 });
  assert.equal(await page.locator("#check-verdict").textContent(), "检查通过");
  const editor = page.locator("#editor");
  const text = await editor.inputValue();
  assert.ok(text.length > 1000, "the ruleset's text is in the editor");
  // `per media_report` → `per media_reprot` on the media rule's line.
  const at = text.indexOf("per media_report");
  assert.ok(at > 0, "the media rule counts per media_report");
  const typoLine = text.slice(0, at).split("\n").length;
  await editor.fill(text.slice(0, at) + "per media_reprot" + text.slice(at + "per media_report".length));
  const marker = page.locator('#gutter span.error[data-line="' + typoLine + '"]');
  await marker.waitFor({ timeout: 30000 });
  assert.equal(await page.locator("#check-verdict").textContent(), "未通过检查");
  const messages = await page.locator('#diagnostics li[data-line="' + typoLine + '"]').allTextContents();
  assert.ok(messages.length >= 1, "a message on line " + typoLine);
  assert.match(messages.join("\n"), /media_reprot/);
  // Clicking the message puts the caret on the line (and scrolls to it).
  await page.locator('#diagnostics li[data-line="' + typoLine + '"]').first().click();
  const caretLine = await editor.evaluate((area) => area.value.slice(0, area.selectionStart).split("\n").length);
  assert.equal(caretLine, typoLine);
  await shot("3-editor-typo.png");

  // The diff: the media cap 10 → 5 on the uploaded ledger (docs/cases.md's example).
  const cap = text.indexOf("cap 10 per period");
  assert.ok(cap > 0, "the media cap is 10 per period");
  await editor.fill(text.slice(0, cap) + "cap 5 per period" + text.slice(cap + "cap 10 per period".length));
  await page.locator("#check-verdict").filter({ hasText: "检查通过" }).waitFor({ timeout: 30000 });
  await page.locator("#diff-run").click();
  await page.locator("#diff-summary").waitFor({ timeout: 60000 });
  assert.match(await page.locator("#diff-summary").textContent(), /[1-9]\d* 个单位得分变化/);
  assert.ok((await page.locator('#diff .diff-change[data-unit="wjj"]').count()) >= 1, "市卫生健康局 loses points");
  assert.match(await page.locator('#diff .diff-change[data-unit="wjj"]').first().textContent(), /110 → 105/);
  await shot("4-diff.png");

  // 6. Seal a period with the token, then the audit chain: whatever the
  // service answers, the page shows it and keeps working.
  await page.locator('.tabs button[data-tab="seal"]').click();
  await page.locator("#seal-period").fill("2023-07");
  await page.locator("#seal-token").fill("wrong-token");
  await page.locator("#seal-form button[type=submit]").click();
  await page.locator("#seal-result :is(.errors, p.up, p.down)").first().waitFor({ timeout: 30000 });
  assert.doesNotMatch(await page.locator("#seal-result").textContent(), /已封存/, "a wrong token does not seal");
  await page.locator("#seal-token").fill("page-test-token");
  await page.locator("#seal-form button[type=submit]").click();
  await page.waitForFunction(() => !document.querySelector("#seal-result").textContent.includes("封存中"));
  await page.locator("#audit-run").click();
  await page.waitForFunction(() => {
    const t = document.querySelector("#audit").textContent;
    return t.length > 0 && !t.includes("核验中");
  });
  const sealResult = await page.locator("#seal-result").textContent();
  if (sealing) {
    // The service seals (helper `seal`'s endpoints are there): the right token seals.
    assert.match(sealResult, /2023年7月 已封存/, sealResult);
    assert.equal(await page.locator("#seal-result table.seals tbody tr").count(), 1);
    assert.match(await page.locator("#audit-verdict").textContent(), /审计链完整：共 1 个封存/);
    assert.equal(await page.locator('#audit table.seals tr[data-seq="1"] td').last().textContent(), "通过");
  } else {
    assert.match(sealResult, /本服务未提供封存功能/, sealResult);
  }
  await shot("5-seal.png");

  assert.deepEqual(outside, [], "the page fetched nothing from elsewhere");
  assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource/.test(e)), [], "no script error");
  await context.close();
});
