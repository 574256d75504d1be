// The workbench page's explanation shows what is not a line item (issue 13
// §2, §4, §12): a unit's measures (value, place, the peers' highest and
// average), its outputs that are not points, and the step a ladder notice
// issued. Against the real `rulec serve` over tests/constructs/, in headless
// Chromium (as workbench.test.mjs), with the facts of the golden cases
// tests/constructs/{measures,output,ladder}/cases/*.toml uploaded as fact files
// (copied here as JSON: the expected values are the cases' own).
//
// Run: cd tests/web && npm ci && node --test   (after `cargo build -p rulec`).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = join(root, "target/web-artifacts");
mkdirSync(artifacts, { recursive: true });
const rulec = process.env.RULEC || join(root, "target/debug/rulec");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

let server;
let base;
let browser;
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

async function waitHealthy(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error("rulec serve exited with " + server.exitCode + ":\n" + serverLog.join(""));
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

before(async () => {
  assert.ok(existsSync(rulec), "build rulec first (cargo build -p rulec): " + rulec);
  assert.ok(existsSync(chromiumPath), "install Chromium (apt-get install chromium): " + chromiumPath);
  const port = await freePort();
  base = "http://127.0.0.1:" + port;
  server = spawn(rulec, ["serve", "--addr", "127.0.0.1:" + port, "--rulesets", join(root, "tests/constructs")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => serverLog.push(String(d)));
  server.stderr.on("data", (d) => serverLog.push(String(d)));
  await waitHealthy(base, 60000);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--lang=zh-CN"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill("SIGINT");
  writeFileSync(join(artifacts, "constructs-server.log"), serverLog.join(""));
});

/** Opens the page on `ruleset`, uploads `facts`, picks `period` and clicks `unit`; returns the page. */
async function explanationOf(ruleset, facts, period, unit) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    return url.startsWith(base + "/") || url.startsWith("blob:") || url.startsWith("data:") ? route.continue() : route.abort();
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/?ruleset=" + ruleset);
  await page.locator('.tabs button[data-tab="results"]').click();
  const path = join(artifacts, ruleset + "-facts.json");
  writeFileSync(path, JSON.stringify(facts));
  await page.locator("#facts-input").setInputFiles(path);
  await page.locator("#results-body").waitFor({ state: "visible", timeout: 30000 });
  await page.locator("#period-select").selectOption(period);
  await page.locator('#ranking-table tr[data-unit="' + unit + '"]').click();
  await page.locator("#explanation ol.lines li").first().waitFor();
  await page.screenshot({ path: join(artifacts, ruleset + "-explanation.png") });
  return { page, errors, context };
}

const rec = (unit, period, kind, reported, attributes, count) => Object.assign({ unit, period, kind, reported, attributes }, count ? { count } : {});

test("measures: value, place, the peers' highest and average in the explanation", async () => {
  // tests/constructs/measures/cases/places-and-peers.toml
  const t = (id, name) => ({ id, name, group: "township", attributes: { investment_target: "100" } });
  const facts = {
    as_of: "2026-03-31",
    units: [t("t1", "甲镇"), t("t2", "乙镇"), t("t3", "丙镇"), t("t4", "丁镇")],
    records: [
      rec("t1", "2026-03", "project", "2026-03-31", { name: "道路", done: true }, 4),
      rec("t2", "2026-03", "project", "2026-03-31", { name: "道路", done: true }, 3),
      rec("t3", "2026-03", "project", "2026-03-31", { name: "道路", done: true }, 2),
      rec("t3", "2026-03", "project", "2026-03-31", { name: "学校", done: false }),
      rec("t4", "2026-03", "project", "2026-03-31", { name: "道路", done: true }),
      rec("t4", "2026-03", "project", "2026-03-31", { name: "学校", done: false }, 2),
      rec("t1", "2026-03", "publicity", "2026-03-31", { outlet: "县报" }, 3),
      rec("t2", "2026-03", "publicity", "2026-03-31", { outlet: "县报" }),
      rec("t4", "2026-03", "publicity", "2026-03-31", { outlet: "县报" }, 2),
      rec("t1", "2026-03", "investment", "2026-03-31", { amount: "165" }),
      rec("t2", "2026-03", "investment", "2026-03-31", { amount: "50" }),
      rec("t3", "2026-03", "investment", "2026-03-31", { amount: "190" }),
      rec("t4", "2026-03", "investment", "2026-03-31", { amount: "119.99" }),
    ],
  };
  const { page, errors, context } = await explanationOf("measures", facts, "2026-03", "t3");
  const cells = async (measure) => page.locator('#explanation table.measures tr[data-measure="' + measure + '"] td').allTextContents();
  // 2 of 3 projects done: 2/3, third of four; best 1, average 3/4.
  assert.deepEqual(await cells("completion"), ["项目完成率", "≈0.6667", "第3名（共4个）", "1", "0.75"]);
  assert.deepEqual(await cells("reports"), ["宣传报道数", "0", "第4名（共4个）", "3", "1.5"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("outputs: the subsidy withheld beside the score, with its clause", async () => {
  // tests/constructs/output/cases/withheld.toml
  const u = (id, name) => ({ id, name, group: "lead" });
  const facts = {
    as_of: "2026-04-30",
    units: [u("a", "甲局"), u("b", "乙局"), u("c", "丙局")],
    records: [
      rec("a", "2026-04", "missed_task", "2026-04-20", { task: "任务一" }, 5),
      rec("b", "2026-04", "missed_task", "2026-04-20", { task: "任务二" }),
      rec("c", "2026-04", "missed_task", "2026-04-20", { task: "任务三" }, 20),
    ],
  };
  const { page, errors, context } = await explanationOf("output", facts, "2026-04", "a");
  const line = page.locator('#explanation .outputs li[data-output="withheld"]');
  assert.match(await line.textContent(), /扣减工作经费（%）：50/);
  assert.match(await line.textContent(), /OP-4/);
  assert.equal(await page.locator("#explanation table.measures").count(), 0, "no measures declared");
  assert.deepEqual(errors, []);
  await context.close();
});

test("ladder: the step a notice issued", async () => {
  // tests/constructs/ladder/cases/highest-step.toml, January to March
  const facts = {
    as_of: "2026-04-20",
    units: [
      { id: "t1", name: "甲镇", group: "township" },
      { id: "t2", name: "乙镇", group: "township" },
      { id: "d1", name: "丙局", group: "department" },
      { id: "d2", name: "丁局", group: "department" },
    ],
    records: ["2026-01", "2026-02", "2026-03"].flatMap((p, i) => [
      rec("t1", p, "missed_task", p + "-20", { task: "任务" + (i + 1) }),
      rec("d1", p, "missed_task", p + "-20", { task: "任务" + (i + 1) }),
    ]),
  };
  const { page, errors, context } = await explanationOf("ladder", facts, "2026-02", "t1");
  // Last twice: 约谈, not also 口头检查.
  assert.match(await page.locator("#explanation").textContent(), /排名末位问责（约谈）/);
  assert.doesNotMatch(await page.locator("#explanation").textContent(), /口头检查）/);
  assert.match(await page.locator('#ranking-table tr[data-unit="t1"]').textContent(), /排名末位问责（约谈）/);
  assert.deepEqual(errors, []);
  await context.close();
});
