// The notebook in a real browser: `jupyter notebook` on localhost with this checkout's frugal-java kernel,
// driven by Debian's headless chromium through playwright-core (no browser is downloaded).
//
//   node kernels/browser-test/browser-test.mjs        (scripts/test runs it when chromium is installed)
//
// Opens a copy of notebooks/00-tour.ipynb (FRUGAL_BUDGET=quick), runs all cells from the Cell menu, and checks
// in the page that the charts render as images, the NDArray table and the finished progress bar show, and no
// cell shows an error; screenshots go to build/reports/. Then a cell `while (true) {}` is stopped with the
// toolbar's interrupt button (the kernel must be idle within 2 s), and after a cell `System.exit(1)` the next
// cell must still run. Exits 1 on the first failed check, naming it.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REPORTS = join(ROOT, "build", "reports");
const CHROMIUM = process.env.FRUGAL_CHROMIUM || "/usr/bin/chromium";
const PYTHON = process.env.FRUGAL_PYTHON || "/usr/bin/python3";
// the flags that work in containers and offline machines (no sandbox, no GPU, nothing phoning home)
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
// the tour takes ~35 s on 2 idle cores; generous, so a machine loaded by other jobs does not fail it
const RUN_ALL_SECONDS = 300;
const INTERRUPT_SECONDS = 2;

const started = Date.now();
const log = (msg) => console.log(`[browser-test ${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);

class CheckFailed extends Error {}
function check(ok, what) {
  if (!ok) throw new CheckFailed(what);
  log(`ok: ${what}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** The environment without tcmalloc (frugal.env preloads it for JVMs; chromium and Python must not get it). */
function cleanEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env.LD_PRELOAD;
  return env;
}

function installKernelspec() {
  const prefix = join(ROOT, "build", "kernelspec");
  const r = spawnSync(join(ROOT, "scripts", "install-kernel"), ["--prefix", prefix], { encoding: "utf8" });
  if (r.status !== 0) throw new CheckFailed(`scripts/install-kernel failed:\n${r.stdout}${r.stderr}`);
  return join(prefix, "share", "jupyter");
}

