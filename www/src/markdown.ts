// A small Markdown renderer for the engine's hover texts and rule documentation: headings,
// paragraphs, bullet lists, fenced code, inline code, bold, italics and links. Everything is
// escaped first; links open only http(s) targets, in a new tab, without a referrer.

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function inline(s: string): string {
  // Split out code spans first so that their content is not formatted.
  const parts = s.split(/(`[^`]*`)/);
  return parts
    .map((p) => {
      if (p.length >= 2 && p.startsWith("`") && p.endsWith("`")) return `<code>${escape(p.slice(1, -1))}</code>`;
      let t = escape(p);
      t = t.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => {
        if (/^https?:\/\//.test(url)) return `<a href="${url}" target="_blank" rel="noreferrer noopener">${text}</a>`;
        return text;
      });
      t = t.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
      t = t.replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s).,:;]|$)/g, "$1<em>$2</em>");
      return t;
    })
    .join("");
}

export function markdownToHtml(md: string): string {
  const lines = md.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] | null = null;
  const flushPara = () => {
    if (para.length) out.push(`<p>${inline(para.join(" "))}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) out.push(`<ul>${list.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```(.*)$/.exec(line);
    if (fence) {
      flushPara();
      flushList();
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^```\s*$/.test(lines[i])) code.push(lines[i++]);
      const lang = fence[1].trim().split(/\s+/)[0];
      out.push(`<pre class="md-code"${lang ? ` data-lang="${escape(lang)}"` : ""}><code>${escape(code.join("\n"))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      flushList();
      const level = Math.min(h[1].length + 2, 6);
      out.push(`<h${level}>${inline(h[2])}</h${level}>`);
      continue;
    }
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (li) {
      flushPara();
      list ??= [];
      list.push(li[1]);
      continue;
    }
    if (!line.trim()) {
      flushPara();
      flushList();
      continue;
    }
    if (list && /^\s{2,}/.test(line)) {
      list[list.length - 1] += " " + line.trim();
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join("");
}

export function renderMarkdown(md: string, className = "md"): HTMLElement {
  const el = document.createElement("div");
  el.className = className;
  el.innerHTML = markdownToHtml(md);
  return el;
}
