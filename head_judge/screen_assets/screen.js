/* The audience's screens: /screen (the hall's big screen), /overlay (a livestream lower third)
 * and /results (phones). Reads the master's public state (GET /state, then the pushed
 * `state` events of GET /events) and draws it; writes nothing back. No framework, no CDN.
 *
 * Every word on the pages comes from WORDS below (Chinese and English), in the order of the
 * event's `languages`; a missing word throws rather than showing an id. Every figure comes
 * from the state as the master wrote it (strings, never recomputed here). Text from the state
 * is set with textContent only. `?animate=0` turns the reveal animation off. */
"use strict";

(function () {
  const WORDS = {
    on_stage: { zh: "台上", en: "On stage" },
    order: { zh: "{n}号", en: "No. {n}" },
    reveal: { zh: "亮分", en: "Scores" },
    awaiting: { zh: "等待亮分", en: "Awaiting the scores" },
    struck: { zh: "去掉一个最高分、一个最低分", en: "Highest and lowest struck out" },
    final: { zh: "最终得分", en: "Final score" },
    pending: { zh: "待导入", en: "pending" },
    weight: { zh: "占{w}%", en: "{w}%" },
    provisional: { zh: "暂定", en: "Provisional" },
    appeals_open: { zh: "暂定 · 申诉截止 {t}", en: "Provisional · appeals close {t}" },
    official: { zh: "正式成绩", en: "Official" },
    published: { zh: "已发布 第{n}版", en: "Published, version {n}" },
    republished: { zh: "已更新为第{n}版", en: "Updated: version {n}" },
    published_at: { zh: "发布于", en: "published" },
    rank: { zh: "名次", en: "Rank" },
    contestant: { zh: "选手", en: "Contestant" },
    score: { zh: "得分", en: "Score" },
    prize: { zh: "奖项", en: "Prize" },
    advances: { zh: "晋级", en: "Advances" },
    panel_only: { zh: "仅评委评分，最终得分待导入", en: "Panel score only, final pending" },
    more: { zh: "另有{n}位", en: "{n} more" },
    none_revealed: { zh: "尚无亮分", en: "No scores revealed yet" },
    no_results: { zh: "成绩尚未发布", en: "No results published yet" },
    results: { zh: "成绩公布", en: "Results" },
    connecting: { zh: "正在连接…", en: "Connecting…" },
    stale: { zh: "连接中断，正在重连…", en: "Connection lost, reconnecting…" },
  };
  const LANG_TAGS = { zh: "zh-CN", en: "en" };

  const page = document.body.dataset.page;
  const animate = new URLSearchParams(location.search).get("animate") !== "0";
  if (!animate) document.documentElement.classList.add("no-anim");

  let languages = ["zh", "en"];
  let shownReveal = null; // the seq of the reveal on the page (animated once per seq)

  /* ---- words and elements ---- */

  function fill(template, fields) {
    return template.replace(/\{(\w+)\}/g, (_, k) => {
      if (!(k in fields)) throw new Error(`word field ${k} missing`);
      return String(fields[k]);
    });
  }

  function word(id, fields) {
    const w = WORDS[id];
    if (!w) throw new Error(`no word ${id}`);
    const out = {};
    for (const lang of Object.keys(w)) out[lang] = fill(w[lang], fields || {});
    return out;
  }

  function el(tag, cls, ...children) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /* A {zh, en} text in the event's languages: the first large, the second beside or below. */
  function bi(text, cls) {
    const node = el("span", "bi" + (cls ? " " + cls : ""));
    languages.forEach((lang, i) => {
      const s = text && text[lang];
      if (!s) return;
      const part = el("span", i === 0 ? "l1" : "l2", s);
      part.lang = LANG_TAGS[lang] || lang;
      node.append(part);
    });
    return node;
  }

  function say(id, fields, cls) {
    return bi(word(id, fields), cls);
  }

  function when(iso) {
    return iso ? iso.slice(0, 16).replace("T", " ") : "";
  }

  function setChildren(id, ...children) {
    const node = document.getElementById(id);
    if (node) node.replaceChildren(...children.filter((c) => c));
    return node;
  }

  /* ---- the parts ---- */

  function header(state) {
    const ev = state.event;
    setChildren("event-name", bi(ev.name));
    setChildren("event-round", bi(ev.round),
      page === "results" ? el("span", "sep", " · ") : null,
      page === "results" ? say("results") : null);
    setChildren("organiser", bi(ev.organiser));
    const primary = ev.name && ev.name[languages[0]];
    document.title = primary ? `${primary} · ${word(page === "results" ? "results" : "reveal")[languages[0]]}` : document.title;
  }

  function onStage(who) {
    if (!who) return setChildren("on-stage");
    setChildren("on-stage",
      el("div", "tag", say("on_stage")),
      el("div", "who",
        who.order !== null && who.order !== undefined ? el("span", "order", say("order", { n: who.order })) : null,
        el("span", "name", who.name)),
      el("div", "org", who.organisation));
  }

  /* The reveal, timed so the eye can follow (about 3 s): judges' totals one after another,
   * the struck highest and lowest, the panel score, the components, the final score. */
  function timeline(n) {
    const step = Math.min(0.32, 1.4 / Math.max(n, 1));
    const judgesEnd = 0.2 + n * step + 0.25;
    return { step, strike: judgesEnd, panel: judgesEnd + 0.45, components: judgesEnd + 0.75,
      final: judgesEnd + 1.05 };
  }

  function delayed(node, seconds) {
    node.style.setProperty("--d", `${seconds.toFixed(2)}s`);
    return node;
  }

  function judgeTiles(r, t) {
    return r.judges.map((j, i) => delayed(
      el("div", "judge" + (j.dropped ? " dropped" : ""),
        bi(j.label, "seat"),
        j.name ? bi(j.name, "judge-name") : null,
        el("span", "total", j.total, j.dropped ? delayed(el("i", "strike"), t.strike) : null)),
      0.2 + i * t.step));
  }

  function componentList(r, t) {
    if (!r.components || r.components.length === 0) return null;
    return delayed(el("div", "components", ...r.components.map((c) =>
      el("div", "component" + (c.value === null ? " pending" : ""),
        bi(c.name, "cname"),
        el("span", "weight", say("weight", { w: percent(c.weight) })),
        el("span", "cvalue", c.value === null ? say("pending") : c.value)))), t.components);
  }

  function percent(weight) {
    const n = Number(weight) * 100;
    return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : weight;
  }

  function finalBlock(r, t) {
    return delayed(el("div", "final" + (r.final === null ? " pending" : ""),
      say("final", null, "final-label"),
      el("span", "final-value", r.final === null ? say("pending") : r.final)), t.final);
  }

  function reveal(r) {
    const box = document.getElementById("reveal");
    if (!r) {
      shownReveal = null;
      box.replaceChildren(el("div", "awaiting", say("awaiting")));
      return;
    }
    if (shownReveal === r.seq && box.dataset.langs === languages.join()) return;
    shownReveal = r.seq;
    box.dataset.langs = languages.join();
    box.dataset.contestant = r.contestant;
    const t = timeline(r.judges.length);
    const anyDropped = r.judges.some((j) => j.dropped);
    box.replaceChildren(
      el("div", "reveal-who",
        el("span", "tag", say("reveal")),
        el("span", "name", r.name),
        el("span", "org", r.organisation)),
      el("div", "judges", ...judgeTiles(r, t)),
      anyDropped ? delayed(el("div", "struck-note", say("struck")), t.strike) : null,
      delayed(el("div", "panel", bi(r.panel_label, "panel-label"), el("span", "panel-value", r.panel)), t.panel),
      componentList(r, t),
      finalBlock(r, t));
    restartAnimations(box, t);
  }

  function restartAnimations(box, t) {
    box.style.setProperty("--s", `${t.strike.toFixed(2)}s`);
    box.classList.remove("play");
    void box.offsetWidth; // a fresh reveal plays from its start
    box.classList.add("play");
  }

  /* ---- leaderboards (the big screen) ---- */

  function stateBadge(p) {
    // a published ranking under an appeal window: 暂定 until it closes, then 正式
    if (p.state === "official") return el("span", "badge official", say("official"));
    if (p.state === "provisional") {
      return el("span", "badge provisional", say("appeals_open", { t: p.appeals_close }));
    }
    return null;
  }

  function boardHead(b) {
    const status = b.provisional
      ? el("span", "badge provisional", say("provisional"))
      : el("span", "badge " + (b.version > 1 ? "republished" : "published"),
        say(b.version > 1 ? "republished" : "published", { n: b.version }));
    return el("div", "board-head", bi(b.name, "board-name"),
      el("span", "badges", status, b.provisional ? null : stateBadge(b)));
  }

  function boardRow(b, row, highlight) {
    const score = row.final !== null && row.final !== undefined
      ? el("span", "score", row.final)
      : el("span", "score panel-only", row.panel);
    return el("li", "row" + (row.contestant === highlight ? " highlight" : ""),
      el("span", "rank", row.rank),
      el("span", "rname", row.name),
      el("span", "rorg", row.organisation),
      b.provisional ? null : el("span", "prize", row.prize ? bi(row.prize) : ""),
      score);
  }

  function board(b, highlight) {
    const list = el("ol", "rows", ...b.rows.map((row) => boardRow(b, row, highlight)));
    const node = el("div", "board" + (b.provisional ? " is-provisional" : " is-published"),
      boardHead(b), b.rows.length ? list : el("div", "empty", say("none_revealed")));
    if (b.provisional && b.rows.some((row) => row.final === null)) {
      node.append(el("div", "footnote", el("span", "swatch"), say("panel_only")));
    }
    node.dataset.track = b.track;
    return node;
  }

  function boards(state) {
    const focus = state.reveal || state.on_stage;
    const highlight = state.reveal ? state.reveal.contestant : null;
    const ordered = [...state.leaderboards].sort((a, b) => rel(b) - rel(a));
    function rel(b) {
      return focus && b.track === focus.track && (b.group || null) === (focus.group || null) ? 1 : 0;
    }
    const column = setChildren("boards", ...ordered.map((b) => board(b, highlight)));
    trimToFit(column);
  }

  /* Rows that do not fit the column are left out from the bottom of the largest board,
   * never the highlighted one; each board then says how many it leaves out. */
  function trimToFit(column) {
    const hidden = new Map();
    for (let guard = 0; guard < 500 && column.scrollHeight > column.clientHeight + 1; guard++) {
      let victim = null;
      for (const list of column.querySelectorAll("ol.rows")) {
        const rows = [...list.children].filter((r) => !r.classList.contains("highlight") && !r.classList.contains("more"));
        if (rows.length > 1 && (!victim || rows.length > victim.rows.length)) victim = { list, rows };
      }
      if (!victim) break;
      victim.rows[victim.rows.length - 1].remove();
      const n = (hidden.get(victim.list) || 0) + 1;
      hidden.set(victim.list, n);
      let more = victim.list.querySelector("li.more");
      if (!more) victim.list.append(more = el("li", "row more"));
      more.replaceChildren(say("more", { n }));
      victim.list.append(more);
    }
  }

  /* ---- the overlay's lower third ---- */

  function lowerThird(state) {
    const r = state.reveal;
    const box = document.getElementById("lower-third");
    if (!r) {
      shownReveal = null;
      const who = state.on_stage;
      box.replaceChildren(...(who ? [el("div", "lt-band lt-stage",
        el("span", "tag", say("on_stage")), el("span", "name", who.name),
        el("span", "org", who.organisation))] : []));
      return;
    }
    if (shownReveal === r.seq && box.dataset.langs === languages.join()) return;
    shownReveal = r.seq;
    box.dataset.langs = languages.join();
    box.dataset.contestant = r.contestant;
    const t = timeline(r.judges.length);
    box.replaceChildren(el("div", "lt-band",
      el("div", "lt-who", el("span", "name", r.name), el("span", "org", r.organisation)),
      el("div", "judges", ...judgeTiles(r, t)),
      delayed(el("div", "panel", bi(r.panel_label, "panel-label"), el("span", "panel-value", r.panel)), t.panel),
      finalBlock(r, t)));
    restartAnimations(box, t);
  }

  /* ---- /results ---- */

  function results(state) {
    if (!state.published.length) {
      setChildren("published", el("div", "empty", say("no_results")));
      return;
    }
    setChildren("published", ...state.published.map((p) => el("section", "ranking",
      el("div", "ranking-head", el("h2", null, bi(p.name)),
        el("div", "ranking-meta",
          el("span", "badge " + (p.republished ? "republished" : "published"),
            say(p.republished ? "republished" : "published", { n: p.version })),
          stateBadge(p),
          el("span", "at", say("published_at"), " ", when(p.at)))),
      el("ol", "result-rows", ...p.rows.map((row) => el("li", "result",
        el("span", "rank", row.rank),
        el("span", "who", el("span", "rname", row.name), el("span", "rorg", row.organisation)),
        el("span", "figures", el("span", "score", row.final),
          row.prize ? el("span", "prize", bi(row.prize)) : null,
          row.advances ? el("span", "advances", say("advances")) : null)))))));
  }

  /* ---- state and connection ---- */

  function render(state) {
    const langs = (state.event && state.event.languages || []).filter((l) => l === "zh" || l === "en");
    languages = langs.length ? langs : ["zh", "en"];
    document.documentElement.lang = LANG_TAGS[languages[0]];
    header(state);
    if (page === "screen") {
      onStage(state.on_stage);
      reveal(state.reveal);
      boards(state);
    } else if (page === "overlay") {
      lowerThird(state);
    } else {
      results(state);
    }
    document.body.dataset.version = String(state.version);
  }

  const badge = document.getElementById("stale");
  function stale(on, id) {
    badge.replaceChildren(say(id || "stale"));
    badge.hidden = !on;
    document.body.classList.toggle("is-stale", on);
  }

  let source = null;
  let retry = 1000;

  function connect() {
    source = new EventSource("/events");
    source.addEventListener("state", (e) => {
      retry = 1000;
      stale(false);
      render(JSON.parse(e.data));
    });
    source.onerror = () => {
      // EventSource retries by itself only for some failures: close and retry here, always.
      source.close();
      stale(true);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
  }

  async function start() {
    stale(true, "connecting");
    try {
      const answer = await fetch("/state", { cache: "no-store" });
      if (!answer.ok) throw new Error(`GET /state: ${answer.status}`);
      render(await answer.json());
      stale(false);
    } catch (err) {
      stale(true);
    }
    connect();
  }

  window.screenWords = WORDS; // for the browser tests: every word has every language
  start();
})();
