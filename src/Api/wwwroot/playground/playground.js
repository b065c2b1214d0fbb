// ConvService playground: plain JavaScript, no build step, no other host. Every number on the page comes from the
// service's routes (/conv/forward, /conv/explain, /conv/backward/explain, /pool/{mode}/explain, /check); the page
// only lays the answers out. No inline styles: state is shown with classes (and --cols for each grid's width).
"use strict";

(() => {
  const SEED_A = [[4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]];
  const SEED_B = [[4, 3, 3], [5, 5, 5], [2, 4, 3]];
  // The seed's C as its worked line adds up: 4×3 + 5×3 + … = 105 (the first term should be 4·4, so C[0][0] = 109).
  const SEED_LINE = [[105, 92, 72], [108, 85, 74], [110, 74, 79]];

  // ---------------------------------------------------------------- service calls

  class ApiError extends Error {
    constructor(problem, status) {
      super(ApiError.describe(problem, status));
      this.problem = problem;
    }

    static describe(problem, status) {
      if (problem && problem.errors) {
        return Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join("; ")}`).join("\n");
      }
      return (problem && (problem.detail || problem.title)) || `HTTP ${status}`;
    }
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(json, response.status);
    }
    return json;
  }

  // ---------------------------------------------------------------- numbers

  /** A number as the wire writes it: non-finite values as "NaN", "Infinity", "-Infinity". */
  function wire(value) {
    if (Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return "NaN";
    return value > 0 ? "Infinity" : "-Infinity";
  }

  /** A wire number read back (strings for the non-finite ones). */
  function read(value) {
    if (typeof value === "number") return value;
    return value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : NaN;
  }

  /** JavaScript's shortest round-trip digits, ∞ for infinities. */
  function show(value) {
    const v = read(value);
    if (v === Infinity) return "∞";
    if (v === -Infinity) return "-∞";
    return String(v);
  }

  /** What a learner types: "3", "-1.5", "1e-3", "NaN", "inf", "∞"; null when it is not a number. */
  function parse(text) {
    const t = String(text).trim().replace("−", "-");
    if (/^nan$/i.test(t)) return NaN;
    if (/^(\+)?(inf|infinity|∞)$/i.test(t)) return Infinity;
    if (/^-(inf|infinity|∞)$/i.test(t)) return -Infinity;
    if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
    return Number(t);
  }

  /** Rows of numbers from pasted text: JSON nested arrays, or lines of numbers split by spaces, commas or tabs. */
  function parseGrid(text) {
    const trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      const json = JSON.parse(trimmed);
      const rows = Array.isArray(json[0]) ? json : [json];
      return rows.map(row => row.map(v => read(v)));
    }
    const rows = trimmed.split(/\r?\n/).map(line => line.trim()).filter(line => line.length > 0)
      .map(line => line.split(/[\s,;]+/).filter(s => s.length > 0).map(s => {
        const v = parse(s);
        if (v === null) throw new Error(`"${s}" is not a number`);
        return v;
      }));
    if (rows.length === 0) throw new Error("nothing to paste");
    return rows;
  }

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const key = (r, c) => `${r},${c}`;

  // ---------------------------------------------------------------- grids

  /** A grid of cells inside a figure: a caption, the cells, and a map from "r,c" to each cell (ring cells have negative or overflowing r, c). */
  class Grid {
    constructor(figure, title, subtitle) {
      this.figure = figure;
      this.caption = el("figcaption");
      this.titleNode = el("span", "", title);
      this.subtitle = el("span", "sub", subtitle || "");
      this.caption.append(this.titleNode, this.subtitle);
      this.grid = el("div", "grid");
      this.grid.setAttribute("role", "grid");
      this.grid.setAttribute("aria-label", title);
      figure.replaceChildren(this.caption, this.grid);
      this.cells = new Map();
      this.rows = 0;
      this.cols = 0;
      this.ring = 0;
      this.grid.addEventListener("keydown", event => this.navigate(event));
    }

    /** Lays out rows × cols cells with a ring of `ring` padding cells, made by `make(r, c, inRing)`. */
    layout(rows, cols, ring, make) {
      this.rows = rows;
      this.cols = cols;
      this.ring = ring;
      this.cells = new Map();
      this.grid.replaceChildren();
      this.grid.style.setProperty("--cols", String(cols + 2 * ring));
      for (let r = -ring; r < rows + ring; r++) {
        for (let c = -ring; c < cols + ring; c++) {
          const inRing = r < 0 || c < 0 || r >= rows || c >= cols;
          const cell = make(r, c, inRing);
          cell.dataset.r = String(r);
          cell.dataset.c = String(c);
          this.cells.set(key(r, c), cell);
          this.grid.append(cell);
        }
      }
    }

    cell(r, c) {
      return this.cells.get(key(r, c));
    }

    /** Removes every highlight and weight badge. */
    clear() {
      for (const cell of this.cells.values()) {
        cell.classList.remove("window", "source", "winner", "selected", "contributor", "wrong");
        cell.removeAttribute("aria-invalid");
        cell.removeAttribute("title");
        for (const badge of cell.querySelectorAll(".w")) badge.remove();
      }
    }

    mark(r, c, className, badge) {
      const cell = this.cell(r, c);
      if (!cell) return;
      cell.classList.add(className);
      if (badge !== undefined) {
        const b = el("span", "w" + (className === "contributor" ? " g" : ""), badge);
        b.setAttribute("aria-hidden", "true");
        cell.append(b);
      }
    }

    /** Arrow keys move between cells, as in a spreadsheet. */
    navigate(event) {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const move = moves[event.key];
      const from = event.target.closest(".cell");
      if (!move || !from) return;
      const field = event.target;
      if (field.tagName === "INPUT" && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
        const atEdge = event.key === "ArrowLeft" ? field.selectionStart === 0 : field.selectionEnd === field.value.length;
        if (!atEdge) return;
      }
      const target = this.cell(Number(from.dataset.r) + move[0], Number(from.dataset.c) + move[1]);
      const focusable = target && (target.tagName === "BUTTON" ? target : target.querySelector("input"));
      if (focusable) {
        event.preventDefault();
        focusable.focus();
      }
    }
  }

  /** A grid the learner edits: one text field per cell, a size control and a paste box. */
  class EditableGrid extends Grid {
    constructor(figure, title, subtitle, values, onChange, maxSize = 12) {
      super(figure, title, subtitle);
      this.name = title;
      this.onChange = onChange;
      this.maxSize = maxSize;
      this.ringValue = "";
      this.values = values.map(row => row.slice());
      const tools = el("div", "tools");
      this.rowsInput = this.sizeInput("rows");
      this.colsInput = this.sizeInput("columns");
      const pasteButton = el("button", "", "Paste…");
      pasteButton.type = "button";
      this.paste = el("textarea", "paste off");
      this.paste.rows = 4;
      this.paste.setAttribute("aria-label", `Paste ${title}: JSON rows or lines of numbers`);
      this.paste.placeholder = "[[1, 2], [3, 4]]  or  1 2\n3 4";
      pasteButton.addEventListener("click", () => {
        this.paste.classList.toggle("off");
        this.paste.value = JSON.stringify(this.values);
        if (!this.paste.classList.contains("off")) this.paste.focus();
      });
      this.paste.addEventListener("change", () => this.applyPaste());
      tools.append(this.label("rows", this.rowsInput), this.label("columns", this.colsInput), pasteButton);
      figure.append(tools, this.paste);
      this.render();
    }

    sizeInput(name) {
      const input = el("input");
      input.type = "number";
      input.min = "1";
      input.max = String(this.maxSize);
      input.setAttribute("aria-label", `${this.name} ${name}`);
      input.addEventListener("change", () => this.resize());
      return input;
    }

    label(text, input) {
      const label = el("label", "", text + " ");
      label.append(input);
      return label;
    }

    applyPaste() {
      try {
        const rows = parseGrid(this.paste.value);
        const cols = Math.max(...rows.map(row => row.length));
        if (rows.length > this.maxSize || cols > this.maxSize) throw new Error(`at most ${this.maxSize} × ${this.maxSize} here`);
        this.values = rows.map(row => Array.from({ length: cols }, (_, c) => (c < row.length ? row[c] : 0)));
        this.paste.classList.add("off");
        this.render();
        this.onChange();
      } catch (error) {
        this.paste.setCustomValidity(error.message);
        this.paste.reportValidity();
      }
    }

    resize() {
      const rows = Math.min(this.maxSize, Math.max(1, Number(this.rowsInput.value) || 1));
      const cols = Math.min(this.maxSize, Math.max(1, Number(this.colsInput.value) || 1));
      this.values = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (this.values[r] && this.values[r][c] !== undefined ? this.values[r][c] : 0)));
      this.render();
      this.onChange();
    }

    setValues(values) {
      this.values = values.map(row => row.map(read));
      this.render();
    }

    /** A ring of `ring` padding cells around the grid (the convolution's or the pool's padding), showing `value` until an explanation fills them. */
    setRing(ring, value) {
      if (ring === this.ring && value === this.ringValue) return;
      this.ringValue = value;
      this.ring = ring;
      this.render();
    }

    render() {
      const rows = this.values.length;
      const cols = this.values[0].length;
      this.rowsInput.value = String(rows);
      this.colsInput.value = String(cols);
      this.layout(rows, cols, this.ring, (r, c, inRing) => {
        if (inRing) {
          const pad = el("span", "cell pad", this.ringValue);
          pad.dataset.pad = "";
          pad.setAttribute("role", "gridcell");
          pad.setAttribute("aria-label", `padding at ${r}, ${c}`);
          return pad;
        }
        // The cell is a box holding its text field, so that a highlight can carry a weight badge beside the number.
        const box = el("span", "cell editable");
        box.setAttribute("role", "gridcell");
        const input = el("input");
        input.type = "text";
        input.inputMode = "decimal";
        input.value = show(this.values[r][c]);
        input.setAttribute("aria-label", `${this.name} row ${r}, column ${c}`);
        input.addEventListener("input", () => {
          const v = parse(input.value);
          input.setAttribute("aria-invalid", v === null ? "true" : "false");
          if (v !== null) {
            this.values[r][c] = v;
            this.onChange();
          }
        });
        box.append(input);
        return box;
      });
    }

    /** Clears the highlights, and the padding cells back to what they show before an explanation. */
    clear() {
      super.clear();
      for (const cell of this.cells.values()) {
        if (cell.classList.contains("pad")) cell.textContent = this.ringValue;
      }
    }

    /** Shows a padded cell's value (what the padding put there) when an explanation names it. */
    showRing(r, c, value) {
      const cell = this.cell(r, c);
      if (cell && cell.classList.contains("pad")) cell.textContent = value;
    }

    /** The numbers, for a request. */
    wire() {
      return this.values.map(row => row.map(wire));
    }
  }

  /** A grid of results: each cell a button that asks for its explanation. */
  class ResultGrid extends Grid {
    constructor(figure, title, subtitle, onPick) {
      super(figure, title, subtitle);
      this.name = title;
      this.onPick = onPick;
      this.values = [];
    }

    setValues(values) {
      this.values = values;
      const rows = values.length;
      const cols = rows > 0 ? values[0].length : 0;
      this.layout(rows, cols, 0, (r, c) => {
        const button = el("button", "cell", show(values[r][c]));
        button.type = "button";
        button.dataset.index = key(r, c);
        button.setAttribute("aria-label", `${this.name} [${r}, ${c}] = ${show(values[r][c])}: explain`);
        button.addEventListener("click", () => this.onPick(r, c));
        return button;
      });
    }

    empty(message) {
      this.values = [];
      this.layout(0, 0, 0, () => el("span"));
      this.subtitle.textContent = message;
    }
  }

  // ---------------------------------------------------------------- explanations

  const narrow = window.matchMedia("(max-width: 700px)");

  function writeExplanation(panel, title, answer, extra = []) {
    const heading = el("h2", "", title);
    const sum = el("p", "sum", answer.text);
    const notes = el("ul");
    for (const line of [...extra, ...(answer.notes || [])]) notes.append(el("li", "", line));
    const nodes = [heading, sum];
    if (answer.rule) nodes.push(el("p", "", `Rule: ${answer.rule}.`));
    if (answer.divisorReason) nodes.push(el("p", "", `Divisor ${answer.divisor}: ${answer.divisorReason}.`));
    nodes.push(notes);
    for (const bound of answer.bounds || []) nodes.push(el("p", "formula", `window ${bound}`));
    for (const [axis, formula] of (answer.outputSize || []).entries()) nodes.push(el("p", "formula", `output size, axis ${axis}: ${formula}`));
    panel.replaceChildren(...nodes);
    // On a phone the grids stack, so the written-out sum would be off screen.
    if (narrow.matches) panel.scrollIntoView({ block: "nearest" });
  }

  function writeError(panel, error) {
    panel.replaceChildren(el("p", "error", error.message));
  }

  const debounce = (action, delay = 250) => {
    let timer = 0;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(action, delay);
    };
  };

  const formValues = form => Object.fromEntries([...form.elements].filter(e => e.name).map(e => [e.name, e.type === "checkbox" ? e.checked : e.value]));

  // ---------------------------------------------------------------- convolution view

  const convForm = document.getElementById("conv-options");
  const convPanel = document.getElementById("conv-explain");

  function convOptions() {
    const o = formValues(convForm);
    const body = { stride: Number(o.stride) || 1, padding: Number(o.padding) || 0, dilation: Number(o.dilation) || 1, paddingMode: o.paddingMode, dtype: o.dtype };
    const bias = parse(o.bias);
    if (bias !== null) body.bias = [wire(bias)];
    return body;
  }

  const convRequest = () => ({ input: gridA.wire(), kernel: gridB.wire(), ...convOptions() });

  const recomputeConv = debounce(computeConv);
  const gridA = new EditableGrid(document.getElementById("conv-input"), "Input A", "the image", SEED_A, () => { recomputeConv(); recomputeGrad(); });
  const gridB = new EditableGrid(document.getElementById("conv-kernel"), "Kernel B", "the weights", SEED_B, () => { recomputeConv(); recomputeGrad(); }, 7);
  const gridC = new ResultGrid(document.getElementById("conv-output"), "Output C = A ⊛ B", "click a cell", explainConv);

  async function computeConv() {
    const options = convOptions();
    gridA.setRing(options.padding, options.paddingMode === "zeros" ? "0" : "·");
    try {
      const answer = await post("/conv/forward", convRequest());
      gridC.setValues(answer.output);
      gridC.subtitle.textContent = `${answer.output.length} × ${answer.output[0].length}: click a cell`;
      convPanel.replaceChildren();
      prefillCheck();
    } catch (error) {
      gridC.empty("no output");
      writeError(convPanel, error);
    }
  }

  async function explainConv(r, c) {
    try {
      const answer = await post("/conv/explain", { ...convRequest(), cell: [r, c] });
      gridA.clear();
      gridB.clear();
      gridC.clear();
      gridC.mark(r, c, "selected");
      for (const term of answer.terms) {
        const [pr, pc] = term.position || term.input;
        gridA.showRing(pr, pc, show(term.x));
        gridA.mark(pr, pc, "window", `·${show(term.w)}`);
        if (term.padded && term.position && key(...term.position) !== key(...term.input)) gridA.mark(term.input[0], term.input[1], "source");
        gridB.mark(term.kernel[0], term.kernel[1], "window");
      }
      writeExplanation(convPanel, `C[${r}, ${c}] = ${show(answer.value)}`, answer);
    } catch (error) {
      writeError(convPanel, error);
    }
  }

  convForm.addEventListener("input", () => { recomputeConv(); recomputeGrad(); });
  convForm.addEventListener("submit", event => event.preventDefault());

  // ---------------------------------------------------------------- gradient view

  const gradPanel = document.getElementById("grad-explain");
  const recomputeGrad = debounce(computeGrad);
  const gridG = new EditableGrid(document.getElementById("grad-output"), "gradOutput ∂L/∂C", "all ones: L = ΣC", [[1, 1, 1], [1, 1, 1], [1, 1, 1]], recomputeGrad);
  const gridGI = new ResultGrid(document.getElementById("grad-input"), "gradInput ∂L/∂A", "click a cell", (r, c) => explainGrad("gradInput", gridGI, r, c));
  const gridGK = new ResultGrid(document.getElementById("grad-kernel"), "gradKernel ∂L/∂B", "click a cell", (r, c) => explainGrad("gradKernel", gridGK, r, c));

  const gradRequest = () => ({ ...convRequest(), gradOutput: gridG.wire() });

  async function computeGrad() {
    try {
      const shape = await post("/shape", { input: [gridA.values.length, gridA.values[0].length], layers: [shapeLayer()] });
      const [rows, cols] = shape.outputShape;
      if (gridG.values.length !== rows || gridG.values[0].length !== cols) {
        gridG.setValues(Array.from({ length: rows }, () => Array(cols).fill(1)));
      }
      const answer = await post("/conv/backward", gradRequest());
      gridGI.setValues(answer.gradInput);
      gridGK.setValues(answer.gradKernel);
      gradPanel.replaceChildren();
    } catch (error) {
      gridGI.empty("no gradient");
      gridGK.empty("");
      writeError(gradPanel, error);
    }
  }

  function shapeLayer() {
    const o = convOptions();
    return { op: "conv", kernelSize: [gridB.values.length, gridB.values[0].length], stride: o.stride, padding: o.padding, dilation: o.dilation, paddingMode: o.paddingMode };
  }

  async function explainGrad(of, grid, r, c) {
    try {
      const answer = await post("/conv/backward/explain", { ...gradRequest(), of, cell: [r, c] });
      gridG.clear();
      gridGI.clear();
      gridGK.clear();
      grid.mark(r, c, "selected");
      for (const term of answer.terms) {
        const badge = of === "gradInput" ? `·${show(term.w)}` : `·${show(term.x)}`;
        gridG.mark(term.gradOutput[0], term.gradOutput[1], "contributor", badge);
      }
      const lead = of === "gradInput"
        ? `Each highlighted gradOutput cell is an output whose window read A[${r}, ${c}]; its badge is the weight it was multiplied by.`
        : `Each gradOutput cell (badge: the input value under weight B[${r}, ${c}] in its window) adds g·x.`;
      writeExplanation(gradPanel, `${of}[${r}, ${c}] = ${show(answer.value)}`, answer, [lead]);
    } catch (error) {
      writeError(gradPanel, error);
    }
  }

  // ---------------------------------------------------------------- pooling view

  const poolForm = document.getElementById("pool-options");
  const poolPanel = document.getElementById("pool-explain");
  const recomputePool = debounce(computePool);
  const gridP = new EditableGrid(document.getElementById("pool-input"), "Input", "the seed's C", [[109, 92, 72], [108, 85, 74], [110, 74, 79]], recomputePool);
  const gridPO = new ResultGrid(document.getElementById("pool-output"), "Pooled output", "click a cell", explainPool);

  function poolRequest() {
    const o = formValues(poolForm);
    const body = { input: gridP.wire() };
    const modes = label => (label.dataset.modes || "").split(" ");
    for (const label of poolForm.querySelectorAll("label[data-modes]")) {
      const applies = modes(label).includes(o.mode);
      label.classList.toggle("off", !applies);
      const input = label.querySelector("input");
      if (!applies) continue;
      if (input.type === "checkbox") {
        if (input.name !== "countIncludePad" || !input.checked) body[input.name] = input.checked;
      } else if (input.value !== "") {
        body[input.name] = Number(input.value);
      }
    }
    return { mode: o.mode, body };
  }

  async function computePool() {
    const { mode, body } = poolRequest();
    gridP.setRing(body.padding || 0, mode === "max" ? "-∞" : "0");
    try {
      const answer = await post(`/pool/${mode}`, body);
      gridPO.setValues(answer.output);
      gridPO.subtitle.textContent = `${mode}: click a cell`;
      poolPanel.replaceChildren();
    } catch (error) {
      gridPO.empty("no output");
      writeError(poolPanel, error);
    }
  }

  async function explainPool(r, c) {
    const { mode, body } = poolRequest();
    try {
      const answer = await post(`/pool/${mode}/explain`, { ...body, cell: [r, c] });
      gridP.clear();
      gridPO.clear();
      gridPO.mark(r, c, "selected");
      for (const term of answer.terms) {
        if (term.kind === "past-edge") continue;
        gridP.showRing(term.input[0], term.input[1], show(term.x));
        gridP.mark(term.input[0], term.input[1], "window");
      }
      if (answer.winner) gridP.mark(answer.winner[0], answer.winner[1], "winner");
      writeExplanation(poolPanel, `output[${r}, ${c}] = ${show(answer.value)}`, answer);
    } catch (error) {
      writeError(poolPanel, error);
    }
  }

  poolForm.addEventListener("input", recomputePool);
  poolForm.addEventListener("submit", event => event.preventDefault());
  document.getElementById("pool-use-c").addEventListener("click", () => {
    if (gridC.values.length === 0) return;
    gridP.setValues(gridC.values);
    gridP.subtitle.textContent = "C from the Convolution view";
    computePool();
  });

  // ---------------------------------------------------------------- check view

  const checkForm = document.getElementById("check-options");
  const checkPanel = document.getElementById("check-explain");
  const gridAnswer = new EditableGrid(document.getElementById("check-answer"), "Your answer", "edit or paste", SEED_LINE, () => {});
  let prefilledFor = "";

  /** The route, its body and the answer field of what is being checked. */
  function checkTarget() {
    switch (checkForm.elements.target.value) {
      case "grad":
        return { operation: "/conv/backward", request: gradRequest(), field: "gradInput", expected: gridGI.values };
      case "pool": {
        const { mode, body } = poolRequest();
        return { operation: `/pool/${mode}`, request: body, field: "output", expected: gridPO.values };
      }
      default:
        return { operation: "/conv/forward", request: convRequest(), field: "output", expected: gridC.values };
    }
  }

  /** Starts the answer grid at the right size: the seed's worked line for the seed, zeros otherwise. */
  function prefillCheck() {
    const { field, expected } = checkTarget();
    const isSeed = JSON.stringify(gridA.values) === JSON.stringify(SEED_A) && JSON.stringify(gridB.values) === JSON.stringify(SEED_B);
    const shape = expected.length > 0 ? `${expected.length}x${expected[0].length}` : "";
    if (shape === "" || prefilledFor === `${field}:${shape}`) return;
    prefilledFor = `${field}:${shape}`;
    const seedLine = field === "output" && checkForm.elements.target.value === "conv" && isSeed && shape === "3x3";
    gridAnswer.setValues(seedLine ? SEED_LINE : expected.map(row => row.map(() => 0)));
  }

  async function runCheck() {
    const { operation, request, field } = checkTarget();
    try {
      const answer = await post("/check", { operation, request, answer: { [field]: gridAnswer.wire() } });
      gridAnswer.clear();
      const nodes = [];
      if (answer.expectedShape) {
        const expected = answer.expectedShape[field];
        nodes.push(el("p", "error", `Your ${field} is ${gridAnswer.values.length} × ${gridAnswer.values[0].length}; ${operation} gives ${expected.join(" × ")}. Resize the grid and try again.`));
      } else if (answer.correct) {
        nodes.push(el("p", "right", `All ${answer.cells} cells are right.`));
      } else {
        nodes.push(el("h2", "", `${answer.wrongCount} of ${answer.cells} cells are wrong`));
        const list = el("ul", "wrong-list");
        for (const wrong of answer.wrong) {
          const [r, c] = wrong.index;
          gridAnswer.mark(r, c, "wrong");
          const cell = gridAnswer.cell(r, c);
          cell.setAttribute("aria-invalid", "true");
          cell.querySelector("input").setAttribute("aria-invalid", "true");
          const why = wrong.explanation ? wrong.explanation.text : "";
          cell.title = `expected ${show(wrong.expected)}: ${why}`;
          const item = el("li");
          item.id = `wrong-${r}-${c}`;
          item.append(el("strong", "", `[${r}, ${c}]: you wrote ${show(wrong.given)}, the answer is ${show(wrong.expected)}. `));
          if (wrong.explanation) item.append(el("span", "sum", wrong.explanation.text));
          list.append(item);
        }
        nodes.push(list);
      }
      for (const note of answer.notes) nodes.push(el("p", "formula", note));
      checkPanel.replaceChildren(...nodes);
    } catch (error) {
      writeError(checkPanel, error);
    }
  }

  document.getElementById("check-run").addEventListener("click", runCheck);
  checkForm.elements.target.addEventListener("change", () => {
    prefilledFor = "";
    prefillCheck();
    checkPanel.replaceChildren();
  });

  // ---------------------------------------------------------------- tabs

  const tabs = [...document.querySelectorAll('[role="tab"]')];

  function select(tab) {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
    }
    if (tab.id === "tab-check") prefillCheck();
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", event => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }

  // ---------------------------------------------------------------- start

  document.body.dataset.ready = "loading";
  Promise.all([computeConv(), computeGrad(), computePool()]).finally(() => {
    document.body.dataset.ready = "true";
  });
})();
