// EdgeRuntime technician UI: plain JavaScript, no build step, no external resources (the device is offline).
// Every number and name shown comes from the HTTP API described in docs/http-api.md.
"use strict";

(() => {
  const TOKEN_KEY = "edgeruntime.technicianToken";
  const WRONG_TOKEN = "Wrong or missing technician token";
  const UNREACHABLE = "Device not reachable";
  const FRAME_INTERVAL_MS = 250;
  const PREDICTION_INTERVAL_MS = 400;
  const STATUS_INTERVAL_MS = 2000;
  const CLASSES_INTERVAL_MS = 5000;
  const HEADS_INTERVAL_MS = 10000;
  const REVIEW_INTERVAL_MS = 3000;
  // The queue keeps up to Review:MaxItems frames; a screenful of the newest is what a technician works through.
  const REVIEW_SHOWN = 48;
  const JOB_INTERVAL_MS = 400;
  const THUMBNAILS = 12;
  const SCENES = ["stripes", "blobs", "checker", "gradient", "covered"];

  const $ = (id) => document.getElementById(id);

  // ---------- small helpers ----------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "testid") node.dataset.testid = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  const pct = (x) => (typeof x === "number" && isFinite(x) ? (x * 100).toFixed(1) + " %" : "—");
  // Whole percents keep the per-class table within a phone's width; holdout sets are small anyway.
  const pct0 = (x) => (typeof x === "number" && isFinite(x) ? Math.round(x * 100) + " %" : "—");
  const num = (x, digits) => (typeof x === "number" && isFinite(x) ? x.toFixed(digits) : "—");
  const shorten = (text, max) => (text.length > max ? text.slice(0, max - 1) + "…" : text);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function when(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
  }

  /** Resolves once the tab is visible, so hidden tabs do not keep the device busy. */
  function whenVisible() {
    if (!document.hidden) return Promise.resolve();
    return new Promise((resolve) => {
      const onChange = () => {
        if (!document.hidden) {
          document.removeEventListener("visibilitychange", onChange);
          resolve();
        }
      };
      document.addEventListener("visibilitychange", onChange);
    });
  }

  /** Runs task forever at the given interval while the tab is visible; failures slow it down but never stop it. */
  function poll(task, intervalMs) {
    (async () => {
      for (;;) {
        await whenVisible();
        let delay = intervalMs;
        try {
          await task();
        } catch (error) {
          delay = Math.max(intervalMs, 2000);
          if (!(error instanceof ApiError)) console.error(error);
        }
        await sleep(delay);
      }
    })();
  }

  // ---------- messages ----------

  let toastTimer = 0;

  function showError(message) {
    $("error-message").textContent = message;
    $("error-banner").hidden = false;
  }

  function clearError() {
    $("error-banner").hidden = true;
    $("error-message").textContent = "";
  }

  function showToast(message) {
    const toast = $("toast");
    toast.textContent = message;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toast.hidden = true), 3000);
  }

  function setReachable(reachable) {
    $("offline-banner").hidden = reachable;
  }

  // ---------- HTTP ----------

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  /** Turns a failed answer into one readable sentence: the problem's detail or title, never raw JSON. */
  async function problemMessage(response) {
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) {
      try {
        const problem = await response.json();
        let message = problem.detail || problem.title || "";
        if (problem.errors && typeof problem.errors === "object") {
          const details = Object.entries(problem.errors)
            .map(([field, list]) => `${field}: ${[].concat(list).join(" ")}`)
            .join("; ");
          if (details) message = message ? `${message} (${details})` : details;
        }
        if (message) return message;
      } catch {
        // An unreadable body falls through to the status line below.
      }
    }
    return `The device answered ${response.status} ${response.statusText || ""}`.trim();
  }

  /**
   * Sends one request. Network failures become "Device not reachable"; errors become ApiError with a readable message.
   * Returns the parsed JSON (or null for empty answers), or the Response itself when raw is set.
   */
  async function request(method, path, { json, form, token, raw, allow404 } = {}) {
    const headers = {};
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: "no-store" });
    } catch {
      setReachable(false);
      throw new ApiError(UNREACHABLE, 0);
    }
    setReachable(true);
    if (allow404 && response.status === 404) return null;
    if (!response.ok) throw new ApiError(await problemMessage(response), response.status);
    if (raw) return response;
    if (response.status === 204) return null;
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError("The device sent an answer this page cannot read.", response.status);
    }
  }

  const get = (path, options) => request("GET", path, options);

  // ---------- technician token ----------

  let tokenPrompt = null;

  const storedToken = () => sessionStorage.getItem(TOKEN_KEY) || "";

  function renderTokenButton() {
    $("token-button").textContent = storedToken() ? "Forget token" : "Technician token";
  }

  /** Shows the token modal; resolves with the token, or null when the technician cancels. */
  function promptToken(message) {
    if (tokenPrompt) return tokenPrompt;
    const dialog = $("token-dialog");
    const input = $("token-input");
    $("token-message").textContent = message || "";
    $("token-message").hidden = !message;
    input.value = "";
    tokenPrompt = new Promise((resolve) => {
      const finish = (token) => {
        $("token-form").removeEventListener("submit", onSubmit);
        $("token-cancel").removeEventListener("click", onCancel);
        dialog.removeEventListener("cancel", onCancel);
        if (dialog.open) dialog.close();
        tokenPrompt = null;
        resolve(token);
      };
      const onSubmit = (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        sessionStorage.setItem(TOKEN_KEY, token);
        renderTokenButton();
        finish(token);
      };
      const onCancel = (event) => {
        event.preventDefault();
        finish(null);
      };
      $("token-form").addEventListener("submit", onSubmit);
      $("token-cancel").addEventListener("click", onCancel);
      dialog.addEventListener("cancel", onCancel);
    });
    dialog.showModal();
    input.focus();
    return tokenPrompt;
  }

  /**
   * Sends a mutating request with the technician token, asking for it once per browser session. A 401 forgets the
   * token, says so, and asks again; the request is retried with the new token until it succeeds or is cancelled.
   * Returns undefined when the technician cancels.
   */
  async function mutate(method, path, options = {}) {
    let token = storedToken();
    let message = "";
    for (;;) {
      if (!token) {
        token = await promptToken(message);
        if (!token) {
          if (message) showError(message);
          return undefined;
        }
      }
      try {
        const result = await request(method, path, { ...options, token });
        clearError();
        return result;
      } catch (error) {
        if (error.status !== 401) throw error;
        sessionStorage.removeItem(TOKEN_KEY);
        renderTokenButton();
        token = "";
        message = WRONG_TOKEN;
        showError(WRONG_TOKEN);
      }
    }
  }

  /** Runs a click handler: disables the button meanwhile and turns any failure into a readable banner. */
  async function act(button, work) {
    if (button) button.disabled = true;
    try {
      await work();
    } catch (error) {
      showError(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
      if (!(error instanceof ApiError)) console.error(error);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---------- generic question dialog ----------

  /** Asks for confirmation (no input label) or for a text value; resolves with the text/true, or null on cancel. */
  function ask({ title, text, inputLabel, value, ok }) {
    const dialog = $("ask-dialog");
    const input = $("ask-input");
    $("ask-title").textContent = title;
    $("ask-text").textContent = text || "";
    $("ask-field").hidden = !inputLabel;
    $("ask-input-label").textContent = inputLabel || "";
    $("ask-ok").textContent = ok || "OK";
    input.value = value || "";
    input.required = !!inputLabel;
    return new Promise((resolve) => {
      const finish = (result) => {
        $("ask-form").removeEventListener("submit", onSubmit);
        $("ask-cancel").removeEventListener("click", onCancel);
        dialog.removeEventListener("cancel", onCancel);
        if (dialog.open) dialog.close();
        resolve(result);
      };
      const onSubmit = (event) => {
        event.preventDefault();
        if (!inputLabel) return finish(true);
        const text = input.value.trim();
        if (text) finish(text);
      };
      const onCancel = (event) => {
        event.preventDefault();
        finish(null);
      };
      $("ask-form").addEventListener("submit", onSubmit);
      $("ask-cancel").addEventListener("click", onCancel);
      dialog.addEventListener("cancel", onCancel);
      dialog.showModal();
      if (inputLabel) input.focus();
      else $("ask-ok").focus();
    });
  }

  // ---------- live view and prediction ----------

  let frameUrl = "";

  async function refreshFrame() {
    const note = $("live-note");
    let response;
    try {
      response = await request("GET", "frame.jpg", { raw: true, allow404: true });
    } catch (error) {
      note.textContent = error.status ? `No camera frame: ${error.message}` : UNREACHABLE;
      note.hidden = false;
      $("live-view").classList.add("stale");
      throw error;
    }
    if (!response) {
      note.textContent = "Waiting for the first frame…";
      note.hidden = false;
      return;
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const image = $("live-view");
    const previous = frameUrl;
    frameUrl = url;
    image.src = url;
    image.classList.remove("stale");
    note.hidden = true;
    // The previous frame stays on screen until the new one is decoded, then its memory is released.
    if (previous) {
      image.decode().catch(() => {}).finally(() => URL.revokeObjectURL(previous));
    }
  }

  function renderPrediction(prediction) {
    const label = $("prediction-label");
    const box = $("prediction");
    const topk = $("prediction-topk");
    box.classList.remove("is-unknown", "is-none");
    if (!prediction || !prediction.headVersion) {
      label.textContent = "Not calibrated";
      box.classList.add("is-none");
      box.dataset.state = "none";
      $("prediction-confidence").textContent = "";
      $("prediction-head").textContent = "no head yet";
      $("prediction-latency").textContent = "";
      topk.replaceChildren();
      return;
    }
    const unknown = prediction.unknown || prediction.label === null;
    label.textContent = unknown ? "unknown" : prediction.label;
    box.dataset.state = unknown ? "unknown" : "known";
    box.dataset.label = unknown ? "" : prediction.label;
    if (unknown) box.classList.add("is-unknown");
    // Below the head's threshold the best guess is still worth seeing: it tells the technician what to capture more of.
    const closest = (prediction.topK || [])[0];
    $("prediction-confidence").textContent = unknown && closest
      ? `closest: ${closest.label} ${pct(prediction.confidence)}`
      : pct(prediction.confidence);
    $("prediction-head").textContent = `head v${prediction.headVersion}`;
    $("prediction-latency").textContent =
      typeof prediction.latencyMs === "number" ? ` · ${num(prediction.latencyMs, 0)} ms` : "";
    topk.replaceChildren(
      ...(prediction.topK || []).slice(0, 3).map((entry) =>
        el("li", {},
          el("span", { class: "topk-name", text: entry.label }),
          el("span", { class: "bar" }, el("span", { style: `width:${Math.round(entry.probability * 100)}%` })),
          el("span", { class: "topk-value", text: pct(entry.probability) })))
    );
  }

  async function refreshPrediction() {
    renderPrediction(await get("predictions/latest", { allow404: true }));
  }

  function renderScenes(status) {
    const synthetic = status.source && status.source.kind === "synthetic";
    $("scene-controls").hidden = !synthetic;
    if (!synthetic || $("scene-buttons").childElementCount) return;
    $("scene-buttons").replaceChildren(
      ...SCENES.map((scene) =>
        el("button", {
          type: "button", class: "secondary small", testid: `scene-${scene}`, text: scene,
          "aria-pressed": String(scene === currentScene(status)),
          onclick: (event) => act(event.currentTarget, async () => {
            if ((await mutate("POST", "source/scene", { json: { scene } })) === undefined) return;
            markScene(scene);
            showToast(`Scene: ${scene}`);
          }),
        }))
    );
  }

  /** The scene named in the synthetic source's address (e.g. "synthetic:?scene=blobs"), if any. */
  function currentScene(status) {
    const match = /[?&]scene=([a-z]+)/i.exec((status.source && status.source.source) || "");
    return match ? match[1].toLowerCase() : "";
  }

  function markScene(scene) {
    for (const button of $("scene-buttons").children) {
      button.setAttribute("aria-pressed", String(button.dataset.testid === `scene-${scene}`));
    }
  }

  // ---------- status ----------
  // GET /status is the typed DeviceStatus document (src/DeviceHost/Api/DeviceStatus.cs, docs/http-api.md). A test
  // (StatusPageContractTests) checks that every status.x, source.x, pipeline.x, backbone.x, head.x and latency.x read
  // below is a field of those records: read new fields through the same variable names.

  async function refreshStatus() {
    let status;
    try {
      status = await get("status");
    } catch (error) {
      // Stale figures would look healthy; show that they are unknown.
      $("status-source-state").textContent = "source: ?";
      $("status-source-state").dataset.state = "";
      $("status-fps").textContent = "— fps";
      throw error;
    }
    renderStatus(status);
  }

  function renderStatus(status) {
    const source = status.source || {};
    const pipeline = status.pipeline || {};
    const backbone = status.backbone || {};
    $("service-version").textContent = status.version ? `v${status.version}` : "";
    const state = $("status-source-state");
    state.textContent = `source: ${source.state || "?"}`;
    state.dataset.state = source.state || "";
    $("status-fps").textContent = `${num(pipeline.fps, 1)} fps`;
    $("status-provider").textContent = `provider: ${backbone.provider || "?"}`;
    $("needs-calibration-banner").hidden = !status.needsCalibration;

    const sourceBanner = $("source-error-banner");
    const sourceProblem = source.state && source.state !== "streaming";
    sourceBanner.hidden = !sourceProblem;
    if (sourceProblem) {
      sourceBanner.textContent = `Camera is ${source.state}` + (source.lastError ? `: ${source.lastError}` : ".");
    }

    const errors = (status.errors || []).filter(Boolean);
    $("status-errors-banner").hidden = errors.length === 0;
    $("status-errors").replaceChildren(...errors.map((text) => el("li", { text })));

    // ONNX Runtime's reasons quote whole library paths; the first line is enough on a phone.
    const failures = (backbone.providerFailures || [])
      .map((f) => `${f.provider}: ${shorten(String(f.reason || ""), 140)}`).join("; ");
    const latency = pipeline.latencyMs || {};
    const head = status.activeHead;
    const facts = [
      ["Source", `${source.source || "?"} (${source.kind || "?"})`, "health-source"],
      ["Source state", `${source.state || "?"} since ${when(source.since)}`, "health-source-state"],
      ["Reconnects", String(source.reconnects ?? "—"), "health-reconnects"],
      ["Frames", `${pipeline.framesProcessed ?? "—"} processed, ${pipeline.framesDropped ?? "—"} dropped, ` +
        `${pipeline.failedFrames ?? "—"} failed`, "health-frames"],
      ["Latency", `p50 ${num(latency.p50, 0)} ms, p95 ${num(latency.p95, 0)} ms`, "health-latency"],
      ["Backbone", `${backbone.name || "?"} on ${backbone.provider || "?"}` + (backbone.ready ? ", ready" : ", not ready"),
        "health-backbone"],
      ["Provider fallbacks", failures || "none", "health-provider-failures"],
      ["Active head", head && head.version ? `v${head.version}, ${pct(head.accuracy)}${head.summary && head.summary.recipe ? ` (${head.summary.recipe.description})` : ""}, ` +
        `unknown below ${pct(head.unknownThreshold)}` : "none", "health-active-head"],
      ["Samples", String(status.samples ? status.samples.total : "—"), "health-samples"],
      ["Training", status.training ? `${status.training.state}` +
        (status.training.epoch ? ` (epoch ${status.training.epoch})` : "") : "idle", "health-training"],
      ["Uptime", `${num(status.uptimeSeconds / 60, 1)} min`, "health-uptime"],
    ];
    $("health").replaceChildren(
      ...facts.flatMap(([name, value, testid]) => [el("dt", { text: name }), el("dd", { text: value, testid })])
    );
    renderScenes(status);
    renderDrift(status.drift);
    if (status.training && status.training.state === "running" && !followedJob && status.training.id) {
      followJob(status.training.id);
    }
  }

  // ---------- drift ----------

  const SIGNALS = {
    brightness: "Brightness", frozenSeconds: "Frozen image", contrast: "Contrast", sharpness: "Sharpness",
    embeddingShift: "Scene change", unknownRate: "Unknown answers", classBalance: "Class balance",
  };
  let driftFramesKey = "";

  /** The drift banner: which signals are raised, why, their value against the threshold, and the frames of the alarm. */
  function renderDrift(drift) {
    const banner = $("drift-banner");
    const alarm = !!(drift && drift.alarm);
    banner.hidden = !alarm;
    banner.dataset.alarm = String(alarm);
    if (!alarm) {
      driftFramesKey = "";
      $("drift-signals").replaceChildren();
      $("drift-frames").replaceChildren();
      return;
    }
    $("drift-title").textContent = `The camera's view has changed (since ${when(drift.alarmSince)})`;
    const raised = (drift.statistics || []).filter((stat) => stat.raised);
    $("drift-signals").replaceChildren(...raised.map((stat) =>
      el("li", { testid: `drift-signal-${stat.name}`, "data-name": stat.name },
        el("strong", { text: `${SIGNALS[stat.name] || stat.name}: ` }),
        `${stat.reason || "raised"} (now ${num(stat.value, 2)}, threshold ${num(stat.threshold, 2)})`)));
    $("drift-recalibrate").hidden = !drift.recalibrationRecommended;
    const frames = drift.exampleFrames || [];
    // The frames belong to one alarm: reload them only when a new alarm raised or another frame was kept.
    const key = `${drift.alarmsRaised}:${frames.length}`;
    if (key === driftFramesKey) return;
    driftFramesKey = key;
    $("drift-frames").replaceChildren(...frames.map((url, i) =>
      el("img", {
        src: `${String(url).replace(/^\//, "")}?alarm=${drift.alarmsRaised}`, width: "96", height: "72",
        alt: `Camera frame ${i + 1} when the drift alarm raised`, testid: `drift-frame-${i}`,
      })));
  }

  // ---------- classes and samples ----------

  const classCards = new Map();

  async function refreshClasses() {
    const classes = (await get("classes")) || [];
    renderClasses(classes);
  }

  function renderClasses(classes) {
    const list = $("class-list");
    $("review-classes").replaceChildren(...classes.map((cls) => el("option", { value: cls.label })));
    $("classes-empty").hidden = classes.length > 0;
    const seen = new Set();
    for (const cls of classes) {
      seen.add(cls.label);
      let card = classCards.get(cls.label);
      if (!card) {
        card = buildClassCard(cls.label);
        classCards.set(cls.label, card);
        refreshSamples(cls.label).catch(() => {});
      }
      const changed = card.counts.train !== cls.train || card.counts.holdout !== cls.holdout;
      card.counts = { train: cls.train, holdout: cls.holdout };
      card.train.textContent = String(cls.train);
      card.holdout.textContent = String(cls.holdout);
      if (changed && card.loaded) refreshSamples(cls.label).catch(() => {});
      list.append(card.root); // keeps the server's order without rebuilding cards
    }
    for (const [label, card] of classCards) {
      if (!seen.has(label)) {
        card.root.remove();
        classCards.delete(label);
      }
    }
  }

  function buildClassCard(label) {
    const fileId = `upload-file-${classCards.size}-${Date.now()}`;
    const card = { counts: { train: -1, holdout: -1 }, loaded: false };
    card.train = el("strong", { testid: `class-train-${label}` });
    card.holdout = el("strong", { testid: `class-holdout-${label}` });
    card.thumbs = el("ul", { class: "thumbs", testid: `samples-${label}` });
    const file = el("input", {
      type: "file", id: fileId, accept: "image/jpeg,image/png,image/bmp,image/webp", multiple: true,
      class: "visually-hidden", testid: `upload-input-${label}`,
      onchange: (event) => uploadFiles(label, event.currentTarget),
    });
    card.root = el("li", { class: "class-card", testid: `class-${label}` },
      el("div", { class: "class-head" },
        el("h3", { class: "class-name", text: label, testid: `class-name-${label}` }),
        el("span", { class: "counts muted small" }, card.train, " train · ", card.holdout, " holdout")),
      el("div", { class: "class-actions" },
        el("button", {
          type: "button", class: "capture", testid: `capture-${label}`, text: "Capture",
          "aria-label": `Capture the current frame as ${label}`,
          onclick: (event) => act(event.currentTarget, () => capture(label)),
        }),
        file,
        el("label", { for: fileId, class: "button secondary", testid: `upload-${label}`, text: "Upload…" }),
        el("button", {
          type: "button", class: "secondary", testid: `rename-${label}`, text: "Rename",
          onclick: (event) => act(event.currentTarget, () => renameClass(label)),
        }),
        el("button", {
          type: "button", class: "danger", testid: `delete-class-${label}`, text: "Delete",
          onclick: (event) => act(event.currentTarget, () => deleteClass(label)),
        })),
      card.thumbs);
    return card;
  }

  async function refreshSamples(label) {
    const card = classCards.get(label);
    if (!card) return;
    const page = await get(`samples?label=${encodeURIComponent(label)}&limit=${THUMBNAILS}`);
    card.loaded = true;
    const items = (page && page.items) || [];
    card.thumbs.replaceChildren(
      ...items.map((sample) =>
        el("li", { class: "thumb", testid: `sample-${sample.id}`, "data-split": sample.split },
          el("img", {
            src: `samples/${sample.id}/image`, loading: "lazy", width: "72", height: "72",
            alt: `${label} sample ${sample.id} (${sample.split}, ${sample.source})`,
            title: `${sample.split} · ${sample.source} · ${when(sample.capturedAt)}`,
          }),
          el("button", {
            type: "button", class: "icon thumb-delete", testid: `delete-sample-${sample.id}`, text: "×",
            "aria-label": `Delete sample ${sample.id}`,
            onclick: (event) => act(event.currentTarget, () => deleteSample(sample.id)),
          })))
    );
  }

  async function capture(label) {
    const sample = await mutate("POST", "samples", { json: { label } });
    if (sample === undefined) return;
    showToast(`Captured ${label}` + (sample && sample.split ? ` (${sample.split})` : ""));
    // New counts make the class list reload the thumbnails.
    await refreshClasses();
  }

  async function uploadFiles(label, input) {
    const files = [...input.files];
    input.value = "";
    await act(null, async () => {
      let done = 0;
      for (const file of files) {
        const form = new FormData();
        form.append("label", label);
        form.append("file", file, file.name);
        if ((await mutate("POST", "samples", { form })) === undefined) break;
        done++;
      }
      if (done) showToast(`Uploaded ${done} image${done === 1 ? "" : "s"} to ${label}`);
      await refreshClasses();
    });
  }

  async function deleteSample(id) {
    if ((await mutate("DELETE", `samples/${id}`)) === undefined) return;
    showToast(`Deleted sample ${id}`);
    await refreshClasses();
  }

  async function addClass(event) {
    event.preventDefault();
    const input = $("add-class-input");
    const label = input.value.trim();
    if (!label) return;
    await act($("add-class-button"), async () => {
      if ((await mutate("POST", "classes", { json: { label } })) === undefined) return;
      input.value = "";
      showToast(`Added class ${label}`);
      await refreshClasses();
    });
  }

  async function renameClass(label) {
    const newLabel = await ask({ title: `Rename ${label}`, inputLabel: "New name", value: label, ok: "Rename" });
    if (!newLabel || newLabel === label) return;
    if ((await mutate("PUT", `classes/${encodeURIComponent(label)}`, { json: { newLabel } })) === undefined) return;
    showToast(`Renamed ${label} to ${newLabel}`);
    await refreshClasses();
  }

  async function deleteClass(label) {
    const card = classCards.get(label);
    const count = card ? card.counts.train + card.counts.holdout : 0;
    const sure = await ask({
      title: `Delete ${label}?`,
      text: `This deletes the class and its ${Math.max(count, 0)} samples. Trained heads keep working.`,
      ok: "Delete",
    });
    if (!sure) return;
    if ((await mutate("DELETE", `classes/${encodeURIComponent(label)}`)) === undefined) return;
    showToast(`Deleted class ${label}`);
    await refreshClasses();
  }

  // ---------- hard samples and adaptation ----------

  const REASONS = { novel: "novel", lowMargin: "nearly tied", flip: "class flipped" };
  const reviewCards = new Map();
  const reviewSelected = new Set();

  async function refreshReview() {
    const review = await get("review");
    renderReview((review && review.items) || []);
  }

  function renderReview(items) {
    const shown = items.slice(-REVIEW_SHOWN).reverse();
    const ids = new Set(shown.map((item) => item.id));
    for (const id of [...reviewSelected]) if (!ids.has(id)) reviewSelected.delete(id);
    for (const [id, card] of reviewCards) {
      if (!ids.has(id)) {
        card.remove();
        reviewCards.delete(id);
      }
    }
    const list = $("review-list");
    for (const item of shown) {
      let card = reviewCards.get(item.id);
      if (!card) {
        card = buildReviewCard(item);
        reviewCards.set(item.id, card);
      }
      list.append(card); // newest first, without reloading the images of cards already shown
    }
    $("review-empty").hidden = items.length > 0;
    $("review-count").textContent = items.length ? `(${items.length} waiting)` : "";
    renderReviewSelection();
  }

  function buildReviewCard(item) {
    const reasons = (item.reasons || []).map((r) => REASONS[r] || r).join(", ");
    const novel = (item.reasons || []).includes("novel");
    const box = el("input", {
      type: "checkbox", testid: `review-select-${item.id}`,
      onchange: (event) => {
        if (event.currentTarget.checked) {
          reviewSelected.add(item.id);
          if (!$("review-label").value.trim() && item.predicted) $("review-label").value = item.predicted;
        } else reviewSelected.delete(item.id);
        renderReviewSelection();
      },
    });
    return el("li", { class: "review-item", testid: `review-item-${item.id}`, "data-id": item.id },
      el("img", {
        src: `review/${encodeURIComponent(item.id)}/image`, loading: "lazy", width: "160", height: "120",
        alt: `Frame kept for review (${reasons}) at ${when(item.capturedUtc)}`,
        title: `${when(item.capturedUtc)} · head v${item.headVersion}`,
      }),
      el("span", { class: "muted", testid: `review-reasons-${item.id}`, text: reasons || "—" }),
      el("span", {
        class: "suggested", testid: `review-suggested-${item.id}`, "data-label": item.predicted || "",
        text: item.predicted ? `${novel ? "closest" : "suggested"}: ${item.predicted} ${pct(item.confidence)}` : "no suggestion",
      }),
      el("label", {}, box, "select"),
      item.predicted ? el("button", {
        type: "button", class: "secondary small", testid: `review-accept-${item.id}`, text: `Assign to ${item.predicted}`,
        onclick: (event) => act(event.currentTarget, () => assignReview([item.id], item.predicted)),
      }) : null);
  }

  function renderReviewSelection() {
    const count = reviewSelected.size;
    for (const [id, card] of reviewCards) {
      const selected = reviewSelected.has(id);
      card.dataset.selected = String(selected);
      card.querySelector("input[type=checkbox]").checked = selected;
    }
    $("review-assign").disabled = count === 0;
    $("review-discard").disabled = count === 0;
    $("review-assign").textContent = count ? `Assign ${count} selected` : "Assign selected";
    $("review-discard").textContent = count ? `Discard ${count} selected` : "Discard selected";
  }

  async function assignReview(ids, label) {
    const answer = await mutate("POST", "review/assign", { json: { ids, label } });
    if (answer === undefined) return;
    ids.forEach((id) => reviewSelected.delete(id));
    showToast(`Assigned ${answer.assigned} frame${answer.assigned === 1 ? "" : "s"} to ${label}`);
    await Promise.allSettled([refreshReview(), refreshClasses()]);
  }

  async function discardReview(ids) {
    const answer = await mutate("POST", "review/discard", { json: { ids } });
    if (answer === undefined) return;
    ids.forEach((id) => reviewSelected.delete(id));
    showToast(`Discarded ${answer.discarded} frame${answer.discarded === 1 ? "" : "s"}`);
    await refreshReview();
  }

  async function assignSelected(event) {
    event.preventDefault();
    await act($("review-assign"), async () => {
      const label = $("review-label").value.trim();
      if (!label) throw new ApiError("Type the class the selected frames show.", 0);
      await assignReview([...reviewSelected], label);
    });
    renderReviewSelection();
  }

  async function adapt() {
    const result = $("adapt-result");
    result.hidden = false;
    result.dataset.state = "running";
    result.textContent = "Adapting to the newest live frames…";
    let answer;
    try {
      answer = await mutate("POST", "adapt", { json: {} });
    } catch (error) {
      result.dataset.state = "failed";
      result.textContent = `Not adapted: ${error.message}`;
      throw error;
    }
    if (answer === undefined) {
      result.hidden = true;
      return;
    }
    const evidence = answer.evidence || {};
    result.dataset.state = answer.activated ? "activated" : "kept";
    result.textContent = (answer.activated
      ? `Head v${answer.version} adapted from ${evidence.frames} ${evidence.source} frames and activated. `
      : `Head v${answer.version} adapted from ${evidence.frames} ${evidence.source} frames but not activated. `) + (evidence.reason || "");
    showToast(answer.activated ? `Head v${answer.version} activated` : `Head v${answer.version} kept, not activated`);
    await Promise.allSettled([refreshHeads(), refreshStatus()]);
  }

  // ---------- training ----------

  let followedJob = null;
  let lastResult = null;
  let lastEpochs = null;

  async function startTraining(event) {
    event.preventDefault();
    await act($("train-button"), async () => {
      const body = { force: $("train-force").checked };
      const kind = $("train-head-kind").value;
      const note = $("train-note").value.trim();
      if (kind) body.headKind = kind;
      if (note) body.note = note;
      const answer = await mutate("POST", "train", { json: body });
      if (answer === undefined) return;
      $("train-result").hidden = true;
      followJob(answer.jobId);
    });
  }

  /** Polls one job until it ends, drawing its progress; the train button stays disabled meanwhile. */
  async function followJob(id) {
    if (followedJob === id) return;
    followedJob = id;
    $("train-progress").hidden = false;
    $("train-error").hidden = true;
    for (;;) {
      if (followedJob !== id) return;
      await whenVisible();
      let job;
      try {
        job = await get(`jobs/${encodeURIComponent(id)}`);
      } catch (error) {
        if (error.status === 404) {
          followedJob = null;
          return;
        }
        await sleep(2000);
        continue;
      }
      renderJob(job);
      if (!["queued", "running"].includes(job.state)) break;
      await sleep(JOB_INTERVAL_MS);
    }
    followedJob = null;
    $("train-button").disabled = false;
    await Promise.allSettled([refreshHeads(), refreshStatus(), refreshPrediction()]);
  }

  function renderJob(job) {
    const running = job.state === "queued" || job.state === "running";
    $("train-button").disabled = running;
    const epochs = job.epochs || [];
    const last = epochs[epochs.length - 1];
    const state = $("train-state");
    state.textContent = job.state;
    state.dataset.state = job.state;
    $("train-epoch").textContent = last ? `epoch ${last.epoch}` : "";
    $("train-loss").textContent = last ? `loss ${num(last.trainLoss, 3)}` +
      (typeof last.holdoutLoss === "number" ? ` / ${num(last.holdoutLoss, 3)}` : "") : "";
    $("train-accuracy").textContent = last && typeof last.holdoutAccuracy === "number"
      ? `holdout ${pct(last.holdoutAccuracy)}` : "";
    lastEpochs = epochs;
    drawLossCurve($("loss-curve"), epochs);
    const failed = job.state === "failed" || job.state === "cancelled";
    $("train-error").hidden = !failed;
    if (failed) {
      const text = job.state === "failed" ? `Training failed: ${job.error || "no reason given"}` : "Training was cancelled.";
      $("train-error").textContent = text;
      showError(text);
    }
    if (job.state === "succeeded" && job.result) renderResult(job.result);
  }

  function renderResult(result) {
    lastResult = result;
    const metrics = result.metrics || {};
    $("train-result").hidden = false;
    $("result-version").textContent = `v${result.version}`;
    $("result-accuracy").textContent = pct(metrics.accuracy);
    $("result-active-version").textContent = result.activeVersion ? `v${result.activeVersion}` : "none";
    $("result-active-accuracy").textContent = result.activeMetrics ? pct(result.activeMetrics.accuracy) : "—";
    const recipe = result.recipe;
    $("result-recipe").textContent = !recipe ? "" : `Recipe: ${recipe.description}` +
      (typeof recipe.crossValidationAccuracy === "number"
        ? `; cross-validation ${pct(recipe.crossValidationAccuracy)} ± ${pct(recipe.crossValidationStandardError)} (${recipe.folds}-fold); trained on all ${recipe.trainSamples} samples.`
        : `; instant head, no estimate yet (${recipe.noEstimateReason || "no cross-validation"}).`);
    const gate = result.gate || {};
    const outcome = $("gate-outcome");
    outcome.dataset.outcome = gate.outcome || "";
    outcome.className = `gate ${gate.outcome === "activated" ? "good" : "kept"}`;
    outcome.textContent = gate.outcome === "activated"
      ? `Activated: head v${result.version} is now in use` + (gate.forced ? " (forced)" : "")
      : `Not activated: head v${result.activeVersion || "?"} stays in use`;
    $("gate-reason").textContent = gate.reason || "";
    const rows = (metrics.perClass || []).map((c) =>
      el("tr", { testid: `per-class-${c.name}` },
        el("th", { scope: "row" }, el("span", { class: "name-cell", text: c.name, title: c.name })),
        el("td", { text: String(c.support) }),
        el("td", { text: String(c.unknown ?? 0) }),
        el("td", { text: pct0(c.precision) }),
        el("td", { text: pct0(c.recall) }),
        el("td", { text: pct0(c.f1) })));
    $("per-class-table").tBodies[0].replaceChildren(...rows);
    const names = metrics.classNames || [];
    const unknownByClass = names.map((name) => {
      const figures = (metrics.perClass || []).find((c) => c.name === name);
      return figures && typeof figures.unknown === "number" ? figures.unknown : 0;
    });
    drawConfusionMatrix($("confusion-matrix"), names, metrics.confusionMatrix || [], unknownByClass);
    $("result-coverage").textContent = typeof metrics.coverage === "number"
      ? `Answered ${pct(metrics.coverage)} of samples in cross-validation (${metrics.unknown ?? 0} unknown); ` +
        `accuracy on answered ${pct(metrics.knownAccuracy)}; macro F1 ${pct(metrics.macroF1)}.`
      : "";
    const link = $("report-link");
    link.href = result.reportUrl || `heads/${result.version}/report`;
  }

  // ---------- drawings ----------

  /** Sizes a canvas for crisp drawing on high-density screens; returns its 2D context in CSS pixels. */
  function prepareCanvas(canvas, width, height) {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  }

  function cssColor(name, fallback) {
    return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  }

  function drawLossCurve(canvas, epochs) {
    const width = Math.max(240, Math.min(canvas.parentElement.clientWidth, 640));
    const height = 150;
    const ctx = prepareCanvas(canvas, width, height);
    const ink = cssColor("--ink", "#222");
    const muted = cssColor("--muted", "#777");
    const pad = { left: 42, right: 10, top: 10, bottom: 22 };
    const series = [
      { key: "trainLoss", color: cssColor("--accent", "#1565c0"), name: "train loss" },
      { key: "holdoutLoss", color: cssColor("--warn-ink", "#c25e00"), name: "holdout loss" },
    ];
    const values = epochs.flatMap((e) => series.map((s) => e[s.key])).filter((v) => typeof v === "number" && isFinite(v));
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = muted;
    if (values.length === 0) {
      ctx.fillText("waiting for the first epoch…", pad.left, height / 2);
      canvas.setAttribute("aria-label", "Loss per epoch: no epochs yet");
      return;
    }
    const max = Math.max(...values) * 1.05 || 1;
    const min = Math.min(0, ...values);
    const lastEpoch = Math.max(2, epochs[epochs.length - 1].epoch || epochs.length);
    const x = (epoch) => pad.left + ((epoch - 1) / (lastEpoch - 1)) * (width - pad.left - pad.right);
    const y = (v) => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);
    ctx.strokeStyle = muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(pad.left, pad.top);
    ctx.lineTo(pad.left, height - pad.bottom);
    ctx.lineTo(width - pad.right, height - pad.bottom);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(max.toFixed(2), pad.left - 4, y(max));
    ctx.fillText(min.toFixed(2), pad.left - 4, y(min));
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText("1", x(1), height - pad.bottom + 4);
    ctx.fillText(`epoch ${lastEpoch}`, x(lastEpoch) - 20, height - pad.bottom + 4);
    series.forEach((s, i) => {
      const points = epochs.filter((e) => typeof e[s.key] === "number" && isFinite(e[s.key]));
      if (points.length === 0) return;
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      points.forEach((e, j) => (j === 0 ? ctx.moveTo(x(e.epoch), y(e[s.key])) : ctx.lineTo(x(e.epoch), y(e[s.key]))));
      ctx.stroke();
      ctx.fillStyle = s.color;
      ctx.textAlign = "right";
      ctx.fillText(s.name, width - pad.right, pad.top + i * 14);
    });
    ctx.fillStyle = ink;
    const last = epochs[epochs.length - 1];
    canvas.setAttribute("aria-label", `Loss per epoch: epoch ${last.epoch}, train loss ${num(last.trainLoss, 3)}`);
  }

  /**
   * Heat map of counts, shaded by the share of each true class's row, with class names on both axes. Holdout samples
   * the head answered "unknown" get their own last column, so every row adds up to the class's holdout samples.
   */
  function drawConfusionMatrix(canvas, names, matrix, unknownByClass) {
    const rows = matrix.length;
    const withUnknown = unknownByClass.some((n) => n > 0);
    const grid = matrix.map((row, r) => (withUnknown ? [...row, unknownByClass[r] || 0] : [...row]));
    const cols = rows ? Math.max(...grid.map((r) => r.length)) : 0;
    const colNames = names.slice(0, withUnknown ? cols - 1 : cols);
    while (colNames.length < cols) colNames.push(withUnknown && colNames.length === cols - 1 ? "unknown" : "?");
    const probe = canvas.getContext("2d");
    probe.font = "12px system-ui, sans-serif";
    const space = Math.max(240, Math.min(canvas.parentElement.clientWidth, 560));
    const longest = Math.max(30, ...names.concat(colNames).map((n) => probe.measureText(n).width));
    const labelSpace = Math.min(Math.round(space * 0.3), 120, longest + 10);
    const left = labelSpace + 20;
    const cell = Math.max(30, Math.min(72, Math.floor((space - left - 8) / Math.max(cols, 1))));
    // Column names are drawn at 45 degrees, so they need about 0.7 of their length above the grid.
    const top = Math.ceil(labelSpace * 0.72) + 26;
    const ctx = prepareCanvas(canvas, left + cell * cols + 8, top + cell * rows + 8);
    const ink = cssColor("--ink", "#222");
    const clip = (text) => {
      let t = text;
      while (t.length > 1 && ctx.measureText(t).width > labelSpace - 6) t = t.slice(0, -1);
      return t === text ? t : t + "…";
    };
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = ink;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText("predicted →", left + (cell * cols) / 2, 2);
    ctx.save();
    ctx.translate(2, top + (cell * rows) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText("← true", 0, 0);
    ctx.restore();
    const description = [];
    for (let r = 0; r < rows; r++) {
      const rowTotal = grid[r].reduce((a, b) => a + b, 0) || 1;
      ctx.fillStyle = ink;
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(clip(names[r] ?? `#${r}`), left - 6, top + r * cell + cell / 2);
      for (let c = 0; c < cols; c++) {
        const count = grid[r][c] || 0;
        const share = count / rowTotal;
        // Correct answers shade blue-green, confusions orange-red, unknown answers amber: mistakes stand out.
        const hue = r === c ? 170 : withUnknown && c === cols - 1 ? 42 : 12;
        ctx.fillStyle = count === 0 ? cssColor("--cell-empty", "#f3f3f3") : `hsl(${hue} 70% ${92 - share * 52}%)`;
        ctx.fillRect(left + c * cell, top + r * cell, cell - 2, cell - 2);
        ctx.fillStyle = share > 0.55 ? "#fff" : "#222";
        ctx.textAlign = "center";
        ctx.font = "bold 13px system-ui, sans-serif";
        ctx.fillText(String(count), left + c * cell + cell / 2 - 1, top + r * cell + cell / 2 - 1);
        ctx.font = "12px system-ui, sans-serif";
        if (count) description.push(`${names[r]} answered ${colNames[c]}: ${count}`);
      }
    }
    for (let c = 0; c < cols; c++) {
      ctx.save();
      ctx.translate(left + c * cell + cell / 2, top - 6);
      ctx.rotate(-Math.PI / 4);
      ctx.fillStyle = ink;
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillText(clip(colNames[c]), 0, 0);
      ctx.restore();
    }
    canvas.setAttribute("aria-label", `Confusion matrix (rows true, columns predicted). ${description.join("; ")}`);
    canvas.dataset.matrix = JSON.stringify(matrix);
    canvas.dataset.unknown = JSON.stringify(unknownByClass);
    canvas.dataset.classes = JSON.stringify(names);
  }

  // ---------- heads ----------

  async function refreshHeads() {
    renderHeads((await get("heads")) || { items: [] });
  }

  function renderHeads(heads) {
    const items = heads.items || [];
    $("heads-empty").hidden = items.length > 0;
    const rollback = $("rollback");
    rollback.disabled = !heads.rollbackTarget;
    $("rollback-target").textContent = heads.rollbackTarget ? `back to v${heads.rollbackTarget}` : "nothing to roll back to";
    rollback.dataset.target = heads.rollbackTarget || "";
    const rows = items.map((head) => {
      const active = head.active || head.version === heads.active;
      const trigger = typeof head.trigger === "string" ? head.trigger
        : head.trigger ? [head.trigger.source, head.trigger.note].filter(Boolean).join(": ") : "";
      // An adapted head trained on no samples of its own: its counts are null.
      const samples = head.samples && typeof head.samples.train === "number" ? `${head.samples.train} / ${head.samples.holdout}` : "—";
      return el("tr", { testid: `head-row-${head.version}`, class: active ? "active" : "", "data-active": String(active) },
        el("th", { scope: "row", class: "version" }, `v${head.version}`,
          active ? el("span", { class: "badge", testid: `head-active-${head.version}`, text: "active" }) : null),
        el("td", { class: "when", "data-label": "Created", text: when(head.createdAt) }),
        el("td", { "data-label": "Accuracy", text: pct(head.accuracy), testid: `head-accuracy-${head.version}` }),
        el("td", { "data-label": "Samples", text: samples, title: "train / holdout" }),
        el("td", { class: "trigger", "data-label": "Trigger", text: trigger || "—" }),
        el("td", { "data-label": "Gate", text: head.gate && head.gate.outcome ? head.gate.outcome : "—",
          title: head.gate ? head.gate.reason || "" : "" }),
        el("td", { class: "row-actions" },
          el("button", {
            type: "button", class: "secondary small", testid: `activate-${head.version}`, text: "Activate",
            disabled: active, "aria-label": `Activate head v${head.version}`,
            onclick: (event) => act(event.currentTarget, () => activate(head.version)),
          }),
          el("a", { href: `heads/${head.version}/report`, target: "_blank", rel: "noopener", text: "report",
            testid: `report-${head.version}` })));
    });
    $("heads-table").tBodies[0].replaceChildren(...rows);
  }

  async function activate(version) {
    if ((await mutate("POST", `heads/${version}/activate`)) === undefined) return;
    showToast(`Head v${version} activated`);
    await Promise.allSettled([refreshHeads(), refreshStatus()]);
  }

  async function rollBack() {
    const answer = await mutate("POST", "heads/rollback");
    if (answer === undefined) return;
    showToast("Rolled back" + (answer && answer.version ? ` to head v${answer.version}` : ""));
    await Promise.allSettled([refreshHeads(), refreshStatus()]);
  }

  // ---------- start ----------

  async function resumeLastJob() {
    const job = await get("jobs/current", { allow404: true });
    if (!job) return;
    if (job.state === "queued" || job.state === "running") followJob(job.id);
    else {
      $("train-progress").hidden = false;
      renderJob(job);
      if (job.state !== "succeeded") clearError();
    }
  }

  function start() {
    renderTokenButton();
    $("error-dismiss").addEventListener("click", clearError);
    $("add-class-form").addEventListener("submit", addClass);
    $("train-form").addEventListener("submit", startTraining);
    $("rollback").addEventListener("click", (event) => act(event.currentTarget, rollBack));
    $("review-form").addEventListener("submit", assignSelected);
    $("review-discard").addEventListener("click", (event) =>
      act(event.currentTarget, () => discardReview([...reviewSelected])).then(renderReviewSelection));
    $("adapt-button").addEventListener("click", (event) => act(event.currentTarget, adapt));
    $("token-button").addEventListener("click", async () => {
      if (storedToken()) {
        sessionStorage.removeItem(TOKEN_KEY);
        renderTokenButton();
        showToast("Token forgotten");
      } else if (await promptToken("")) {
        showToast("Token saved for this session");
      }
    });
    $("live-view").addEventListener("error", () => ($("live-note").hidden = false));
    poll(refreshFrame, FRAME_INTERVAL_MS);
    poll(refreshPrediction, PREDICTION_INTERVAL_MS);
    poll(refreshStatus, STATUS_INTERVAL_MS);
    poll(refreshClasses, CLASSES_INTERVAL_MS);
    poll(refreshHeads, HEADS_INTERVAL_MS);
    poll(refreshReview, REVIEW_INTERVAL_MS);
    resumeLastJob().catch(() => {});
    // Drawings follow the window width (phone rotation, resized laptop window).
    let resizeTimer = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (lastResult && !$("train-result").hidden) renderResult(lastResult);
        if (lastEpochs) drawLossCurve($("loss-curve"), lastEpochs);
      }, 150);
    });
  }

  start();
})();