async function startNotebookServer(dir, jupyterPath) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const env = cleanEnv({
    FRUGAL_BUDGET: "quick",
    JUPYTER_PATH: jupyterPath + (process.env.JUPYTER_PATH ? ":" + process.env.JUPYTER_PATH : ""),
    // a user's notebook config or runtime files must not change what is tested
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  });
  const server = spawn(PYTHON, ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`,
    "--port-retries=0", "--allow-root", `--NotebookApp.token=${token}`, `--notebook-dir=${join(dir, "notebooks")}`],
  { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout.on("data", (d) => { output += d; });
  server.stderr.on("data", (d) => { output += d; });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) return { server, base, token, output: () => output };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill("SIGKILL");
  throw new CheckFailed(`jupyter notebook did not start on port ${port}:\n${output}`);
}

async function stopNotebookServer(nb) {
  try {
    // shuts the kernels down cleanly (their user JVMs with them), then the server
    await fetch(`${nb.base}/api/shutdown?token=${nb.token}`, { method: "POST" });
  } catch { /* already gone */ }
  const exited = new Promise((r) => nb.server.once("exit", r));
  if (nb.server.exitCode === null) {
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (nb.server.exitCode === null) nb.server.kill("SIGKILL");
}

/** The kernel indicator's state as the page shows it: idle, busy, dead, disconnected. */
function kernelState(page) {
  return page.evaluate(() => {
    const icon = document.querySelector("#kernel_indicator_icon");
    const m = icon && icon.className.match(/kernel_(\w+)_icon/);
    return m ? m[1] : "unknown";
  });
}

async function waitForKernelState(page, state, seconds) {
  await page.waitForFunction((s) => {
    const icon = document.querySelector("#kernel_indicator_icon");
    return icon && icon.classList.contains(`kernel_${s}_icon`);
  }, state, { timeout: seconds * 1000, polling: 20 });
}

/** Adds a code cell at the bottom, types {@code code} into it and runs it with Ctrl-Enter. */
async function typeAndRun(page, code) {
  const index = await page.evaluate(() => {
    const nb = Jupyter.notebook;
    nb.insert_cell_at_bottom("code");
    const i = nb.ncells() - 1;
    nb.select(i);
    nb.scroll_to_cell(i);
    return i;
  });
  await page.locator(".cell").nth(index).locator(".CodeMirror").click();
  await page.keyboard.type(code);
  // CodeMirror closes brackets as they are typed; the cell must hold exactly what was typed
  const text = await page.evaluate((i) => Jupyter.notebook.get_cell(i).get_text(), index);
  check(text === code, `typed cell reads ${JSON.stringify(text)}`);
  await page.keyboard.press("Control+Enter");
  return index;
}

/** The whole notebook: the page scrolls inside #site, so that is unrolled for the picture and put back. */
async function screenshotWhole(page, path) {
  await page.addStyleTag({ content: "#site { height: auto !important; overflow: visible !important; }", }).then(async (tag) => {
    await page.screenshot({ path, fullPage: true });
    await tag.evaluate((t) => t.remove());
  });
}

function cellOutputs(page, index) {
  return page.evaluate((i) => Jupyter.notebook.get_cell(i).output_area.outputs, index);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "frugal-browser-test-"));
  mkdirSync(join(work, "notebooks"));
  copyFileSync(join(ROOT, "notebooks", "00-tour.ipynb"), join(work, "notebooks", "00-tour.ipynb"));
  mkdirSync(REPORTS, { recursive: true });
  const jupyterPath = installKernelspec();
  const nb = await startNotebookServer(work, jupyterPath);
  log(`jupyter notebook at ${nb.base}`);
  let context;
  try {
    context = await chromium.launchPersistentContext(join(work, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      env: cleanEnv({}),
      viewport: { width: 1100, height: 900 },
    });
    const page = context.pages()[0] || await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));

    await page.goto(`${nb.base}/notebooks/00-tour.ipynb?token=${nb.token}`);
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.is_connected(), null, { timeout: 60_000 });
    await waitForKernelState(page, "idle", 60);
    check(await page.evaluate(() => Jupyter.notebook.kernel.name) === "frugal-java", "the notebook runs on frugal-java");

    // Cell > Run All, as a user does
    await page.click("#celllink");
    await page.click("#run_all_cells");
    await page.waitForFunction(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code")
      .every((c) => typeof c.input_prompt_number === "number"), null, { timeout: RUN_ALL_SECONDS * 1000, polling: 250 });
    await waitForKernelState(page, "idle", 30);
    log("all cells ran");

    const errors = await page.locator(".output_error").allInnerTexts();
    check(errors.length === 0, `no cell shows an error${errors.length ? ": " + errors.join("\n") : ""}`);
    const images = await page.evaluate(() => [...document.querySelectorAll(".output_png img")]
      .map((img) => ({ ok: img.complete && img.naturalWidth > 0, w: img.naturalWidth, h: img.naturalHeight })));
    // the learning rate chart, the live loss chart and the image grid
    check(images.length >= 3 && images.every((i) => i.ok),
      `charts render as images (${images.map((i) => `${i.w}x${i.h}`).join(", ")})`);
    const ndarray = await page.locator(".output_html .frugal-ndarray").first().innerText();
    check(/\(64, 128\)/.test(ndarray) && /float32/.test(ndarray) && await page.locator(".output_html .frugal-ndarray table").count() > 0,
      "the NDArray shows as a table with its shape and dtype");
    const bars = await page.evaluate(() => [...document.querySelectorAll(".output_html span[style*='width:100.0%']")]
      .map((s) => s.closest(".output_html").innerText));
    check(bars.some((t) => /\b200\/200\b/.test(t)), `the progress bar shows the finished run (${bars.join(" | ")})`);
    check(await page.locator(".output_html table.frugal-table").count() > 0, "the history table shows");
    check(pageErrors.length === 0, `no script error in the page${pageErrors.length ? ": " + pageErrors.join("\n") : ""}`);

    await screenshotWhole(page, join(REPORTS, "browser-00-tour.png"));
    // the README's picture (docs/notebook.png): the training cell with its progress bar and live loss chart
    await page.evaluate(() => Jupyter.notebook.scroll_to_cell(
      Jupyter.notebook.get_cells().findIndex((c) => c.get_text().includes("Trainer.train"))));
    await page.screenshot({ path: join(REPORTS, "browser-00-tour-training.png"), clip: { x: 80, y: 110, width: 940, height: 770 } });
    log("screenshots: build/reports/browser-00-tour.png, browser-00-tour-training.png");

    // a busy loop, stopped from the toolbar
    const loop = await typeAndRun(page, "while (true) {}");
    await waitForKernelState(page, "busy", 10);
    await page.waitForTimeout(1000);
    check(await kernelState(page) === "busy", "the busy loop keeps the kernel busy");
    const pressed = Date.now();
    await page.click("button[data-jupyter-action='jupyter-notebook:interrupt-kernel']");
    // done = the cell got its execute_reply (its prompt shows a number) and the indicator is idle; the
    // indicator alone is not enough: the interrupt_request's own busy/idle statuses flip it too
    await page.waitForFunction((i) => typeof Jupyter.notebook.get_cell(i).input_prompt_number === "number"
      && document.querySelector("#kernel_indicator_icon").classList.contains("kernel_idle_icon"),
    loop, { timeout: INTERRUPT_SECONDS * 1000, polling: 20 }).catch(() => {
      throw new CheckFailed(`while (true) {} still runs ${INTERRUPT_SECONDS} s after the interrupt button`);
    });
    check(true, `the interrupt button stopped while (true) {}: idle after ${((Date.now() - pressed) / 1000).toFixed(2)} s`);
    const interrupted = await cellOutputs(page, loop);
    check(interrupted.some((o) => o.output_type === "error" && o.ename === "Interrupted"),
      `the interrupted cell says so (${JSON.stringify(interrupted).slice(0, 200)})`);

    // System.exit kills only the JVM that runs user code
    const exit = await typeAndRun(page, "System.exit(1)");
    await page.waitForFunction((i) => typeof Jupyter.notebook.get_cell(i).input_prompt_number === "number", exit, { timeout: 60_000 });
    const exited = await cellOutputs(page, exit);
    check(exited.some((o) => o.output_type === "error" && /JvmExited/.test(o.ename + o.evalue)),
      `System.exit(1) is reported (${JSON.stringify(exited).slice(0, 300)})`);
    const next = await typeAndRun(page, "int answer = 6 * 7; answer");
    await page.waitForFunction((i) => typeof Jupyter.notebook.get_cell(i).input_prompt_number === "number", next, { timeout: 90_000 });
    const after = await cellOutputs(page, next);
    check(after.some((o) => o.output_type === "execute_result" && o.data["text/plain"] === "42"),
      `the next cell runs in a fresh JVM (${JSON.stringify(after).slice(0, 300)})`);
    check(await kernelState(page) === "idle", "the kernel is idle and alive");
    await screenshotWhole(page, join(REPORTS, "browser-00-tour-after.png"));
  } finally {
    if (context) await context.close();
    await stopNotebookServer(nb);
    rmSync(work, { recursive: true, force: true });
  }
  log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(`[browser-test] FAILED: ${e instanceof CheckFailed ? e.message : e.stack || e}`);
  process.exit(1);
});
